import Foundation
import GRDB
import GRDBSQLite

/// `SQLExecutor` on SQLite through GRDB: one `Database` (a connection inside a transaction).
///
/// GRDB prepares the statements (`.cached` SQL through its statement cache, per connection, by text,
/// so the hot write path prepares each of its statements once per connection) and owns the
/// transaction and its savepoints. Binding and stepping are done here, straight on the prepared
/// `sqlite3_stmt`: the arguments are bound as they come (no `StatementArguments` in between, whose
/// generic conversion cost the batch load about 15% of its CPU) and values are read straight from the
/// stepped statement, without GRDB's intermediate `Row`. Statements run here are always plain
/// queries and changes inside the transaction, never `BEGIN`, `COMMIT` or `SAVEPOINT`, so GRDB's
/// bookkeeping of the transaction state has nothing to learn from them.
final class GRDBExecutor: SQLExecutor {
    let db: Database

    init(_ db: Database) { self.db = db }

    var dialect: SQLDialect { .sqlite }

    /// The prepared statement for `sql`: the cached one for `.cached` text, a new one otherwise.
    @inline(__always)
    func statement(_ sql: SQL) throws -> Statement {
        sql.cached ? try db.cachedStatement(sql: sql.text) : try db.makeStatement(sql: sql.text)
    }

    func execute(_ sql: SQL, _ arguments: [SQLArgument]) throws {
        guard sql.cached else {
            // Uncached text may hold several statements (DDL, a batch of deletes): GRDB splits it.
            try db.execute(sql: sql.text, arguments: Self.arguments(arguments))
            return
        }
        let stmt = try db.cachedStatement(sql: sql.text)
        let s = stmt.sqliteStatement
        defer { Self.release(s) }
        try bind(s, arguments, sql)
        while true {
            let code = sqlite3_step(s)
            if code == SQLITE_DONE { return }
            if code != SQLITE_ROW { throw failure(code, sql) }
        }
    }

    func rows(_ sql: SQL, _ arguments: [SQLArgument]) throws -> [SQLRow] {
        let stmt = try statement(sql)
        let s = stmt.sqliteStatement
        defer { Self.release(s) }
        try bind(s, arguments, sql)
        let columns = stmt.columnNames
        let count = CInt(columns.count)
        var out: [SQLRow] = []
        while true {
            let code = sqlite3_step(s)
            if code == SQLITE_DONE { return out }
            if code != SQLITE_ROW { throw failure(code, sql) }
            out.append(SQLRow(columns: columns, values: Self.values(s, count: count)))
        }
    }

    func row(_ sql: SQL, _ arguments: [SQLArgument]) throws -> SQLRow? {
        let stmt = try statement(sql)
        let s = stmt.sqliteStatement
        defer { Self.release(s) }
        try bind(s, arguments, sql)
        let code = sqlite3_step(s)
        if code == SQLITE_DONE { return nil }
        if code != SQLITE_ROW { throw failure(code, sql) }
        let columns = stmt.columnNames
        return SQLRow(columns: columns, values: Self.values(s, count: CInt(columns.count)))
    }

    func value(_ sql: SQL, _ arguments: [SQLArgument]) throws -> SQLValue {
        let stmt = try statement(sql)
        let s = stmt.sqliteStatement
        defer { Self.release(s) }
        try bind(s, arguments, sql)
        let code = sqlite3_step(s)
        if code == SQLITE_DONE { return .null }
        if code != SQLITE_ROW { throw failure(code, sql) }
        return Self.value(s, 0)
    }

    var changes: Int { db.changesCount }

    func lastInsertedID() -> Int64 { db.lastInsertedRowID }

    /// Inside the transaction every write runs in (always, from `Store.write`): `SAVEPOINT` and its
    /// `RELEASE` (or `ROLLBACK TO`) as cached statements, stepped here. GRDB's `inSavepoint` prepares both
    /// texts again for every message (a statement compile each, about 2% of the batch load's writer).
    /// The savepoint opens and closes within this call, so GRDB's view of the transaction is unchanged.
    /// Outside a transaction (where a savepoint would begin one), GRDB's own.
    func savepoint(_ body: () throws -> Void) throws {
        guard db.isInsideTransaction else {
            return try db.inSavepoint {
                try body()
                return .commit
            }
        }
        try step(.cached("SAVEPOINT postroom"))
        do {
            try body()
        } catch {
            try? step(.cached("ROLLBACK TO SAVEPOINT postroom"))
            try? step(.cached("RELEASE SAVEPOINT postroom"))
            throw error
        }
        try step(.cached("RELEASE SAVEPOINT postroom"))
    }

    /// Steps a cached statement of no arguments and no rows.
    private func step(_ sql: SQL) throws {
        let s = try db.cachedStatement(sql: sql.text).sqliteStatement
        defer { Self.release(s) }
        let code = sqlite3_step(s)
        if code != SQLITE_DONE { throw failure(code, sql) }
    }

    func tableExists(_ name: String) throws -> Bool { try db.tableExists(name) }

    /// SQLite has one writer: the caller takes the table's next rowid.
    func reserveIdentity(table: String, column: String) throws -> Int64? { nil }

    /// The error of a failed step, as GRDB reports it (so `Store.exitCode` reads it the same way).
    /// The arguments are left out: they can hold patient data.
    func failure(_ code: CInt, _ sql: SQL) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql.text)
    }

    /// Arguments for GRDB's own execution of uncached text.
    static func arguments(_ arguments: [SQLArgument]) -> StatementArguments {
        if arguments.isEmpty { return StatementArguments() }
        return StatementArguments(arguments.map { databaseValue($0?.sqlValue ?? .null) })
    }

    static func databaseValue(_ v: SQLValue) -> DatabaseValue {
        switch v {
        case .null: return .null
        case .int(let i): return i.databaseValue
        case .double(let d): return d.databaseValue
        case .text(let s): return s.databaseValue
        case .blob(let b): return Data(b).databaseValue
        }
    }
}
