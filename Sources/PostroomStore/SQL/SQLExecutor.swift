/// The SQL the store runs, with whether it is worth preparing once and reusing.
///
/// A string literal is run once (`cached` false); `.cached("…")` marks fixed text on a hot path,
/// which an executor prepares once per connection and reuses (SQLite: GRDB's statement cache;
/// PostgreSQL: a named prepared statement). Dynamic SQL (built from a variable number of
/// conditions) must not be cached: the cache keeps every distinct text.
///
/// Placeholders are always `?` (or `?1`, `?2`… to use one argument twice); an executor whose
/// database numbers them differently rewrites them.
public struct SQL: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public var text: String
    public var cached: Bool

    public init(_ text: String, cached: Bool = false) {
        self.text = text
        self.cached = cached
    }

    public init(stringLiteral value: String) { self.init(value) }

    public init(stringInterpolation: DefaultStringInterpolation) { self.init(String(stringInterpolation: stringInterpolation)) }

    /// Fixed text on a hot path: prepared once and reused.
    public static func cached(_ text: String) -> SQL { SQL(text, cached: true) }
}

/// The SQL dialect of an executor, for the few statements that differ (docs/STORE-SEAM.md lists them).
public enum SQLDialect: Sendable, Hashable {
    case sqlite
    case postgres
}

/// A failure of the store's own SQL handling (not the database's): a NULL or a value of the wrong
/// kind where a list of values was read.
public struct SQLFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// One connection inside one transaction: everything the store's logic (`StoreWriter`,
/// `StoreReader` and their extensions) needs of a database. `GRDBExecutor` runs it on SQLite; a
/// PostgreSQL executor runs the same logic on PostgreSQL.
///
/// An uncached `execute` without arguments may hold several statements separated by `;`.
public protocol SQLExecutor: AnyObject {
    var dialect: SQLDialect { get }

    /// Runs a statement that returns no rows.
    func execute(_ sql: SQL, _ arguments: [SQLArgument]) throws

    /// Every row of a query.
    func rows(_ sql: SQL, _ arguments: [SQLArgument]) throws -> [SQLRow]

    /// The first row of a query (the rest are not read).
    func row(_ sql: SQL, _ arguments: [SQLArgument]) throws -> SQLRow?

    /// The first column of the first row; `.null` when there is no row.
    func value(_ sql: SQL, _ arguments: [SQLArgument]) throws -> SQLValue

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { get }

    /// The key the last INSERT gave its row (SQLite's rowid; on PostgreSQL, the identity column's value).
    func lastInsertedID() throws -> Int64

    /// Runs `body` in a savepoint: if it throws, its changes are undone and the error rethrown.
    func savepoint(_ body: () throws -> Void) throws

    /// A new value of an identity column, drawn for an explicit insert where the database keeps a
    /// sequence of its own (PostgreSQL: several writers at once); nil where the one writer allocates
    /// (SQLite: the table's next rowid).
    func reserveIdentity(table: String, column: String) throws -> Int64?

    /// Whether a table exists.
    func tableExists(_ name: String) throws -> Bool
}

extension SQLExecutor {
    public func execute(_ sql: SQL) throws { try execute(sql, []) }
    public func rows(_ sql: SQL) throws -> [SQLRow] { try rows(sql, []) }
    public func row(_ sql: SQL) throws -> SQLRow? { try row(sql, []) }

    /// The first column of the first row as `T`; nil when there is no row, or it is NULL.
    public func value<T: SQLDecodable>(_ type: T.Type, _ sql: SQL, _ arguments: [SQLArgument] = []) throws -> T? {
        T.decode(try value(sql, arguments))
    }

    /// The first column of every row as `T` (a NULL or a value `T` cannot hold is an error).
    public func values<T: SQLDecodable>(_ type: T.Type, _ sql: SQL, _ arguments: [SQLArgument] = []) throws -> [T] {
        try rows(sql, arguments).map { r in
            guard let v = T.decode(r.values[0]) else {
                throw SQLFailure(description: "\(r.values[0]) is not a \(T.self) (\(sql.text))")
            }
            return v
        }
    }

    /// `n` placeholders separated by commas, for `IN (…)`.
    public func placeholders(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }
}
