import PostroomCore

/// A database other than the SQLite file under the store's logic: PostgreSQL, through
/// `PostgresStoreBackend` in PostroomPostgres (which this module does not depend on). The store's
/// logic (`StoreWriter`, `StoreReader` and their extensions) runs unchanged on the `SQLExecutor` it
/// hands out; docs/STORE-SEAM.md lists what the executor translates.
///
/// The backend's database is migrated when the backend is made, before a `Store` opens on it.
public protocol StoreBackend: AnyObject, Sendable {
    /// Where the data is, for messages and `Store.path` (never a password).
    var location: String { get }

    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    /// A transaction the database could not serialise may run `body` again.
    func write<T>(_ body: (any SQLExecutor) throws -> T) throws -> T

    /// Runs `body` in one read-only transaction on a consistent snapshot.
    func read<T>(_ body: (any SQLExecutor) throws -> T) throws -> T

    /// Reclaims space after pruning.
    func vacuum() throws
}

/// An error of a backend's database that says which exit code (sysexits) it means, for
/// `Store.exitCode(for:)`: 74 when the database cannot be written, 75 when it is busy; nil otherwise.
public protocol StoreBackendError: Error {
    var storeExitCode: Int32? { get }
}

extension Store {
    /// Opens the store on another database (its schema already migrated by the backend), re-deriving
    /// the identifier keys when the namespaces changed, as `init(path:)` does.
    public convenience init(backend: any StoreBackend, identity: IdentityNamespaces = .standard) throws {
        let rekeyed = try backend.write { db in
            let w = StoreWriter(db: db, identity: identity, encoder: ViewRecordEncoder())
            let r = try w.rekeyIfNeeded()
            try w.journal.flush(w.db)
            try w.journal.writeRecords(w.db)
            return r
        }
        self.init(backend: .other(backend), path: backend.location, identity: identity, rekeyed: rekeyed)
    }
}
