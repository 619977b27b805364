import CSQLiteConfig
import Foundation
import GRDB
import PostroomCore

/// Postroom's state in one SQLite file (WAL mode), behind a type of our own.
///
/// One process writes (the data folder lock guarantees it); any number read, e.g. `postroom
/// serve` beside a running `watch`. All writes happen inside `write`, one transaction each.
public final class Store: Sendable {
    /// Raised when the database cannot be opened or migrated.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        /// The database was migrated by a newer build (`refuseNewerSchema`): retrying will not help.
        public var newerSchema = false
    }

    /// Where the state lives: the SQLite file (GRDB's pool) or another database behind a `StoreBackend`.
    enum Backend: Sendable {
        case sqlite(DatabasePool)
        case other(any StoreBackend)
    }

    let backend: Backend
    /// The SQLite pool (the SQLite store only: migrations, maintenance and tests of the file).
    var pool: DatabasePool {
        guard case .sqlite(let pool) = backend else { preconditionFailure("not a SQLite store") }
        return pool
    }
    /// The database file, or for another backend its location (never a password).
    public let path: String
    /// How identifiers of one namespace meet across formats (the keys the store indexes).
    public let identity: IdentityNamespaces
    /// Whether opening re-derived the keys (an older database, or changed namespaces).
    public let rekeyed: Bool
    /// Makes the view records of write transactions off the writer thread.
    let encoder = ViewRecordEncoder()

    init(backend: Backend, path: String, identity: IdentityNamespaces, rekeyed: Bool) {
        self.backend = backend
        self.path = path
        self.identity = identity
        self.rekeyed = rekeyed
    }

    /// Opens (creating and migrating when needed) the database at `path`.
    ///
    /// - Parameter readOnly: open for reading only (no migration; the file must exist).
    public init(path: String, readOnly: Bool = false, identity: IdentityNamespaces = .standard) throws {
        Self.configureSQLite()
        self.path = path
        self.identity = identity
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(10)
        config.label = "postroom"
        config.prepareDatabase { db in
            // Savepoints (one per message) journal every page they touch; in memory, not in temp files.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Readers keep a small page cache (the writer's is set below): a run reads little through
            // them, and each reader's cache would otherwise grow to SQLite's default 2 MiB.
            try db.execute(sql: "PRAGMA cache_size = -\(Self.readerCacheKiB)")
        }
        // WAL with synchronous NORMAL: a commit survives a process crash at once; it is made durable
        // against power loss by the pipeline's `syncfs` of the database's file system, which comes
        // before any acknowledgement is renamed into place (see `FileSystem.writeAtomically`).
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            try Self.refuseNewerSchema(pool)
            backend = .sqlite(pool)
            if !readOnly {
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                    try db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheKiB)")
                    try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.checkpointPages)")
                }
                try Schema.migrator.migrate(pool)
                rekeyed = try pool.write { db in
                    let w = StoreWriter(db: GRDBExecutor(db), identity: identity, encoder: ViewRecordEncoder())
                    let r = try w.rekeyIfNeeded()
                    try w.journal.flush(w.db)
                    try w.journal.writeRecords(w.db)
                    return r
                }
            } else {
                rekeyed = false
            }
        } catch {
            throw Failure("cannot open the database \(path)", wrapping: error)
        }
    }

    /// Refuses a database that a newer build migrated: this build would misread what it does not know
    /// (an answer stored compressed, a table it never writes). GRDB runs the migrations it knows and
    /// ignores the others, so without this an older build would use such a database as if it were its own.
    static func refuseNewerSchema(_ db: some DatabaseReader) throws {
        let known = Set(Schema.migrations.map(\.name))
        let unknown = try db.read { try Schema.migrator.appliedIdentifiers($0) }.subtracting(known)
        guard unknown.isEmpty else {
            throw Failure(description: "it was migrated by a newer Postroom (\(unknown.sorted().joined(separator: ", "))); "
                + "this build knows the schema up to \(Schema.migrations.last?.name ?? "none"): run the newer build, or restore a backup",
                          newerSchema: true)
        }
    }

    /// The writer's page cache, twice SQLite's default (2 MiB): with the default, a group's transaction
    /// (128 drops of a dozen resources each with their index and search rows) spilled dirty pages into
    /// the WAL mid-transaction and read pages back again. 8 MiB was no faster and cost the memory
    /// bound (peak RSS ≤ 64 MiB) 4 MiB more.
    static let writerCacheKiB = 4_096
    /// A reader connection's page cache: a run reads through one (a drop's earlier outcome, the
    /// dedupe and recovery lookups), whose default 2 MiB cache filled up on a large store and counted
    /// against the memory bound.
    static let readerCacheKiB = 512

    /// Process-wide SQLite settings, made once before the first connection opens: no memory statistics.
    /// Debian's SQLite keeps them by default, and they take a process-wide mutex around every allocation
    /// and free SQLite makes (4% of the writer thread's time on one-message v2 files; PERFORMANCE.md).
    static func configureSQLite() { _ = sqliteConfigured }
    private static let sqliteConfigured: Bool = CSQLiteConfigMemoryStatisticsOff() == SQLITE_OK
    /// Pages in the WAL before it is copied back into the database (SQLite's default is 1,000): the
    /// index pages a run touches in every group are copied back once per checkpoint, not once per few groups,
    /// and the checkpoint's wait for the disk (on the writer, inside the commit that fills the log) comes a
    /// quarter as often as at 8,192. 32,768 pages (128 MiB of log, kept on disk between checkpoints):
    /// alternating with 8,192, the 200,000-message batch 14.4–14.6 → 13.7 s, FHIR 3.95–4.08 → 3.79 s
    /// (PERFORMANCE.md; slower in 2026-12-05's code, whose reads searched the log more).
    static let checkpointPages = 32_768

    /// Runs `body` in one write transaction; everything it does commits together or not at all.
    public func write<T>(_ body: (StoreWriter) throws -> T) throws -> T {
        try transaction(elidingSavepoints: false, body)
    }

    private func transaction<T>(elidingSavepoints: Bool, _ body: (StoreWriter) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let pool):
            return try pool.write { db in try Self.write(GRDBExecutor(db), identity, encoder, elidingSavepoints: elidingSavepoints, body) }
        case .other(let other):
            return try other.write { db in try Self.write(db, identity, encoder, elidingSavepoints: elidingSavepoints, body) }
        }
    }

    /// Runs `body` in one write transaction whose savepoints are elided (`StoreWriter.savepoint` runs
    /// its body with no savepoint: a savepoint journals every page its body touches, a tenth of a v2
    /// batch's time). If any savepoint's body throws, the whole transaction is rolled back and `body`
    /// runs again in a new one with real savepoints, so the outcome is the same as `write`'s.
    ///
    /// `body` may run twice: whatever it does outside the store must start afresh when it does.
    /// - Returns: the result, and whether `body` had to run again with savepoints.
    public func writeElidingSavepoints<T>(_ body: (StoreWriter) throws -> T) throws -> (result: T, replayed: Bool) {
        do {
            return (try transaction(elidingSavepoints: true, body), false)
        } catch is ElidedSavepointFailed {
            return (try write(body), true)
        }
    }

    static func write<T>(_ db: any SQLExecutor, _ identity: IdentityNamespaces, _ encoder: ViewRecordEncoder,
                         elidingSavepoints: Bool = false, _ body: (StoreWriter) throws -> T) throws -> T {
        let w = StoreWriter(db: db, identity: identity, encoder: encoder, elidingSavepoints: elidingSavepoints)
        let result: T
        do {
            result = try body(w)
        } catch where w.journal.elidedSavepointFailed && !Self.isDatabaseFailure(error) {
            // The body caught an elided savepoint's failure and threw something else: run it again with savepoints.
            throw ElidedSavepointFailed()
        }
        // A failed savepoint whose error the body caught still undoes the transaction: its changes were not undone.
        if w.journal.elidedSavepointFailed { throw ElidedSavepointFailed() }
        try w.journal.flush(w.db)
        try w.journal.writeRecords(w.db)
        return result
    }

    /// Runs `body` on a read snapshot.
    public func read<T>(_ body: (StoreReader) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let pool): return try pool.read { db in try body(StoreReader(db: GRDBExecutor(db), identity: identity)) }
        case .other(let other): return try other.read { db in try body(StoreReader(db: db, identity: identity)) }
        }
    }

    /// Checkpoints the WAL and reclaims free pages (after pruning).
    public func vacuum() throws {
        switch backend {
        case .sqlite(let pool):
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "VACUUM")
            }
        case .other(let other):
            try other.vacuum()
        }
    }
}

