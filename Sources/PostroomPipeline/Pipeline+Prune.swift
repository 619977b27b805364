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
        // What is pruned is pruned from the view: the view first holds everything.
        try store.materialiseView()
        let runs = try store.read { try $0.runs(before: cutoff) }
        for run in runs {
            for path in RunArchive.placedParts(of: run, archiveFolder: config.archiveFolder) {
                try FileSystem.remove(path)
                result.archives += 1
            }
        }
        result.errorFiles = try pruneErrorFolders(before: cutoff)
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

    /// Removes the `error/` originals (and sidecars) of drops received before `cutoff`, judged by the
    /// drop table: a file renamed into `error/` keeps the sender's mtime, so a recent reject may look
    /// old. Only a file no drop names (its record pruned before) is judged by its mtime. Returns the
    /// originals removed.
    func pruneErrorFolders(before cutoff: String) throws -> Int {
        let recent = Set(try store.read { try $0.errorPaths(receivedBefore: false, cutoff: cutoff) })
        let old = Set(try store.read { try $0.errorPaths(receivedBefore: true, cutoff: cutoff) })
        let cutoffSeconds = (StoreTime.date(cutoff) ?? Date.distantPast).timeIntervalSince1970
        var removed = 0
        for ch in config.channels {
            let dir = config.errorFolder + "/" + ch.name
            try? FileSystem.forEachEntry(in: dir) { name in
                let path = dir + "/" + name
                let original = name.hasSuffix(FileName.sidecarSuffix) ? String(path.dropLast(FileName.sidecarSuffix.utf8.count)) : path
                guard let st = FileSystem.status(path), st.kind == .regular, !recent.contains(original) else { return true }
                if old.contains(original) || st.modified < cutoffSeconds {
                    try FileSystem.remove(path)
                    if original == path { removed += 1 }
                }
                return true
            }
        }
        return removed
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
