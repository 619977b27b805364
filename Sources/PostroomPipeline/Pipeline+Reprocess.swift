import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PostroomArchive
import PostroomCore
import PostroomStore

/// Why a reprocess could not start.
public struct ReprocessError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// A queued request another node took first: nothing to report on the request.
    var takenElsewhere = false

    static let taken = ReprocessError(description: "the request was taken by another node", takenElsewhere: true)
}

extension Pipeline {
    /// Runs drops again after a fix: the original is taken from `error/` (moved) or from the run's
    /// archive (copied), recorded as a new drop that names the old one, and processed with
    /// de-duplication bypassed — an explicit override, never mistaken for a duplicate. Every
    /// reprocess is written to the audit table with who and when.
    public func reprocess(dropIDs: [String], actor: String, whole: Bool = false, again: Bool = false) throws -> RunSummary {
        let session = try RunSession(pipeline: self, mode: "reprocess")
        try recover(into: session)
        var intakes: [Intake] = []
        var problems: [String] = []
        for id in dropIDs {
            do {
                intakes.append(try prepareReprocess(dropID: id, actor: actor, whole: whole, again: again, session: session))
            } catch {
                problems.append("\(id): \(error)")
            }
        }
        for start in stride(from: 0, to: intakes.count, by: config.groupSize) {
            try processGroup(Array(intakes[start..<min(start + config.groupSize, intakes.count)]), session: session)
        }
        var summary = try session.finish()
        summary.problems = problems
        return summary
    }

    /// Takes reprocess requests queued by `postroom serve` (the web page's button).
    func takeQueuedReprocessRequests(session: RunSession) throws {
        let pending = try store.read { try $0.pendingReprocessRequests() }
        guard !pending.isEmpty else { return }
        var intakes: [Intake] = []
        for req in pending {
            do {
                intakes.append(try prepareReprocess(dropID: req.dropID, actor: req.actor, request: req.seq, session: session))
            } catch let error as ReprocessError where error.takenElsewhere {
                continue
            } catch {
                try store.write { try $0.refusePendingReprocessRequest(seq: req.seq, result: "\(error)") }
            }
        }
        for start in stride(from: 0, to: intakes.count, by: config.groupSize) {
            try processGroup(Array(intakes[start..<min(start + config.groupSize, intakes.count)]), session: session)
        }
    }

    /// Records the new drop, then puts the original in `work/` for it. A queued `request` is taken in the
    /// transaction that records the drop, and the check that no other reprocess of the drop exists is made
    /// again inside it: with several nodes, two that race for one drop cannot both record a reprocess
    /// (their write transactions take turns, see docs/POSTGRES.md).
    func prepareReprocess(dropID: String, actor: String, whole: Bool = false, again: Bool = false, request: Int64? = nil,
                          session: RunSession) throws -> Intake {
        guard let old = try store.read({ try $0.drop(id: dropID) }) else { throw ReprocessError(description: "no such drop") }
        guard old.state == .done else { throw ReprocessError(description: "the drop is still being processed") }
        guard let ch = config.channel(named: old.channel) else {
            throw ReprocessError(description: "its channel \(old.channel) is no longer configured")
        }
        try store.read { try Self.checkNoOtherReprocess(of: old, again: again, reader: $0) }
        try session.record()
        let id = ids.next()
        let work = config.workFolder + "/" + ch.name + "/" + FileName.work(id: id, name: old.name)
        var record = DropRecord(id: id, runID: session.id, channel: ch.name, name: old.name, size: old.size, sha256: "",
                                receivedAt: StoreTime.string(Date()), workPath: work, reprocessOf: old.id)
        record.reprocessWhole = whole
        try store.write { w in
            if let request, try !w.takeReprocessRequest(seq: request) { throw ReprocessError.taken }
            try Self.checkNoOtherReprocess(of: old, again: again, reader: w.reader)
            try w.insertDrop(record)
            try w.audit(at: record.receivedAt, actor: actor, action: "reprocess", target: old.id,
                        detail: "as drop \(id)" + (whole ? ", the whole drop (messages applied before are applied again)" : ", what failed"))
        }
        do {
            try materializeReprocess(record, original: old)
        } catch {
            // The request was taken with the drop's record: say why its reprocess could not go on.
            if let request { try store.write { try $0.finishReprocessRequest(seq: request, state: "refused", result: "\(error)") } }
            throw error
        }
        return .reprocess(ch, record)
    }

