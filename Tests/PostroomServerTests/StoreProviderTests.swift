import Foundation
import GRDB
import InMemoryLogging
import Logging
import PostroomConfig
import PostroomPostgres
import PostroomPostgresTestSupport
@testable import PostroomServer
@testable import PostroomStore
import Testing

/// How `serve` opens the pipeline's database.
@Suite struct StoreProviderTests {
    /// A database a newer build migrated (here one without the search index's table): `serve` builds no
    /// index in it, does not serve it, and says why once — not as a read-only file, not at every request.
    @Test func aNewerDatabaseIsRefusedOnceWithItsReason() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-newer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("postroom.sqlite").path
        let store = try Store(path: path)
        try store.pool.write { db in
            try db.execute(sql: "DROP TABLE search_param")
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-a-newer-build')")
        }
        let log = InMemoryLogHandler()
        let provider = StoreProvider(path: path, logger: Logger(label: "serve") { _ in log })
        #expect(provider.store() == nil)
        #expect(provider.store() == nil)
        let errors = log.entries.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.description.contains("migrated by a newer Postroom") == true)
        #expect(errors.first?.metadata["reason"]?.description.contains("(v99-from-a-newer-build)") == true)
        #expect(!log.entries.contains { $0.message.description.contains("could not be built") }, "not taken for a read-only file")
        #expect(try store.pool.read { try $0.tableExists("search_param") } == false)
    }

    /// The same on PostgreSQL: a schema with a migration this build does not know is refused with its
    /// reason, said once over several requests.
    @Test(.enabled(if: ThrowawayPostgres.isAvailable, "needs a throwaway PostgreSQL server: \(ThrowawayPostgres.unavailable ?? "")"))
    func aNewerPostgreSQLSchemaIsRefusedOnceWithItsReason() throws {
        let server = try ThrowawayPostgres.shared()
        let location = PostgresLocation(endpoint: .socket(directory: server.socketDirectory, port: server.port), user: server.user,
                                        database: try server.createDatabase("serve-newer"))
        let s = try PostgresSession(location)
        defer { s.close() }
        try PostgresSchema.migrate(s)
        try s.execute("INSERT INTO schema_migration (version, name) VALUES (999, 'p999-from-a-newer-build')")
        let log = InMemoryLogHandler()
        let provider = StoreProvider(path: "", logger: Logger(label: "serve") { _ in log })
        provider.server = { try Store(backend: PostgresStoreBackend(location)) }
        #expect(provider.store() == nil)
        #expect(provider.store() == nil)
        #expect(provider.writer() == nil)
        let errors = log.entries.filter { $0.level == .error }
        #expect(errors.count == 1, "\(errors.map(\.message))")
        #expect(errors.first?.message.description.contains("schema is not this build's") == true)
        #expect(errors.first?.metadata["reason"]?.description.contains("999 (p999-from-a-newer-build)") == true)
    }
}
