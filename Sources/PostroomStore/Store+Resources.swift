import Foundation
import GRDB
import PostroomCore

extension StoreWriter {
    /// Stores a new version of a FHIR resource; sets `id` and `meta.versionId`/`meta.lastUpdated`.
    /// Returns the version number.
    ///
    /// - Parameter unlessUnchanged: when the stored version says the same (apart from `meta`), store
    ///   nothing and return its version.
    @discardableResult
    public func putResource(type: String, id: String, resource: JSONValue, messageID: String?, at: String,
                            unlessUnchanged: Bool = false) throws -> Int {
        let current: Int
        if unlessUnchanged,
           let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT version, json FROM resource WHERE type = ? AND id = ?"),
                                      arguments: [type, id]) {
            current = row[0]
            if var stored = (try? JSONParser().parse(row[1] as Data))?.object, var given = resource.object {
                for k in ["meta", "id", "resourceType"] {
                    stored[k] = nil
                    given[k] = nil
                }
                if stored == given { return current }
            }
        } else {
            current = try Int.fetchOne(db.cachedStatement(sql: "SELECT version FROM resource WHERE type = ? AND id = ?"),
                                       arguments: [type, id]) ?? 0
        }
        let version = current + 1
        var o = resource.object ?? JSONObject()
        // resourceType and id first, as FHIR tools print them.
        o["resourceType"] = nil
        o["id"] = nil
        var meta = o["meta"]?.object ?? JSONObject()
        meta["versionId"] = .string(String(version))
        meta["lastUpdated"] = .string(at)
        o["meta"] = nil
        let members = [JSONObject.Member("resourceType", .string(type)), JSONObject.Member("id", .string(id)),
                       JSONObject.Member("meta", .object(meta))] + o.members
        let bytes = Data(JSONWriter().bytes(.object(JSONObject(members))))
        if current > 0 {
            // The version being replaced moves to the history; the current one lives only in `resource`.
            try db.cachedStatement(sql: """
                INSERT INTO resource_history (type, id, version, last_updated, json, message_id)
                SELECT type, id, version, last_updated, json, message_id FROM resource WHERE type = ? AND id = ?
                """).execute(arguments: [type, id])
        }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO resource (type, id, version, last_updated, json, message_id) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (type, id) DO UPDATE SET version = excluded.version, last_updated = excluded.last_updated,
                json = excluded.json, message_id = excluded.message_id
            """)
        try upsert.execute(arguments: [type, id, version, at, bytes, messageID])
        if SearchIndex.types.contains(type) {
            try SearchIndex.index(db, type: type, id: id, resource: .object(JSONObject(members)), replacing: current > 0)
        }
        return version
    }
}

extension StoreReader {
    /// The current version of a resource.
    public func resource(type: String, id: String) throws -> JSONValue? {
        guard let data = try Data.fetchOne(db.cachedStatement(sql: "SELECT json FROM resource WHERE type = ? AND id = ?"), arguments: [type, id]) else {
            return nil
        }
        return try? JSONParser().parse(data)
    }

    /// Every version of a resource, newest first (the current one, then the history).
    public func resourceHistory(type: String, id: String) throws -> [JSONValue] {
        try Data.fetchAll(db.cachedStatement(sql: """
            SELECT json FROM (SELECT version, json FROM resource WHERE type = ?1 AND id = ?2
                              UNION ALL SELECT version, json FROM resource_history WHERE type = ?1 AND id = ?2)
            ORDER BY version DESC
            """), arguments: [type, id]).compactMap { try? JSONParser().parse($0) }
    }

    /// Whether a resource exists.
    public func hasResource(type: String, id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM resource WHERE type = ? AND id = ?"), arguments: [type, id]) ?? false
    }

    /// Resource counts by type.
    public func resourceCounts() throws -> [(type: String, count: Int)] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT type, COUNT(*) FROM resource GROUP BY type ORDER BY type")).map { ($0[0], $0[1]) }
    }
}

extension StoreReader {
    /// The current version number of a resource.
    public func resourceVersion(type: String, id: String) throws -> Int? {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT version FROM resource WHERE type = ? AND id = ?"), arguments: [type, id])
    }
}

extension StoreReader {
    /// The ids of every stored resource of a type.
    public func resourceIDs(type: String) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM resource WHERE type = ? ORDER BY id"), arguments: [type])
    }
}
