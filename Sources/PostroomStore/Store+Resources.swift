import Foundation
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
        try put(type: type, id: id, body: .tree(resource.object ?? JSONObject()), messageID: messageID, at: at,
                unlessSameAs: unlessUnchanged ? Self.apartFromMeta(resource.object ?? JSONObject()) : nil)
    }

    /// Stores a new version of a resource built only when its JSON is written (`DeferredResource`), as
    /// `putResource` would store the resource it builds. Returns the version number.
    @discardableResult
    public func putResource(type: String, id: String, deferred: DeferredResource, messageID: String?, at: String) throws -> Int {
        try put(type: type, id: id, body: .deferred(deferred), messageID: messageID, at: at, unlessSameAs: nil)
    }

    /// Journals a new version; given `unlessSameAs` (the new version apart from `meta`, `id` and
    /// `resourceType`), keeps the stored version instead when it says the same.
    private func put(type: String, id: String, body: JournalEntry.Body, messageID: String?, at: String,
                     unlessSameAs content: JSONObject?) throws -> Int {
        let key = ViewJournal.FreshKey(type: type, id: id)
        // The same details as a version this transaction stored (a lab's batch names a patient in message
        // after message): no look-up, no record decoded.
        if let content, let version = journal.unchangedVersion(key, content) { return version }
        let current: Int
        let hash = content.map(ContentHash.of)
        let generated = journal.fresh.removeValue(forKey: key)
        if generated != nil {
            current = 0  // an id `reserveNew` handed out: nothing is stored under it
        } else if let content, let hash {
            let stored = try reader.currentVersion(type: type, id: id, comparedWith: content, hash: hash)
            if let stored, stored.same {
                journal.noteCurrent(key, version: stored.version, content: content)
                return stored.version
            }
            current = stored?.version ?? 0
        } else {
            current = try reader.currentVersion(type: type, id: id) ?? 0
        }
        return append(key, version: current + 1, at: at, messageID: messageID, body: body, content: content, hash: hash,
                      generated: generated == true)
    }

    /// Journals `version` of `key`; the version goes to the view journal, and `materialise` puts it in the view
    /// (see `ViewJournal`).
    private func append(_ key: ViewJournal.FreshKey, version: Int, at: String, messageID: String?, body: JournalEntry.Body,
                        content: JSONObject?, hash: Int64?, generated: Bool) -> Int {
        journal.append(JournalEntry(type: key.type, id: key.id, version: version, lastUpdated: at, messageID: messageID, body: body,
                                    generated: generated, contentHash: hash))
        journal.noteCurrent(key, version: version, content: content)
        return version
    }

    /// Notes that nothing is stored under `type/id` (an id just generated, or one just checked to be
    /// free), so that storing it needs no lookup.
    ///
    /// - Parameter generated: Postroom generated the id (a ULID) just now.
    public func reserveNew(type: String, id: String, generated: Bool = false) {
        journal.fresh[.init(type: type, id: id)] = generated
    }

    /// Whether `reserveNew` handed out `type/id` and nothing has been stored under it yet.
    public func isReserved(type: String, id: String) -> Bool {
        journal.fresh[.init(type: type, id: id)] != nil
    }

    /// A resource apart from what storing it sets (`meta`, `id`, `resourceType`): what `unlessUnchanged` compares.
    static func apartFromMeta(_ resource: JSONObject) -> JSONObject {
        var o = resource
        for k in ["meta", "id", "resourceType"] { o[k] = nil }
        return o
    }

    static func sameApartFromMeta(_ storedJSON: [UInt8], _ content: JSONObject) -> Bool {
        guard let stored = (try? JSONParser().parse(storedJSON))?.object else { return false }
        return apartFromMeta(stored) == content
    }

    /// Puts one journalled version in the view: the version it replaces to the history, the new one in
    /// `resource`, its search rows rebuilt. A version already there (or older) changes nothing.
    func materialise(_ e: ViewEntry, into searchRows: inout SearchRowBatch) throws {
        // A first version is a new resource: nothing to look up or replace.
        let existing = e.version == 1 ? nil : try db.value(Int.self, .cached("SELECT version FROM resource WHERE type = ? AND id = ?"), [e.type, e.id])
        if let existing {
            guard existing < e.version else { return }
            // The version being replaced moves to the history; the current one lives only in `resource`.
            try db.execute(.cached("""
                INSERT INTO resource_history (type, id, version, last_updated, json, message_id)
                SELECT type, id, version, last_updated, json, message_id FROM resource WHERE type = ? AND id = ?
                """), [e.type, e.id])
        }
        let upsert: SQL = .cached("""
            INSERT INTO resource (type, id, version, last_updated, json, message_id) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (type, id) DO UPDATE SET version = excluded.version, last_updated = excluded.last_updated,
                json = excluded.json, message_id = excluded.message_id
            """)
        try db.execute(upsert, [e.type, e.id, e.version, e.lastUpdated, e.json, e.messageID])
        guard SearchIndex.types.contains(e.type) else { return }
        if existing != nil { try SearchIndex.forget(db, type: e.type, id: e.id) }
        searchRows.set(type: e.type, id: e.id, rows: e.resource.map { SearchIndexer.rows(type: e.type, id: e.id, resource: $0) } ?? [])
    }
}

