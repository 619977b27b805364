import Foundation
import GRDB
import PostgresNIO
import PostroomPostgres
import PostroomPostgresTestSupport
import PostroomStore
import Testing

@Suite(.enabled(if: ThrowawayPostgres.isAvailable, postgresSkipReason))
struct PostgresSchemaTests {
    @Test func aNewDatabaseIsMigratedOnceAndAgainIsNothingToDo() throws {
        let s = try PostgresSession(try freshDatabase("migrate"))
        #expect(try PostgresSchema.migrate(s) == PostgresSchema.migrations.map(\.name))
        #expect(try PostgresSchema.migrate(s) == [])
        #expect(try PostgresSchema.appliedVersions(s) == Dictionary(uniqueKeysWithValues: PostgresSchema.migrations.map { ($0.version, $0.name) }))
        // The tables work: an identity column numbers the Task history.
        try s.execute("INSERT INTO task_history (task_id, to_status, at, reason) VALUES ('t1', 'requested', '2026-01-01', 'created')")
        try s.execute("INSERT INTO task_history (task_id, to_status, at, reason) VALUES ('t1', 'accepted', '2026-01-02', 'accepted')")
        #expect(try s.execute("SELECT seq FROM task_history ORDER BY seq").map { try $0.decode(Int.self) } == [1, 2])
    }

    /// Nodes starting together: every one calls migrate at the same moment; the advisory lock makes them
    /// wait for each other and each migration runs exactly once (a second run of a CREATE TABLE would fail).
    @Test func nodesMigratingTogetherMigrateOnce() throws {
        let loc = try freshDatabase("together")
        let applied = try onThreads(4) { _ in
            let s = try PostgresSession(loc)
            defer { s.close() }
            return try PostgresSchema.migrate(s)
        }
        #expect(applied.flatMap { $0 }.sorted() == PostgresSchema.migrations.map(\.name).sorted(), "\(applied)")
        #expect(applied.filter { !$0.isEmpty }.count == 1, "one node migrated, the others found nothing to do: \(applied)")
    }

    @Test func aDatabaseMigratedByANewerBuildIsRefused() throws {
        let (_, s) = try migratedDatabase("newer")
        try s.execute("INSERT INTO schema_migration (version, name) VALUES (999, 'p999-from-the-future')")
        do {
            try PostgresSchema.migrate(s)
            Issue.record("a newer schema was accepted")
        } catch let failure as PostgresFailure {
            #expect(failure.kind == .schema && failure.message.contains("999"), "\(failure)")
        }
    }

    /// The two stores keep one schema: every table, column and index of the SQLite store (as its GRDB
    /// migrations leave it) exists in PostgreSQL. When this fails after a new SQLite migration, add its
    /// PostgreSQL twin under Sources/PostroomPostgres/Migrations.
    @Test func everySQLiteTableColumnAndIndexHasItsPostgreSQLTwin() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pg-parity-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Store(path: folder + "/postroom.sqlite")
        let sqlite = try DatabaseQueue(path: folder + "/postroom.sqlite")
        let (sqliteColumns, sqliteIndexes) = try sqlite.read { db -> ([String: Set<String>], Set<String>) in
            var columns: [String: Set<String>] = [:]
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                """)
            for t in tables { columns[t] = Set(try db.columns(in: t).map(\.name)) }
            let indexes = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'
                """)
            return (columns, Set(indexes))
        }
        let (_, s) = try migratedDatabase("parity")
        var pgColumns: [String: Set<String>] = [:]
        for row in try s.execute("SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'") {
            let (t, c) = try row.decode((String, String).self)
            pgColumns[t, default: []].insert(c)
        }
        let pgIndexes = Set(try s.execute("SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public'").map { try $0.decode(String.self) })
        #expect(sqliteColumns.count >= 20, "the SQLite schema was read: \(sqliteColumns.keys.sorted())")
        // SQLite only: the drop counts kept by triggers (v14); PostgreSQL counts the rows, as one tally row per
        // channel and outcome would make the nodes' transactions wait for each other (docs/STORE-SEAM.md).
        let sqliteOnly: Set = ["drop_tally"]
        #expect(sqliteOnly.isSubset(of: sqliteColumns.keys) && sqliteOnly.isDisjoint(with: pgColumns.keys))
        for (table, columns) in sqliteColumns.sorted(by: { $0.key < $1.key }) where !sqliteOnly.contains(table) {
            let pg = try #require(pgColumns[table], "SQLite table \(table) has no PostgreSQL twin")
            #expect(columns.subtracting(pg).isEmpty, "\(table): columns missing in PostgreSQL: \(columns.subtracting(pg).sorted())")
            // Beyond SQLite's columns PostgreSQL has only `seq`, standing for the rowid that SQLite orders by.
            #expect(pg.subtracting(columns).subtracting(["seq"]).isEmpty, "\(table): extra PostgreSQL columns \(pg.subtracting(columns).sorted())")
        }
        #expect(Set(pgColumns.keys).subtracting(sqliteColumns.keys) == ["schema_migration", "node", "drop_claim"])
        #expect(sqliteIndexes.subtracting(pgIndexes).isEmpty, "indexes missing in PostgreSQL: \(sqliteIndexes.subtracting(pgIndexes).sorted())")
    }
}
