import Foundation
import Logging
import PostroomCore
import PostroomPostgres
import PostroomStore

/// Opens the pipeline's database read-only once it exists (a WAL reader beside a running `watch` or
/// `run --once`), building the search index first when the writer has not.
///
/// Until the file exists the server answers as for an empty store.
final class StoreProvider: @unchecked Sendable {
    let path: String
    let logger: Logger
    private let lock = NSLock()
    private var opened: Store?
    private var indexed = false
    /// The pipeline's namespaces: the same canonical keys as the writer's.
    let identity: IdentityNamespaces
    /// Opens a store on a database server (PostgreSQL) instead of the file at `path`: one `Store`
    /// for reading and for `serve`'s one write; its schema (search index included) is always there.
    var server: (@Sendable () throws -> Store)?

    init(path: String, logger: Logger, identity: IdentityNamespaces = .standard) {
        self.path = path
        self.logger = logger
        self.identity = identity
    }

    /// The store, or nil while there is no database yet (or it cannot be opened; logged).
    func store() -> Store? {
        lock.lock()
        defer { lock.unlock() }
        if let opened { return opened }
        if let server { return openServer(server) }
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            // A database an older version wrote is brought to this version's schema first (when it can be written).
            _ = openWritable(logFailure: false)
            do {
                indexed = try Store.prepareSearchIndex(path: path)
            } catch let failure as Store.Failure where failure.newerSchema {
                throw failure
            } catch {
                indexed = false
                logger.warning("the search index could not be built (the database is read-only here?); searches answer 503 until the pipeline builds it")
            }
            let s = try Store(path: path, readOnly: true, identity: identity)
            opened = s
            logger.info("database opened", metadata: ["searchIndex": .stringConvertible(indexed)])
            return s
        } catch let failure as Store.Failure where failure.newerSchema {
            return refuse("the database was migrated by a newer Postroom: served as empty until the newer build serves it, or a backup is restored",
                          reason: failure.description)
        } catch {
            logger.error("cannot open the database", metadata: ["error": .string(String(describing: type(of: error)))])
            return nil
        }
    }

    /// Whether the database was refused as a newer build's, or (PostgreSQL) as another schema (logged once).
    private var refusedSchema = false

    /// A database whose schema is not this build's is served as empty; why is said once, with its reason
    /// (migration names, the path; no content): it lasts until the build changes (the caller holds `lock`).
    private func refuse(_ message: Logger.Message, reason: String) -> Store? {
        if !refusedSchema { logger.error(message, metadata: ["reason": .string(reason)]) }
        refusedSchema = true
        return nil
    }

    private var writable: Store?

    /// A writable handle, for what `serve` writes (queuing a reprocess, materialising the view); nil when
    /// the database does not exist or cannot be written (logged when `logFailure`).
    func writer(logFailure: Bool = true) -> Store? {
        lock.lock()
        defer { lock.unlock() }
        return openWritable(logFailure: logFailure)
    }

    /// The store on a database server, opened once for reading and writing (the caller holds `lock`).
    private func openServer(_ open: () throws -> Store) -> Store? {
        do {
            let s = try open()
            opened = s
            writable = s
            indexed = true
            logger.info("database opened", metadata: ["searchIndex": .stringConvertible(true)])
            return s
        } catch let failure as PostgresFailure where failure.kind == .schema {
            return refuse("the database's schema is not this build's: served as empty until a build that knows it serves it, or a backup is restored",
                          reason: failure.message)
        } catch {
            logger.error("cannot open the database", metadata: ["error": .string(String(describing: type(of: error)))])
            return nil
        }
    }

    /// The writable handle, opened once (the caller holds `lock`).
    private func openWritable(logFailure: Bool = true) -> Store? {
        if let writable { return writable }
        if let server { return openServer(server) }
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            writable = try Store(path: path, identity: identity)
            return writable
        } catch {
            if logFailure { logger.error("cannot open the database for writing", metadata: ["error": .string(String(describing: type(of: error)))]) }
            return nil
        }
    }

    /// Whether the FHIR view holds every stored resource version, putting what waits in the view journal
    /// into it first (through the writable handle). Answers come only from a view that holds whole
    /// messages: a message's versions are materialised together, in the order they were written.
    func viewIsCurrent(_ store: Store) -> Bool {
        if (try? store.read { try $0.viewIsMaterialised() }) == true { return true }
        guard let writable = writer() else { return false }
        do {
            try writable.materialiseView(batch: Self.catchUpBatch)
            return true
        } catch {
            logger.error("cannot materialise the view", metadata: ["error": .string(String(describing: type(of: error)))])
            return false
        }
    }

    /// Records per materialisation transaction in `serve` (the catch-up and before a search): fewer than
    /// a run's (`Store.materialiseBatch`, 48), as `serve` holds its server's memory besides. Catching up
    /// on a 40,000-message batch: 96 records peaked at 63.2 MiB (the bound is 64), 32 at 53.7–55.0 MiB,
    /// in about the same time (25.4 s; 24.3–26.0 s).
    static let catchUpBatch = 32

    /// Puts what waits in the view journal into the view, when the database exists and can be written
    /// (`serve`'s background catch-up: with `view: deferred` a run leaves its view to later, and the
    /// first search should not pay for it). Returns the number of records materialised; failures are
    /// logged (types only) and retried at the next call.
    @discardableResult
    func catchUpView() -> Int {
        guard let pending = try? store()?.read({ try $0.pendingViewRecords() }), pending > 0,
              let writable = writer(logFailure: false) else { return 0 }
        // A large run's records take a while (about 0.65 ms a message); searches wait for them meanwhile.
        logger.info("materialising the view", metadata: ["records": .stringConvertible(pending)])
        do {
            return try writable.materialiseView(batch: Self.catchUpBatch)
        } catch {
            logger.warning("cannot materialise the view yet", metadata: ["error": .string(String(describing: type(of: error)))])
            return 0
        }
    }

    /// Whether the search index is present (re-checked until it is: the pipeline may build it later).
    func hasSearchIndex(_ store: Store) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if !indexed { indexed = (try? store.read { try $0.hasSearchIndex() }) ?? false }
        return indexed
    }
}