extension StoreReader {
    /// The current version number of a resource (journalled or in the view).
    func currentVersion(type: String, id: String) throws -> Int? {
        if let e = journal?.latest(type: type, id: id) { return e.version }
        // A stale key (its record materialised) never names a version newer than the view's.
        if let v = try db.value(Int.self, .cached("""
            SELECT MAX(v) FROM (SELECT MAX(version) AS v FROM view_key WHERE type = ?1 AND id = ?2
                                UNION ALL SELECT version FROM resource WHERE type = ?1 AND id = ?2)
            """), [type, id]) {
            return v
        }
        return try rangedEntry(type: type, id: id)?.version
    }

    /// The current version of a resource, and whether it says `content` apart from `meta` (`hash`, its
    /// `ContentHash`): a journalled version whose key keeps another hash says something else, without its record
    /// being read; any other is compared by its JSON.
    func currentVersion(type: String, id: String, comparedWith content: JSONObject, hash: Int64) throws -> (version: Int, same: Bool)? {
        func same(_ json: [UInt8]) -> Bool { StoreWriter.sameApartFromMeta(json, content) }
        if let e = journal?.latestEntry(type: type, id: id) {
            return (e.version, (e.contentHash.map { $0 == hash } ?? true) && same(e.viewEntry.json))
        }
        if let key = try journalledKey(type: type, id: id) {
            if let stored = key.contentHash, stored != hash { return (key.version, false) }
            if let e = try journalEntry(type: type, id: id, version: key.version, record: key.record) { return (e.version, same(e.json)) }
        } else if let e = try rangedEntry(type: type, id: id) {
            return (e.version, same(e.json))
        }
        guard let row = try db.row(.cached("SELECT version, json FROM resource WHERE type = ? AND id = ?"), [type, id]) else { return nil }
        return (row[0], same(row[1]))
    }
}

extension StoreReader {
    /// The current version of a resource.
    public func resource(type: String, id: String) throws -> JSONValue? {
        if let e = try journalled(type: type, id: id) { return e.resource }
        guard let data = try db.value([UInt8].self, .cached("SELECT json FROM resource WHERE type = ? AND id = ?"), [type, id]) else {
            return nil
        }
        return try? JSONParser().parse(data)
    }

    /// Every version of a resource, newest first (the current one, then the history).
    public func resourceHistory(type: String, id: String) throws -> [JSONValue] {
        try journalledVersions(type: type, id: id).compactMap { try? JSONParser().parse($0.json) } + db.values([UInt8].self, .cached("""
            SELECT json FROM (SELECT version, json FROM resource WHERE type = ?1 AND id = ?2
                              UNION ALL SELECT version, json FROM resource_history WHERE type = ?1 AND id = ?2)
            ORDER BY version DESC
            """), [type, id]).compactMap { try? JSONParser().parse($0) }
    }

    /// Whether a resource exists.
    public func hasResource(type: String, id: String) throws -> Bool {
        try currentVersion(type: type, id: id) != nil
    }

    /// Resource counts by type.
    public func resourceCounts() throws -> [(type: String, count: Int)] {
        // A journalled first version is a resource the view does not hold yet. On SQLite a range key
        // counts the first versions it covers (its `version`); PostgreSQL has none (and there '~' need
        // not sort after letters).
        let journalled = db.dialect == .sqlite
            ? "SELECT type, CASE WHEN id > '~' THEN version ELSE 1 END AS n FROM view_key WHERE (version = 1 OR id > '~')"
            : "SELECT type, 1 AS n FROM view_key WHERE version = 1"
        return try db.rows(.cached("""
            SELECT type, SUM(n) FROM (SELECT type, 1 AS n FROM resource
                UNION ALL \(journalled) AND record >= \(ViewJournal.oldestRecord))
            GROUP BY type ORDER BY type
            """)).map { ($0[0], $0[1]) }
    }
}

extension StoreReader {
    /// The current version number of a resource.
    public func resourceVersion(type: String, id: String) throws -> Int? {
        try currentVersion(type: type, id: id)
    }
}

extension StoreReader {
    /// The ids of every stored resource of a type.
    public func resourceIDs(type: String) throws -> [String] {
        // Range keys (SQLite only) are listed by the ids they cover.
        let keys = db.dialect == .sqlite ? "AND id < '~'" : ""
        let listed = try db.values(String.self, .cached("""
            SELECT id FROM resource WHERE type = ?1
            UNION SELECT id FROM view_key WHERE type = ?1 \(keys) AND record >= \(ViewJournal.oldestRecord) ORDER BY id
            """), [type])
        let ranged = try rangedIDs(type: type)
        return ranged.isEmpty ? listed : Set(listed).union(ranged).sorted()
    }
}
