import Foundation
import PostroomPostgres
import PostroomPostgresTestSupport
import PostroomStore
import Testing

/// `.cached` SQL runs as a named prepared statement of its session (parsed and planned once per
/// connection): reused across calls and transactions, told apart by the arguments' types, and never
/// left unusable by a failure, a rolled-back savepoint or a schema change.
@Suite(.enabled(if: ThrowawayPostgres.isAvailable, postgresSkipReason))
struct PreparedStatementTests {
    /// The number of prepared statements the server holds for the session.
    func serverStatements(_ s: PostgresSession) throws -> Int {
        try s.execute("SELECT count(*) FROM pg_prepared_statements").first!.decode(Int.self)
    }

    @Test func aCachedTextIsPreparedOncePerSessionAndArgumentTypes() throws {
        let s = try PostgresSession(try freshDatabase("prep"))
        defer { s.close() }
        try s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT)")
        let insert = SQL.cached("INSERT INTO t (id, name) VALUES (?, ?)")
        for i in 1...3 {
            try s.transaction { s in
                let db = PostgresExecutor(s)
                try db.execute(insert, [i, "n\(i)"])
                #expect(db.changes == 1)
            }
        }
        #expect(s.preparedStatementCount == 1)
        #expect(try serverStatements(s) == 1)
        try s.transaction { s in
            let db = PostgresExecutor(s)
            try db.execute(insert, [4, nil])  // a NULL argument: another variant of the text
            try db.execute(.cached("UPDATE t SET name = ? WHERE id <= ?"), ["x", 2])
            #expect(db.changes == 2)
            let ids = try db.values(Int.self, .cached("DELETE FROM t WHERE id >= ? RETURNING id"), [3])
            #expect(ids.sorted() == [3, 4])
            #expect(db.changes == 2)
            #expect(try db.value(String.self, .cached("SELECT name FROM t WHERE id = ?"), [1]) == "x")
            #expect(try db.value(String.self, .cached("SELECT name FROM t WHERE id = ?"), [9]) == nil)
        }
        #expect(s.preparedStatementCount == 5)
        #expect(try serverStatements(s) == 5)
    }

    @Test func aStatementIsReusedAfterRollbackToSavepoint() throws {
        let s = try PostgresSession(try freshDatabase("prep"))
        defer { s.close() }
        try s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)")
        let insert = SQL.cached("INSERT INTO t (id) VALUES (?)")
        let count = SQL.cached("SELECT count(*) FROM t WHERE id > ?")
        try s.transaction { s in
            let db = PostgresExecutor(s)
            try db.execute(insert, [1])
            #expect(throws: PostgresFailure.self) {
                try db.savepoint {
                    try db.execute(insert, [2])  // undone with the savepoint
                    try db.execute(insert, [1])  // a unique violation
                }
            }
            try db.execute(insert, [3])
            // A text first prepared inside a savepoint that is rolled back stays prepared.
            #expect(throws: Undo.self) {
                try db.savepoint {
                    #expect(try db.value(Int.self, count, [0]) == 2)
                    throw Undo()
                }
            }
            #expect(try db.value(Int.self, count, [0]) == 2)
        }
        #expect(try PostgresExecutor(s).values(Int.self, "SELECT id FROM t ORDER BY id") == [1, 3])
        let above1 = try s.transaction { s in try PostgresExecutor(s).value(Int.self, count, [1]) }
        #expect(above1 == 1)
        #expect(s.preparedStatementCount == 2)
    }

    /// A text first run in a transaction already aborted by a failed statement fails (and PostgresNIO
    /// remembers the failed preparation under its name); the session's next transaction runs it.
    @Test func aFailedTransactionDoesNotPoisonTheSession() throws {
        let s = try PostgresSession(try freshDatabase("prep"))
        defer { s.close() }
        try s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)")
        let insert = SQL.cached("INSERT INTO t (id) VALUES (?)")
        var failed: PostgresFailure?
        #expect(throws: PostgresFailure.self) {
            try s.transaction { s in
                let db = PostgresExecutor(s)
                do { try db.execute("SELECT 1 / 0") } catch let f as PostgresFailure { failed = f }
                try db.execute(insert, [1])  // 25P02: the transaction is aborted
            }
        }
        #expect(failed?.sqlState == "22012")
        #expect(throws: PostgresFailure.self) {
            try s.transaction { s in
                let db = PostgresExecutor(s)
                try db.execute(insert, [2])
                try db.execute(insert, [2])  // a unique violation after a good run: the name is kept
            }
        }
        try s.transaction { s in
            let db = PostgresExecutor(s)
            try db.execute(insert, [3])
            try db.execute(insert, [4])
        }
        #expect(try PostgresExecutor(s).values(Int.self, "SELECT id FROM t ORDER BY id") == [3, 4])
        #expect(try serverStatements(s) == 1)
    }

    /// A column added to a table a prepared `SELECT *` reads changes its result: the server refuses the
    /// old plan (0A000) at most once, and the text is prepared again under a new name.
    @Test func aSchemaChangeGetsTheStatementPreparedAgain() throws {
        let loc = try freshDatabase("prep")
        let s = try PostgresSession(loc)
        let other = try PostgresSession(loc)
        defer { s.close(); other.close() }
        try s.execute("CREATE TABLE t (a BIGINT)")
        try s.execute("INSERT INTO t VALUES (1)")
        let all = SQL.cached("SELECT * FROM t WHERE a = ?")
        func columns() throws -> Int {
            try s.transaction { s in try PostgresExecutor(s).row(all, [1])?.columns.count ?? 0 }
        }
        #expect(try columns() == 1)
        try other.execute("ALTER TABLE t ADD COLUMN b TEXT")
        var failures = 0
        var seen = 0
        for _ in 0..<3 {
            do { seen = try columns(); break } catch let f as PostgresFailure {
                #expect(f.sqlState == "0A000")
                failures += 1
            }
        }
        #expect(seen == 2)
        #expect(failures <= 1)
    }
}

private struct Undo: Error {}
