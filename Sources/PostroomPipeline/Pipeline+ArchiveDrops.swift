import Foundation
import PostroomArchive
import PostroomCore
import PostroomStore

/// A zip or tar(.gz/.zst) dropped in an inbox: each regular member becomes a drop of its own.
struct ArchiveExpansion {
    struct Member {
        var id: String
        var name: String
        /// Where the member lives until it is archived or moved to `error/`: `work/.staging/<archive drop id>/…`.
        var path: String
        var size: Int64
    }

    var members: [Member] = []
    var issues: [Issue] = []
}

extension Pipeline {
    /// Whether the bytes start like an archive Postroom opens (zip, gzip, zstd, tar).
    static func looksLikeArchive(_ b: [UInt8]) -> Bool {
        if b.count >= 4, b[0] == 0x50, b[1] == 0x4B, (b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6) { return true }
        if b.count >= 2, b[0] == 0x1F, b[1] == 0x8B { return true }
        if b.count >= 4, b[0] == 0x28, b[1] == 0xB5, b[2] == 0x2F, b[3] == 0xFD { return true }
        if b.count >= 262, Array(b[257..<262]) == Array("ustar".utf8) { return true }
        return false
    }

    /// Opens an archive drop with libarchive into `work/.staging/<drop id>/`, refusing the whole
    /// archive — nothing kept — when a member is hostile (absolute path, `..`, link, device) or a
    /// bound is passed (member count, total size, compression ratio, per-file size).
    func expand(_ f: InFlight) -> ArchiveExpansion {
        var x = ArchiveExpansion()
        let staging = config.workFolder + "/.staging/" + f.record.id
        try? FileManager.default.removeItem(atPath: staging)
        let budget = min(config.maxArchiveBytes, Int64(Double(max(f.record.size, 1)) * config.maxCompressionRatio))
        var total: Int64 = 0
        func refuse(_ code: IssueCode, _ text: String) -> ArchiveExpansion {
            try? FileManager.default.removeItem(atPath: staging)
            return ArchiveExpansion(members: [], issues: [.fatal(code, type: "security", text)])
        }
        do {
            try FileSystem.makeDirectory(staging)
            let reader = try ArchiveReader(path: f.record.workPath)
            var index = 0
            while let m = try reader.next() {
                index += 1
                if index > config.maxArchiveMembers {
                    return refuse(.archiveTooManyMembers, "The archive has more than \(config.maxArchiveMembers) members")
                }
                let name = m.name
                switch Self.check(member: m, index: index) {
                case .skip: continue
                case .refuse(let code, let text): return refuse(code, text)
                case .take: break
                }
                let limit = min(f.channel.maxFileSize, budget - total)
                let data: [UInt8]
                do {
                    data = try reader.readData(limit: limit)
                } catch {
                    if budget - total <= f.channel.maxFileSize {
                        return refuse(.archiveBomb, "The archive expands beyond its bounds (\(budget) bytes); refused")
                    }
                    return refuse(.archiveMemberTooLarge, "Member \(index) is larger than \(f.channel.maxFileSize) bytes")
                }
                total += Int64(data.count)
                let base = name.split(separator: "/").last.map(String.init) ?? "member"
                // Hidden files and macOS resource forks are not drops.
                if base.hasPrefix(".") || name.hasPrefix("__MACOSX/") { continue }
                let id = ids.next()
                let memberName = f.record.name + "!" + name.replacingOccurrences(of: "/", with: "_")
                let path = staging + "/" + FileName.work(id: id, name: memberName)
                try FileSystem.write(data, to: path)
                x.members.append(.init(id: id, name: memberName, path: path, size: Int64(data.count)))
            }
        } catch {
            // The sender is told what, not where: the error names Postroom's own folders (work/.staging/…)
            // and file names, which neither the answer nor the log carries.
            let ours = error is FileSystemError
            logger.error("archive not opened", metadata: ["drop": .string(f.record.id), "cause": .string(ours ? "staging" : "archive")])
            return refuse(.archiveUnreadable, ours ? "The archive's members could not be unpacked here; it is kept for reprocessing"
                                                     : "The archive could not be read: it is damaged, truncated or in an unsupported format")
        }
        if x.members.isEmpty {
            return refuse(.archiveEmpty, "The archive holds no files")
        }
        return x
    }

    /// What a member's name and kind say: taken, skipped (a directory), or the whole archive refused
    /// (absolute or parent-relative path, control characters, a link or device).
    enum MemberCheck { case take, skip, refuse(IssueCode, String) }

    static func check(member m: ArchiveReader.Member, index: Int) -> MemberCheck {
        let name = m.name
        if name.hasPrefix("/") || name.split(separator: "/").contains("..") || name.contains("\\") {
            return .refuse(.archiveMemberPath, "Member \(index) has an absolute or parent-relative path; the archive is refused")
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            return .refuse(.archiveMemberPath, "Member \(index) has control characters in its name; the archive is refused")
        }
        switch m.kind {
        case .directory: return .skip
        case .symlink: return .refuse(.archiveMemberLink, "Member \(index) is a symbolic link; the archive is refused")
        case .other: return .refuse(.archiveMemberType, "Member \(index) is a link or device; the archive is refused")
        case .regular: return .take
        }
    }
}
