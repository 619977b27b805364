import Foundation
import GRDB

/// The FHIR search index: one row per search parameter value of a stored resource, kept up to date
/// by SQLite triggers on `resource`, so the pipeline's writes maintain it without any code of theirs.
///
/// `src_type`/`src_id` name the resource whose JSON produced the row (its triggers delete and rebuild
/// them); `type`/`id` name the resource the row describes. They differ only for the Observations a
/// DiagnosticReport lists as results: those also match the report's `basedOn` (`Observation?based-on`).
/// A resource whose JSON SQLite cannot read is left out of the index rather than failing the writer's
/// transaction. Dates are periods `[lo, hi)` as UTC text (`YYYY-MM-DDThh:mm:ss.sssZ`, sortable), so a partial date
/// such as `2026-11` compares correctly.
public enum SearchIndex {
    /// The resource types the index covers.
    public static let types = ["ServiceRequest", "Task", "DiagnosticReport", "Observation", "DocumentReference", "Patient"]

    static var typeList: String { types.map { "'\($0)'" }.joined(separator: ", ") }

    static let createTable = """
        CREATE TABLE IF NOT EXISTS search_param (
            src_type TEXT NOT NULL,
            src_id TEXT NOT NULL,
            type TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            system TEXT,
            value TEXT,
            lo TEXT,
            hi TEXT
        );
        CREATE INDEX IF NOT EXISTS search_param_value ON search_param(type, name, value, system);
        CREATE INDEX IF NOT EXISTS search_param_system ON search_param(type, name, system);
        CREATE INDEX IF NOT EXISTS search_param_date ON search_param(type, name, lo);
        CREATE INDEX IF NOT EXISTS search_param_source ON search_param(src_type, src_id);
        """

    /// `[lo, hi)` of a FHIR date, dateTime or instant held in `v`, as SQL expressions.
    static func period(_ v: String) -> (lo: String, hi: String) {
        let f = "'%Y-%m-%dT%H:%M:%fZ'"
        let lo = """
            CASE length(\(v)) WHEN 4 THEN strftime(\(f), \(v) || '-01-01') WHEN 7 THEN strftime(\(f), \(v) || '-01')
            ELSE strftime(\(f), \(v)) END
            """
        let hi = """
            CASE length(\(v)) WHEN 4 THEN strftime(\(f), \(v) || '-01-01', '+1 years')
            WHEN 7 THEN strftime(\(f), \(v) || '-01', '+1 months') WHEN 10 THEN strftime(\(f), \(v), '+1 days')
            ELSE strftime(\(f), \(v), CASE WHEN instr(\(v), '.') > 0 THEN '+0.001 seconds' ELSE '+1 seconds' END) END
            """
        return (lo, hi)
    }

