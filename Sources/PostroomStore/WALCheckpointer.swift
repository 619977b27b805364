import Dispatch
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log back into the database on a thread of its own, not on the writer's.
///
/// SQLite's automatic checkpoint runs inside the commit that fills the log past its threshold, on the
/// writer thread: every page written since the last one is read from the log and written to the database
/// while the next group waits (3–4% of the writer's time on a FHIR or batch load). Here, the writer's
/// commit hook asks for a passive checkpoint on another connection, on a background queue, once the log
/// holds `background` pages; the writer goes on. A passive checkpoint never waits for the writer nor
/// blocks it, and it is as crash-safe as the automatic one (SQLite's own protocol, on the same files).
///
/// The log starts again from its beginning only when a write transaction begins while every page of it is
/// back in the database, which a busy writer never leaves time for. So once the log holds `inline` pages
/// (SQLite's automatic threshold before, `Store.checkpointPages`), the commit hook checkpoints on the
/// writer as SQLite would have: by then the background has copied most of it (it is asked again each time
/// the log grows by a quarter of `inline`), and the log is reset at the next transaction. The log never
/// grows past what it did before.
final class WALCheckpointer: Sendable {
    let path: String
    let background: Int32
    let inline: Int32
    private let scheduled = Atomic<Bool>(false)
    /// Frames the background copied back (for tests).
    let framesCopied = Atomic<Int>(0)
    /// The log's size at which the background is asked next (the writer's thread only: the hook runs in
    /// its commits, which GRDB serialises).
    nonisolated(unsafe) private var nextAsk: Int32
    private static let queue = DispatchQueue(label: "postroom.wal-checkpoint", qos: .utility)

    init(path: String, background: Int32, inline: Int32) {
        self.path = path
        self.background = background
        self.inline = inline
        nextAsk = background
    }

    /// Installs the commit hook on the writer's connection (in place of SQLite's automatic checkpoint,
    /// which is the same hook). The checkpointer lives as long as the process: a connection may outlive
    /// the store that opened it, and the hook must never reach a freed object.
    func install(on connection: OpaquePointer) {
        sqlite3_wal_hook(connection, { context, db, name, pages in
            Unmanaged<WALCheckpointer>.fromOpaque(context!).takeUnretainedValue().committed(db, name, pages: pages)
            return SQLITE_OK
        }, Unmanaged.passRetained(self).toOpaque())
    }

    /// After a commit (the write lock released), with `pages` frames in the log.
    private func committed(_ db: OpaquePointer?, _ name: UnsafePointer<CChar>?, pages: Int32) {
        if pages < background {
            nextAsk = background
            return
        }
        if pages >= inline {
            // SQLITE_BUSY while the background holds the checkpoint: the next commit tries again.
            _ = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            return
        }
        // Asked again each time the log grew by half of `background`: a passive checkpoint copies the
        // frames there when it starts, and the writer goes on adding some.
        guard pages >= nextAsk, !scheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        nextAsk = pages + background / 2
        Self.queue.async { [self] in
            defer { scheduled.store(false, ordering: .releasing) }
            checkpoint()
        }
    }

    /// Returns once the checkpoints asked of the background so far are done (for tests).
    static func waitForBackground() { queue.sync {} }

    /// A passive checkpoint on a connection of its own, opened for it (checkpoints are megabytes apart).
    /// The connection reads the schema first: a connection that has never read leaves the log closed,
    /// and its checkpoint copies nothing.
    private func checkpoint() {
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK,
              sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nil, nil, nil) == SQLITE_OK else { return }
        var log: Int32 = 0, copied: Int32 = 0
        _ = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
        if copied > 0 { framesCopied.add(Int(copied), ordering: .relaxed) }
    }
}
