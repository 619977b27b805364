import Foundation
import GRDB
import PostroomCore

/// The FHIR search index: one row per search parameter value of a stored resource, kept up to date
/// by `StoreWriter.putResource` from the JSON it writes.
///
/// `src_type`/`src_id` name the resource whose JSON produced the row (its triggers delete and rebuild
/// them); `type`/`id` name the resource the row describes. They differ only for the Observations a
/// DiagnosticReport lists as results: those also match the report's `basedOn` (`Observation?based-on`).
/// A resource whose JSON SQLite cannot read is left out of the index rather than failing the writer's
/// transaction. Dates are periods `[lo, hi)` as UTC text (`YYYY-MM-DDThh:mm:ss.sssZ`, sortable), so a partial date
/// such as `2026-11` compares correctly.
public enum SearchIndex {
    /// The resource types the index covers.
    public static let types = ["ServiceRequest", "Task", "DiagnosticReport", "Observation", "DocumentReference", "Patient",
                               "MedicationRequest", "MedicationDispense", "Appointment"]

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
        CREATE INDEX IF NOT EXISTS search_param_value ON search_param(type, name, value, system, id);
        CREATE INDEX IF NOT EXISTS search_param_period ON search_param(type, name, lo) WHERE lo IS NOT NULL;
        CREATE INDEX IF NOT EXISTS search_param_source ON search_param(src_type, src_id);
        """

    /// Creates the table and indexes what is already stored; does nothing when present. Later writes
    /// are indexed by `StoreWriter.putResource` (see `SearchIndexer`).
    static func install(_ db: any SQLExecutor) throws {
        if try db.tableExists("search_param") { return }
        try db.execute(SQL(createTable))
        let rows = try db.rows("SELECT type, id, json FROM resource WHERE type IN (\(typeList))")
        for r in rows {
            let type: String = r[0], id: String = r[1]
            guard let json = try? JSONParser().parse(r[2] as [UInt8]) else { continue }
            try index(db, type: type, id: id, resource: json)
        }
    }

    /// Removes the index rows that `type/id` produced.
    static func forget(_ db: any SQLExecutor, type: String, id: String) throws {
        try db.execute(.cached("DELETE FROM search_param WHERE src_type = ? AND src_id = ?"), [type, id])
    }

    /// Replaces the index rows that `type/id` produced (`replacing: false` for a resource stored for the first time).
    static func index(_ db: any SQLExecutor, type: String, id: String, resource: JSONValue, replacing: Bool = true) throws {
        if replacing { try forget(db, type: type, id: id) }
        let insert: SQL = .cached("""
            INSERT INTO search_param (src_type, src_id, type, id, name, system, value, lo, hi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in SearchIndexer.rows(type: type, id: id, resource: resource) {
            try db.execute(insert, [type, id, row.type, row.id, row.name, row.system, row.value, row.lo, row.hi])
        }
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
            Store.configureSQLite()
            let queue = try DatabaseQueue(path: path, configuration: config)
            // Nothing is written into a database a newer build migrated (its schema is not this build's).
            try Store.refuseNewerSchema(queue)
            try queue.write { db in try SearchIndex.install(db) }
            try queue.close()
            return true
        } catch {
            throw Failure("cannot build the search index in \(path)", wrapping: error)
        }
    }
}

extension StoreReader {
    /// Whether the database holds the search index.
    public func hasSearchIndex() throws -> Bool {
        try db.tableExists("search_param")
    }
}