    /// The statements that index the rows of `source` (a relation with columns `type`, `id`, `j`: the JSON text).
    static func indexStatements(source: String) -> [String] {
        let insert = "INSERT INTO search_param (src_type, src_id, type, id, name, system, value, lo, hi)"
        // A single element (object) or a repeating one (array), as json_each rows of references/identifiers.
        func each(_ path: String) -> String {
            "json_each(CASE json_type(r.j, '\(path)') WHEN 'array' THEN json_extract(r.j, '\(path)') ELSE json_array(json_extract(r.j, '\(path)')) END) e"
        }
        func token(_ name: String, types: [String], path: String) -> String {
            """
            \(insert) SELECT r.type, r.id, r.type, r.id, '\(name)', json_extract(e.value, '$.system'), json_extract(e.value, '$.value'), NULL, NULL
            FROM \(source) r, \(each(path)) WHERE r.type IN (\(types.map { "'\($0)'" }.joined(separator: ", ")))
            AND json_type(r.j, '\(path)') IS NOT NULL AND json_type(e.value, '$.value') = 'text'
            """
        }
        func reference(_ name: String, types: [String], path: String) -> String {
            """
            \(insert) SELECT r.type, r.id, r.type, r.id, '\(name)', NULL, json_extract(e.value, '$.reference'), NULL, NULL
            FROM \(source) r, \(each(path)) WHERE r.type IN (\(types.map { "'\($0)'" }.joined(separator: ", ")))
            AND json_type(r.j, '\(path)') IS NOT NULL AND json_type(e.value, '$.reference') = 'text'
            """
        }
        func date(_ name: String, type: String, path: String) -> String {
            let p = period("json_extract(r.j, '\(path)')")
            return """
                \(insert) SELECT r.type, r.id, r.type, r.id, '\(name)', NULL, json_extract(r.j, '\(path)'), \(p.lo), \(p.hi)
                FROM \(source) r WHERE r.type = '\(type)' AND json_type(r.j, '\(path)') = 'text'
                """
        }
        let subjects = ["ServiceRequest", "DiagnosticReport", "Observation", "DocumentReference"]
        return [
            token("identifier", types: types, path: "$.identifier"),
            """
            \(insert) SELECT r.type, r.id, r.type, r.id, 'status', NULL, json_extract(r.j, '$.status'), NULL, NULL
            FROM \(source) r WHERE r.type IN (\(typeList)) AND json_type(r.j, '$.status') = 'text'
            """,
            reference("subject", types: subjects, path: "$.subject"),
            token("subject:identifier", types: subjects, path: "$.subject.identifier"),
            date("authored", type: "ServiceRequest", path: "$.authoredOn"),
            reference("focus", types: ["Task"], path: "$.focus"),
            reference("part-of", types: ["Task"], path: "$.partOf"),
            token("owner:identifier", types: ["Task"], path: "$.owner.identifier"),
            token("requester:identifier", types: ["Task"], path: "$.requester.identifier"),
            date("modified", type: "Task", path: "$.lastModified"),
            reference("based-on", types: ["DiagnosticReport", "Observation"], path: "$.basedOn"),
            reference("result", types: ["DiagnosticReport"], path: "$.result"),
            reference("related", types: ["DocumentReference"], path: "$.context.related"),
            // The results of a report are based on what the report is based on.
            """
            \(insert) SELECT r.type, r.id, 'Observation', substr(json_extract(o.value, '$.reference'), 13), 'based-on', NULL,
                json_extract(b.value, '$.reference'), NULL, NULL
            FROM \(source) r, json_each(json_extract(r.j, '$.result')) o, json_each(json_extract(r.j, '$.basedOn')) b
            WHERE r.type = 'DiagnosticReport' AND json_type(r.j, '$.result') = 'array' AND json_type(r.j, '$.basedOn') = 'array'
            AND json_extract(o.value, '$.reference') LIKE 'Observation/_%' AND json_type(b.value, '$.reference') = 'text'
            """,
        ]
    }

    /// Creates the table, the triggers and the rows for what is already stored; does nothing when present.
    static func install(_ db: Database) throws {
        if try db.tableExists("search_param") { return }
        try db.execute(sql: createTable)
        let row = "(SELECT NEW.type AS type, NEW.id AS id, CAST(NEW.json AS TEXT) AS j)"
        let body = ["DELETE FROM search_param WHERE src_type = NEW.type AND src_id = NEW.id"] + indexStatements(source: row)
        for (name, event) in [("search_param_after_insert", "INSERT"), ("search_param_after_update", "UPDATE")] {
            try db.execute(sql: """
                CREATE TRIGGER IF NOT EXISTS \(name) AFTER \(event) ON resource
                WHEN NEW.type IN (\(typeList)) AND json_valid(CAST(NEW.json AS TEXT))
                BEGIN
                \(body.joined(separator: ";\n"));
                END
                """)
        }
        let all = "(SELECT type, id, CAST(json AS TEXT) AS j FROM resource WHERE type IN (\(typeList)) AND json_valid(CAST(json AS TEXT)))"
        for sql in indexStatements(source: all) { try db.execute(sql: sql) }
    }
}

extension Schema {
    /// Registers the search index migration; the lead calls this from `Schema.migrator` after the others.
    static func searchMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3-search-index") { db in try SearchIndex.install(db) }
    }
}

extension Store {
    /// Builds the search index in an existing database when the pipeline that wrote it has not
    /// (idempotent; DDL and index rows only, never clinical state). Used by `postroom serve` at start.
    ///
    /// - Returns: whether the index is now present.
    @discardableResult
    public static func prepareSearchIndex(path: String) throws -> Bool {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.label = "postroom-search-index"
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.write { db in try SearchIndex.install(db) }
            try queue.close()
            return true
        } catch {
            throw Failure(description: "cannot build the search index in \(path): \(error)")
        }
    }
}

extension StoreReader {
    /// Whether the database holds the search index.
    public func hasSearchIndex() throws -> Bool {
        try db.tableExists("search_param")
    }
}
