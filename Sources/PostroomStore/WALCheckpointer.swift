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
/// back in the database, which a busy writer rarely leaves time for. So once the log holds `inline` pages
/// (SQLite's automatic threshold before, `Store.checkpointPages`), the commit hook checkpoints on the
/// writer as SQLite would have: by then the background has copied nearly all of it, so that checkpoint has
/// only the last commits to copy, and the log is reset at the next transaction. The log never grows past
/// what it did before.
final class WALCheckpointer: Sendable {
    let path: String
    let background: Int32
    let inline: Int32
    private let scheduled = Atomic<Bool>(false)
    /// Whether the background was asked since the log last started again (the writer's thread only).
    nonisolated(unsafe) private var askedThisFilling = false
    /// Checkpoints asked of the background (for tests).
    let backgroundRuns = Atomic<Int>(0)
    private static let queue = DispatchQueue(label: "postroom.wal-checkpoint", qos: .utility)

    init(path: String, background: Int32, inline: Int32) {
        self.path = path
        self.background = background
        self.inline = inline
    }

    /// Installs the commit hook on the writer's connection (in place of SQLite's automatic checkpoint,
    /// which is the same hook). The checkpointer lives as long as the process: a connection may outlive
    /// the store that opened it, and the hook must never reach a freed object.
    func install(on connection: OpaquePointer) {
        sqlite3_wal_hook(connection, { context, db, _, pages in
            Unmanaged<WALCheckpointer>.fromOpaque(context!).takeUnretainedValue().committed(db, pages: pages)
            return SQLITE_OK
        }, Unmanaged.passRetained(self).toOpaque())
    }

    /// After a commit (the write lock released), with `pages` frames in the log.
    private func committed(_ db: OpaquePointer?, pages: Int32) {
        if pages >= inline {
            _ = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            return
        }
        // Once per filling of the log: a checkpoint after every commit past `background` would copy the
        // pages each group touches again and again.
        if pages < background { askedThisFilling = false; return }
        guard !askedThisFilling, !scheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        askedThisFilling = true
        backgroundRuns.add(1, ordering: .relaxed)
        Self.queue.async { [self] in
            defer { scheduled.store(false, ordering: .releasing) }
            checkpoint()
        }
    }

    /// Returns once the checkpoints asked of the background so far are done (for tests).
    static func waitForBackground() { queue.sync {} }

    /// A passive checkpoint on a connection of its own, opened for it (checkpoints are megabytes apart).
    private func checkpoint() {
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { return }
        _ = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }
}
