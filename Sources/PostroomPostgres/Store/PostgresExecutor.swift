import Foundation
import NIOCore
import PostgresNIO
import PostroomStore

/// `SQLExecutor` on PostgreSQL: one `PostgresSession` inside one transaction (see
/// `PostgresStoreBackend`). The store's SQL is translated once per text (`PostgresDialect`) and its
/// arguments bound with their types (integers as `int8`, text, `bytea`; NULL untyped, so the server
/// takes the column's type). Values come back as the SQLite executor gives them: integers of every
/// width and booleans as integers, `numeric` as an integer when whole, text, bytes.
public final class PostgresExecutor: SQLExecutor {
    public let session: PostgresSession
    private var lastChanges = 0
    private var savepoints = 0

    public init(_ session: PostgresSession) { self.session = session }

    public var dialect: SQLDialect { .postgres }

    /// Runs one statement: `.cached` text as a named prepared statement of the session (parsed and
    /// planned once per connection), other text as an unnamed one.
    @discardableResult
    func run(_ sql: SQL, _ arguments: [SQLArgument]) throws -> [PostgresRow] {
        var binds = PostgresBindings(capacity: arguments.count)
        guard sql.cached else {
            for argument in arguments { Self.bind(argument?.sqlValue ?? .null, into: &binds) }
            let result = try session.query(PostgresQuery(unsafeSQL: PostgresDialect.translate(sql.text), binds: binds))
            lastChanges = result.metadata.rows ?? 0
            return result.rows
        }
        var types: [UInt8] = []
        types.reserveCapacity(arguments.count)
        for argument in arguments {
            let value = argument?.sqlValue ?? .null
            types.append(Self.typeCode(value))
            Self.bind(value, into: &binds)
        }
        let result = try session.prepared(sql.text, binds, types: types, translate: PostgresDialect.translate)
        lastChanges = result.changes
        return result.rows
    }

    public func execute(_ sql: SQL, _ arguments: [SQLArgument]) throws {
        if !sql.cached, arguments.isEmpty, sql.text.contains(";") {
            // Several statements in one text (DDL, a batch): one at a time.
            for statement in Self.statements(sql.text) { try run(SQL(statement), []) }
            return
        }
        try run(sql, arguments)
    }

    public func rows(_ sql: SQL, _ arguments: [SQLArgument]) throws -> [SQLRow] {
        let rows = try run(sql, arguments)
        guard let first = rows.first else { return [] }
        let columns = first.map(\.columnName)
        return try rows.map { SQLRow(columns: columns, values: try $0.map(Self.value)) }
    }

    public func row(_ sql: SQL, _ arguments: [SQLArgument]) throws -> SQLRow? {
        guard let first = try run(sql, arguments).first else { return nil }
        return SQLRow(columns: first.map(\.columnName), values: try first.map(Self.value))
    }

    public func value(_ sql: SQL, _ arguments: [SQLArgument]) throws -> SQLValue {
        guard let first = try run(sql, arguments).first, let cell = first.first(where: { _ in true }) else { return .null }
        return try Self.value(cell)
    }

    public var changes: Int { lastChanges }

    /// The key the last INSERT drew from an identity column (`lastval()`: the session's last sequence value).
    public func lastInsertedID() throws -> Int64 {
        guard let row = try session.query("SELECT lastval()").rows.first else {
            throw PostgresFailure(kind: .statement, message: "PostgreSQL: lastval() gave no row")
        }
        return try row.decode(Int64.self)
    }

    public func savepoint(_ body: () throws -> Void) throws {
        savepoints += 1
        let name = "s\(savepoints)"
        defer { savepoints -= 1 }
        session.send("SAVEPOINT \(name)")  // answered before the next statement waited for
        do {
            try body()
            session.send("RELEASE SAVEPOINT \(name)")
        } catch {
            session.discardSent()
            _ = try? session.execute("ROLLBACK TO SAVEPOINT \(name)")
            _ = try? session.execute("RELEASE SAVEPOINT \(name)")
            throw error
        }
    }

    /// `nextval` of the column's identity sequence: unique across every node's transactions.
    public func reserveIdentity(table: String, column: String) throws -> Int64? {
        try value(Int64.self, .cached("SELECT nextval(pg_get_serial_sequence(?, ?))"), [table, column])
    }

    public func tableExists(_ name: String) throws -> Bool {
        try session.query("SELECT to_regclass(\(name)) IS NOT NULL").rows.first?.decode(Bool.self) ?? false
    }

    /// The statements of a text separated by `;` outside quotes.
    static func statements(_ text: String) -> [String] {
        let s = Array(text.utf8)
        var out: [String] = []
        var start = 0
        var i = 0
        while i < s.count {
            if s[i] == 0x27 || s[i] == 0x22 { i = PostgresDialect.skipQuoted(s, i); continue }
            if s[i] == 0x3B {
                out.append(String(decoding: s[start..<i], as: UTF8.self))
                start = i + 1
            }
            i += 1
        }
        out.append(String(decoding: s[start...], as: UTF8.self))
        return out.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }
}