    /// Copies the archive's current member to `path` in 64 KiB pieces: a large original (a streamed
    /// batch, Bundle or CDA document) is never held whole.
    static func copyMember(of reader: ArchiveReader, to path: String) throws {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw FileSystemError("cannot create", path) }
        defer { Glibc.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try reader.readChunk(into: $0) }
            if n == 0 { return }
            try buffer.withUnsafeBytes { try FileSystem.writeAll(UnsafeRawBufferPointer(rebasing: $0[0..<n]), to: fd, path: path) }
        }
    }

    /// Refuses a reprocess of `old` while another is in progress, or when one was made and `again` is not asked.
    static func checkNoOtherReprocess(of old: DropRecord, again: Bool, reader: StoreReader) throws {
        let earlier = try reader.reprocessesOf(old.id)
        if earlier.contains(where: { $0.state != .done }) {
            throw ReprocessError(description: "a reprocess of it is already in progress")
        }
        if let last = earlier.last, !again {
            throw ReprocessError(description: "it was already reprocessed as drop \(last.id) (outcome \(last.outcome?.rawValue ?? "?")); "
                                 + "reprocess that one, or ask for this one again explicitly (--again)")
        }
    }

    /// Places the original of `old` at `record.workPath`: moved out of `error/` (with its sidecar
    /// removed), or copied out of the archive that holds it. Safe to repeat after a crash.
    func materializeReprocess(_ record: DropRecord, original old: DropRecord) throws {
        if FileSystem.status(record.workPath) != nil { return }
        if let errorPath = old.errorPath, FileSystem.status(errorPath)?.kind == .regular {
            try FileSystem.rename(errorPath, record.workPath)
            try? FileSystem.remove(errorPath + ".error.json")
            return
        }
        if let archive = old.archivePath, let member = old.archiveMember {
            let reader = try ArchiveReader(path: archive)
            guard try reader.seek(toMember: member) else { throw ReprocessError(description: "its original is missing from \(archive)") }
            try Self.copyMember(of: reader, to: record.workPath + ".part")
            try FileSystem.rename(record.workPath + ".part", record.workPath)
            return
        }
        throw ReprocessError(description: "its original is neither in error/ nor in an archive")
    }

    /// The messages of a reprocessed file that were applied already — by the drop it re-runs, the
    /// first receipt of the file or any other reprocess of it — as index → the message that applied it.
    /// A reprocess runs only the others again, unless the operator asked for the whole drop.
    func alreadyApplied(_ record: DropRecord, reader: StoreReader) throws -> [Int: String] {
        guard var root = record.reprocessOf, !record.reprocessWhole else { return [:] }
        var seen: Set<String> = [record.id, root]
        while let up = try reader.drop(id: root)?.reprocessOf, seen.insert(up).inserted { root = up }
        var lineage = [root]
        var frontier = [root]
        while let x = frontier.popLast() {
            for child in try reader.reprocessesOf(x) where child.id != record.id && !lineage.contains(child.id) {
                lineage.append(child.id)
                frontier.append(child.id)
            }
        }
        return try reader.appliedMessages(dropIDs: lineage)
    }

    /// The answer for a message a reprocess does not apply again.
    static func alreadyAppliedResult(_ messageID: String) -> MessageResult {
        MessageResult(disposition: .duplicate, issues: [.information(.alreadyApplied, type: "duplicate",
            "This message was applied when the file was first received (message \(messageID)); a reprocess runs only what failed")])
    }
}