/// Read access to the store (any snapshot).
public struct StoreReader {
    /// The connection, inside the read's transaction (see `SQLExecutor`).
    let db: any SQLExecutor
    /// The canonical keys of identifiers (see `IdentityNamespaces`).
    public let identity: IdentityNamespaces
    /// The writer's versions not yet in a view record (reads inside a write transaction see them).
    var journal: ViewJournal? = nil
}

/// Write access inside one transaction.
public struct StoreWriter {
    /// The connection, inside the write's transaction (see `SQLExecutor`).
    let db: any SQLExecutor
    /// The canonical keys of identifiers (see `IdentityNamespaces`).
    public let identity: IdentityNamespaces
    /// The resource versions written in this transaction, on their way to the view journal.
    let journal: ViewJournal

    init(db: any SQLExecutor, identity: IdentityNamespaces, encoder: ViewRecordEncoder, elidingSavepoints: Bool = false) {
        self.db = db
        self.identity = identity
        journal = ViewJournal(encoder: encoder)
        journal.elidingSavepoints = elidingSavepoints
    }

    /// Read access within the same transaction.
    public var reader: StoreReader { StoreReader(db: db, identity: identity, journal: journal) }

    /// Runs `body` in a savepoint: if it throws, only its own changes are undone. The resource
    /// versions it wrote become one view record (a message's record).
    ///
    /// In a transaction of `Store.writeElidingSavepoints` no savepoint is taken: if `body` throws, the
    /// transaction is marked failed and `ElidedSavepointFailed` thrown, which makes the store run the
    /// transaction again with savepoints. There the versions of several messages share a record
    /// (`ViewJournal.recordMessages`): fewer records and keys to write.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        let mark = journal.mark
        journal.savepointDepth += 1
        do {
            defer { journal.savepointDepth -= 1 }
            func run() throws {
                result = try body()
                if !journal.elidingSavepoints {
                    try journal.flush(db, from: mark.entries)
                } else if journal.savepointDepth == 1 {
                    // Without savepoints nothing is rolled back on its own: the versions of the messages
                    // so far (whole ones: this is the outermost savepoint) may share one record.
                    try journal.messageFinished(db)
                }
            }
            if journal.elidingSavepoints { try run() } else { try db.savepoint(run) }
        } catch {
            if journal.elidingSavepoints {
                journal.elidedSavepointFailed = true
                // The database's own failures (a full disk, a PostgreSQL serialisation failure to be retried
                // by its backend) fail the transaction as they would with savepoints: thrown as they are.
                throw Store.isDatabaseFailure(error) ? error : ElidedSavepointFailed()
            }
            journal.rollBack(to: mark)
            throw error
        }
        try journal.writeEncodedRecords(db)
        return result!
    }
}

/// A savepoint's body failed in a transaction whose savepoints were elided: the transaction is rolled
/// back and run again with savepoints (`Store.writeElidingSavepoints`).
struct ElidedSavepointFailed: Error {}

extension Store {
    /// An error of the database itself (SQLite's, or a backend's), which no savepoint's caller handles: it
    /// fails the whole transaction with or without savepoints.
    static func isDatabaseFailure(_ error: any Error) -> Bool {
        error is DatabaseError || error is any StoreBackendError
    }
}

/// Timestamps as stored: RFC 3339 UTC with milliseconds (sortable as text).
public enum StoreTime {
    public static func string(_ date: Date) -> String {
        CivilDate.utcText(milliseconds: Int((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Reads a timestamp written by `string` (or any RFC 3339 instant).
    public static func date(_ s: String) -> Date? {
        guard case .success(let value) = FHIRDateTime.parse(s, grammar: .stored) else { return nil }
        return Date(timeIntervalSince1970: Double(value.period.lo) / 1000)
    }
}
