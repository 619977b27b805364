import Foundation
import PostroomStore

/// What `postroom prune` did.
public struct PruneResult: Sendable {
    public var archives = 0
    public var errorFiles = 0
    public var rows = PruneCounts()
    public var bytesReclaimed: Int64 = 0
}

extension Pipeline {
    /// Removes run archives and `error/` files older than `cutoff`, then the intake rows of that
    /// age, then reclaims the database's free pages (VACUUM). Recorded in the audit table.
    public func prune(before cutoff: String, actor: String) throws -> PruneResult {
        var result = PruneResult()
        let before = fileSize(config.database)
        let runs = try store.read { try $0.runs(before: cutoff) }
        for run in runs {
            for path in RunArchive.placedParts(of: run, archiveFolder: config.archiveFolder) {
                try FileSystem.remove(path)
                result.archives += 1
            }
        }
        let cutoffDate = StoreTime.date(cutoff) ?? Date.distantPast
        for ch in config.channels {
            let dir = config.errorFolder + "/" + ch.name
            try? FileSystem.forEachEntry(in: dir) { name in
                let path = dir + "/" + name
                if let st = FileSystem.status(path), st.kind == .regular, st.modified < cutoffDate.timeIntervalSince1970 {
                    try FileSystem.remove(path)
                    if !name.hasSuffix(".error.json") { result.errorFiles += 1 }
                }
                return true
            }
        }
        let oldAckFiles = Set(try store.read { try $0.drops(before: cutoff) }.compactMap(\.ackFile))
        result.rows = try store.write { w in
            let c = try w.prune(before: cutoff)
            try w.audit(at: StoreTime.string(Date()), actor: actor, action: "prune", target: cutoff,
                        detail: "archives \(result.archives), error files \(result.errorFiles), drops \(c.drops), runs \(c.runs)")
            return c
        }
        // Acknowledgements kept as files (streamed batches) go with the last drop that names them.
        for path in oldAckFiles where try !store.read({ try $0.ackFileInUse(path) }) {
            try? FileSystem.remove(path)
        }
        try store.vacuum()
        result.bytesReclaimed = max(0, before - fileSize(config.database))
        // Empty day folders of the archive.
        removeEmptyFolders(config.archiveFolder)
        return result
    }

    func fileSize(_ path: String) -> Int64 {
        (FileSystem.status(path)?.size ?? 0) + (FileSystem.status(path + "-wal")?.size ?? 0)
    }

    func removeEmptyFolders(_ root: String) {
        guard let e = FileManager.default.enumerator(atPath: root) else { return }
        let dirs = e.compactMap { $0 as? String }.filter { FileSystem.status(root + "/" + $0)?.kind == .directory }
        for d in dirs.sorted(by: { $0.count > $1.count }) { _ = rmdir(root + "/" + d) }
    }
}
