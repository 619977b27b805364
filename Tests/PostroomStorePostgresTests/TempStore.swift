import Foundation
import PostroomConfig
import PostroomCore
import PostroomPostgres
import PostroomPostgresTestSupport
@testable import PostroomStore

/// The store tests of PostroomStoreTests (the files here are links to them), run on PostgreSQL: a
/// `Store` on a fresh database of the process's throwaway server (`ThrowawayPostgres`), with the same
/// API as the SQLite suite's `TempStore`.
///
/// Without PostgreSQL installed the store is the SQLite file instead (the tests then repeat the SQLite
/// suite), unless `POSTROOM_REQUIRE_POSTGRES=1` (`make test`), which makes that a failure.
final class TempStore {
    let folder: URL
    let path: String
    let server: PostgresLocation?
    private(set) var store: Store

    struct NoPostgres: Error, CustomStringConvertible {
        var description: String
    }

    init(identity: IdentityNamespaces = .standard) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-store-pg-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let reason = ThrowawayPostgres.unavailable {
            guard ProcessInfo.processInfo.environment["POSTROOM_REQUIRE_POSTGRES"] != "1" else { throw NoPostgres(description: reason) }
            server = nil
            path = folder.appendingPathComponent("postroom.sqlite").path
            store = try Store(path: path, identity: identity)
            return
        }
        let pg = try ThrowawayPostgres.shared()
        let location = PostgresLocation(endpoint: .socket(directory: pg.socketDirectory, port: pg.port), user: pg.user,
                                        database: try pg.createDatabase("store"))
        server = location
        path = location.description
        store = try Store(backend: PostgresStoreBackend(location), identity: identity)
    }

    /// Opens the same database again (re-keying as opening does).
    func reopen(identity: IdentityNamespaces = .standard) throws {
        if let server {
            store = try Store(backend: PostgresStoreBackend(server), identity: identity)
        } else {
            store = try Store(path: path, identity: identity)
        }
    }

    func write<T>(_ body: (StoreWriter) throws -> T) throws -> T { try store.write(body) }
    func read<T>(_ body: (StoreReader) throws -> T) throws -> T { try store.read(body) }

    deinit { try? FileManager.default.removeItem(at: folder) }
}
