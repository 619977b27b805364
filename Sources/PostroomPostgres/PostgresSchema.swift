import PostgresNIO

/// The PostgreSQL schema as versioned migrations, one file each under `Migrations/`, recorded in
/// `schema_migration`. Like the SQLite ones they only ever append: a new migration gets the next version
/// and goes at the end of `migrations`; old ones never change. A change of the SQLite schema gets its
/// PostgreSQL twin here (a test compares the two stores' tables and columns).
public enum PostgresSchema {
    public struct Migration: Sendable {
        public var version: Int
        public var name: String
        public var statements: [String]
    }

    /// Every migration, oldest first.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "p1-postroom-tables", statements: p1PostroomTables),
        Migration(version: 2, name: "p2-nodes-and-claims", statements: p2NodesAndClaims),
        Migration(version: 3, name: "p3-flags-as-integers", statements: p3FlagsAsIntegers),
        Migration(version: 4, name: "p4-answers-compressed", statements: p4AnswersCompressed),
        Migration(version: 5, name: "p5-run-order", statements: p5RunOrder),
        Migration(version: 6, name: "p6-content-hash-prefix", statements: p6ContentHashPrefix),
        Migration(version: 7, name: "p7-view-key-content-hash", statements: p7ViewKeyContentHash),
    ]

    /// Brings the database up to date and returns the names of the migrations this call applied (none
    /// when it was current). Runs in one transaction under a transaction-scoped advisory lock: nodes
    /// starting together wait for each other, the first migrates, the others find nothing left to do.
    /// A database migrated by a newer build (a version this build does not know) is refused.
    @discardableResult
    public static func migrate(_ session: PostgresSession) throws -> [String] {
        try session.transaction { s in
            try s.query("SELECT pg_advisory_xact_lock(hashtextextended('postroom schema_migration', 0))")
            try s.execute("""
                CREATE TABLE IF NOT EXISTS schema_migration (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())
                """)
            let applied = try appliedVersions(s)
            try check(applied)
            var done: [String] = []
            for m in migrations where applied[m.version] == nil {
                for statement in m.statements { try s.execute(statement) }
                try s.query("INSERT INTO schema_migration (version, name) VALUES (\(m.version), \(m.name))")
                done.append(m.name)
            }
            return done
        }
    }

    /// The recorded migrations, version → name.
    public static func appliedVersions(_ s: PostgresSession) throws -> [Int: String] {
        var out: [Int: String] = [:]
        for row in try s.execute("SELECT version, name FROM schema_migration") {
            let (version, name) = try row.decode((Int, String).self)
            out[version] = name
        }
        return out
    }

    static func check(_ applied: [Int: String]) throws(PostgresFailure) {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0.name) })
        for (version, name) in applied.sorted(by: { $0.key < $1.key }) {
            guard let mine = known[version] else {
                throw PostgresFailure(kind: .schema, message: "the database's schema has migration \(version) (\(name)), "
                    + "which this build does not know: it was migrated by a newer Postroom")
            }
            guard mine == name else {
                throw PostgresFailure(kind: .schema, message: "the database's migration \(version) is \(name), this build's is \(mine)")
            }
        }
    }
}
