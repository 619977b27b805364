import Foundation
import GRDB
@testable import PostroomStore
import Testing

/// The seam between the store's logic and SQLite: `GRDBExecutor` binds and reads every kind of
/// value as it was given, keeps NULL apart, undoes a failed savepoint, counts changes and reuses
/// the prepared statements of `.cached` SQL.
@Suite struct SQLExecutorTests {
    struct Boom: Error {}

    /// Runs `body` on an executor over a new in-memory database with a table `t`.
    func withExecutor<T>(_ body: (GRDBExecutor) throws -> T) throws -> T {
        let queue = try DatabaseQueue()
        return try queue.write { db in
            let x = GRDBExecutor(db)
            try x.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT, b BLOB)")
            return try body(x)
        }
    }

    @Test func everyKindOfValueRoundTrips() throws {
        let bytes: [UInt8] = [0, 1, 0xFF, 0x7F, 0, 42]
        let row = try withExecutor { (x: GRDBExecutor) throws in
            try x.execute(.cached("INSERT INTO t (i, d, s, b) VALUES (?, ?, ?, ?)"), [Int64.max, 2.5, "héllo ✓", bytes])
            return try x.row("SELECT i, d, s, b FROM t")
        }
        #expect(row?.values == [.int(Int64.max), .double(2.5), .text("héllo ✓"), .blob(bytes)])
        #expect(row?.columns == ["i", "d", "s", "b"])
        let r = try #require(row)
        #expect(r[0] as Int64 == Int64.max)
        #expect(r[1] as Double == 2.5)
        #expect(r[2] as String == "héllo ✓")
        #expect(r[3] as [UInt8] == bytes)
        #expect(r[3] as Data == Data(bytes))
        #expect(r["S"] as String == "héllo ✓")
        #expect(r["s"] as Int? == nil)
    }

    @Test func nullIsKeptApartFromZeroAndEmpty() throws {
        try withExecutor { (x: GRDBExecutor) throws in
            try x.execute("INSERT INTO t (k, i, d, s, b) VALUES (1, NULL, NULL, NULL, NULL), (2, 0, 0.0, '', x'')")
            let rows = try x.rows("SELECT i, d, s, b FROM t ORDER BY k")
            #expect(rows[0].values == [.null, .null, .null, .null])
            #expect(rows[0][0] as Int? == nil)
            #expect(rows[0][2] as String? == nil)
            #expect(rows[0][3] as [UInt8]? == nil)
            #expect(rows[1][0] as Int? == 0)
            #expect(rows[1][2] as String? == "")
            #expect(rows[1][3] as [UInt8]? == [])
            #expect(try x.value(Int.self, "SELECT i FROM t WHERE k = 1") == nil)
            #expect(try x.value(Int.self, "SELECT i FROM t WHERE k = 99") == nil)
            #expect(try x.value("SELECT i FROM t WHERE k = 99", []) == .null)
            #expect(throws: SQLFailure.self) { try x.values(Int.self, "SELECT i FROM t ORDER BY k") }
        }
    }

    @Test func nilArgumentsBindNull() throws {
        try withExecutor { (x: GRDBExecutor) throws in
            let missing: String? = nil
            try x.execute(.cached("INSERT INTO t (k, s, b) VALUES (?, ?, ?)"), [7, missing, nil])
            #expect(try x.row("SELECT s, b FROM t WHERE k = ?", [7])?.values == [.null, .null])
            #expect(try x.value(Int.self, "SELECT COUNT(*) FROM t WHERE s IS NULL AND b IS NULL") == 1)
        }
    }

    @Test func largeBlobsAndDataRoundTrip() throws {
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try withExecutor { (x: GRDBExecutor) throws in
            try x.execute("INSERT INTO t (k, b) VALUES (?, ?)", [1, Data(big)])
            try x.execute("INSERT INTO t (k, b) VALUES (?, ?)", [2, big])
            #expect(try x.values([UInt8].self, "SELECT b FROM t ORDER BY k") == [big, big])
            #expect(try x.value(Data.self, .cached("SELECT b FROM t WHERE k = ?"), [2]) == Data(big))
        }
    }

    @Test func conversionsFollowGRDB() throws {
        try withExecutor { (x: GRDBExecutor) throws in
            #expect(try x.value(Int.self, "SELECT 3.0") == 3)
            #expect(try x.value(Int.self, "SELECT 3.5") == nil)
            #expect(try x.value(Double.self, "SELECT 3") == 3.0)
            #expect(try x.value(Bool.self, "SELECT 1") == true)
            #expect(try x.value(Bool.self, "SELECT 0") == false)
            #expect(try x.value(String.self, "SELECT CAST('abc' AS BLOB)") == "abc")
            #expect(try x.value([UInt8].self, "SELECT 'abc'") == Array("abc".utf8))
            #expect(try x.value(String.self, "SELECT 5") == nil)
            #expect(try x.value(Int32.self, "SELECT 4294967296") == nil)
        }
    }

    @Test func numberedPlaceholdersReuseAnArgument() throws {
        try withExecutor { (x: GRDBExecutor) throws in
            try x.execute("INSERT INTO t (k, s) VALUES (1, 'a'), (2, 'b'), (3, 'a')")
            #expect(try x.values(Int.self, .cached("SELECT k FROM t WHERE s = ?1 OR k = ?2 ORDER BY k"), ["a", 2]) == [1, 2, 3])
        }
    }

    @Test func aFailedSavepointUndoesOnlyItsOwnChanges() throws {
        try withExecutor { (x: GRDBExecutor) throws in
            try x.execute("INSERT INTO t (k) VALUES (1)")
            var inside: Int?
            var thrown: (any Error)?
            do {
                try x.savepoint {
                    try x.execute("INSERT INTO t (k) VALUES (2)")
                    inside = try x.value(Int.self, "SELECT COUNT(*) FROM t")
                    throw Boom()
                }
            } catch {
                thrown = error
            }
            #expect(inside == 2)
            #expect(thrown is Boom)
            try x.savepoint { try x.execute("INSERT INTO t (k) VALUES (3)") }
            #expect(try x.values(Int.self, "SELECT k FROM t ORDER BY k") == [1, 3])
        }
    }

    @Test func changesAndInsertedIDsAreCounted() throws {
        try withExecutor { (x: GRDBExecutor) throws in
            try x.execute(.cached("INSERT INTO t (s) VALUES (?)"), ["a"])
            let first = x.lastInsertedID()
            try x.execute(.cached("INSERT INTO t (s) VALUES (?)"), ["b"])
            #expect(x.lastInsertedID() == first + 1)
            try x.execute("INSERT INTO t (s) VALUES ('c')")
            try x.execute(.cached("UPDATE t SET i = 1 WHERE s != ?"), ["a"])
            #expect(x.changes == 2)
            try x.execute("DELETE FROM t WHERE s = 'nothing'")
            #expect(x.changes == 0)
            try x.execute("CREATE UNIQUE INDEX t_s ON t(s)")
            try x.execute("INSERT OR IGNORE INTO t (s) VALUES ('a')")
            #expect(x.changes == 0)
        }
    }

    @Test func cachedSQLReusesItsPreparedStatement() throws {
        try withExecutor { (x: GRDBExecutor) throws in
            let sql: PostroomStore.SQL = .cached("SELECT s FROM t WHERE k = ?")
            let a = try x.statement(sql), b = try x.statement(sql)
            #expect(a === b)
            let once: PostroomStore.SQL = "SELECT s FROM t WHERE k = ?"
            #expect(try x.statement(once) !== x.statement(once))
            // A reused statement is reset between uses: a half-read result does not leak into the next.
            try x.execute("INSERT INTO t (k, s) VALUES (1, 'a'), (2, 'b')")
            let all: PostroomStore.SQL = .cached("SELECT s FROM t WHERE k >= ? ORDER BY k")
            #expect(try x.row(all, [1])?.values == [.text("a")])
            #expect(try x.values(String.self, all, [1]) == ["a", "b"])
            #expect(try x.values(String.self, all, [2]) == ["b"])
        }
    }

    @Test func uncachedSQLMayHoldSeveralStatementsAndTablesAreFound() throws {
        try withExecutor { (x: GRDBExecutor) throws in
            #expect(x.dialect == .sqlite)
            #expect(try !x.tableExists("u"))
            try x.execute("CREATE TABLE u (a); INSERT INTO u VALUES (1); INSERT INTO u VALUES (2);")
            #expect(try x.tableExists("u"))
            #expect(try x.value(Int.self, "SELECT SUM(a) FROM u") == 3)
            #expect(x.placeholders(3) == "?, ?, ?")
        }
    }

    @Test func aFailingStatementThrowsTheDatabaseError() throws {
        try withExecutor { (x: GRDBExecutor) throws in
            #expect(throws: DatabaseError.self) { try x.execute(.cached("INSERT INTO nowhere VALUES (?)"), [1]) }
            #expect(throws: DatabaseError.self) { try x.rows("SELECT nothing FROM t") }
        }
    }
}
