import Foundation
import GRDB

/// `SQLExecutor` on SQLite through GRDB: one `Database` (a connection inside a transaction).
///
/// `.cached` SQL goes through GRDB's statement cache (per connection, by text), so the hot write
/// path prepares each of its statements once per connection as before. Values are read straight
/// from the stepped statement, without GRDB's intermediate `Row`.
final class GRDBExecutor: SQLExecutor {
    let db: Database

    init(_ db: Database) { self.db = db }

    var dialect: SQLDialect { .sqlite }

    /// The prepared statement for `sql`: the cached one for `.cached` text, a new one otherwise.
    func statement(_ sql: SQL) throws -> Statement {
        sql.cached ? try db.cachedStatement(sql: sql.text) : try db.makeStatement(sql: sql.text)
    }

    func execute(_ sql: SQL, _ arguments: [SQLArgument]) throws {
        if sql.cached {
            try db.cachedStatement(sql: sql.text).execute(arguments: Self.arguments(arguments))
        } else {
            // Uncached text may hold several statements (DDL, a batch of deletes).
            try db.execute(sql: sql.text, arguments: Self.arguments(arguments))
        }
    }

    func rows(_ sql: SQL, _ arguments: [SQLArgument]) throws -> [SQLRow] {
        let stmt = try statement(sql)
        let columns = stmt.columnNames
        let cursor = try Row.fetchCursor(stmt, arguments: Self.arguments(arguments))
        var out: [SQLRow] = []
        while try cursor.next() != nil {
            out.append(SQLRow(columns: columns, values: Self.values(stmt.sqliteStatement, count: columns.count)))
        }
        return out
    }

    func row(_ sql: SQL, _ arguments: [SQLArgument]) throws -> SQLRow? {
        let stmt = try statement(sql)
        let cursor = try Row.fetchCursor(stmt, arguments: Self.arguments(arguments))
        guard try cursor.next() != nil else { return nil }
        let columns = stmt.columnNames
        return SQLRow(columns: columns, values: Self.values(stmt.sqliteStatement, count: columns.count))
    }

    func value(_ sql: SQL, _ arguments: [SQLArgument]) throws -> SQLValue {
        let stmt = try statement(sql)
        let cursor = try Row.fetchCursor(stmt, arguments: Self.arguments(arguments))
        guard try cursor.next() != nil else { return .null }
        return Self.value(stmt.sqliteStatement, 0)
    }

    var changes: Int { db.changesCount }

    var lastInsertedID: Int64 { db.lastInsertedRowID }

    func savepoint(_ body: () throws -> Void) throws {
        try db.inSavepoint {
            try body()
            return .commit
        }
    }

    func tableExists(_ name: String) throws -> Bool { try db.tableExists(name) }

    static func arguments(_ arguments: [SQLArgument]) -> StatementArguments {
        if arguments.isEmpty { return StatementArguments() }
        return StatementArguments(arguments.lazy.map { databaseValue($0?.sqlValue ?? .null) })
    }

    static func databaseValue(_ v: SQLValue) -> DatabaseValue {
        switch v {
        case .null: return .null
        case .int(let i): return i.databaseValue
        case .double(let d): return d.databaseValue
        case .text(let s): return s.databaseValue
        case .blob(let b): return b.databaseValue
        }
    }

    static func values(_ stmt: SQLiteStatement, count: Int) -> [SQLValue] {
        var out: [SQLValue] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(value(stmt, CInt(i))) }
        return out
    }

    static func value(_ stmt: SQLiteStatement, _ index: CInt) -> SQLValue {
        switch DatabaseValue(sqliteStatement: stmt, index: index).storage {
        case .null: return .null
        case .int64(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .text(s)
        case .blob(let d): return .blob(d)
        }
    }
}
