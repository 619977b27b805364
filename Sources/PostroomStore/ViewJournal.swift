import Foundation

/// The FHIR view off the critical path (DESIGN.md §5, PERFORMANCE.md "Deferred FHIR view").
///
/// On the critical path a resource version is not written to `resource`, `resource_history` and the
/// search index row by row: the versions one message writes go, deflated together, into one
/// `view_record` row, and each version gets one narrow `view_key` row (type, id, version → record)
/// so that it can be read by id at once. Both commit with the message's workflow state, so nothing
/// deferred is lost by a crash. `Store.materialiseView` moves the records into the view (the
/// resource tables and the search index) in large transactions, in the order they were written: at
/// the end of every run, once its acknowledgements are placed, at the start of the next, and before
/// `serve` answers a search.
///
/// Reads by id (`resource`, `resourceHistory`, versions, counts) see journalled versions at once;
/// searches and history listings run only on a materialised view.
final class ViewJournal {
    /// Versions written in this transaction and not yet put into a record.
    private(set) var entries: [ViewEntry] = []
    /// `Type/id`s known to be new in this transaction (`StoreWriter.reserveNew`).
    var fresh: Set<String> = []
    private let compressor = ViewCompressor()

    /// The newest unflushed version of `type/id`.
    func latest(type: String, id: String) -> ViewEntry? {
        entries.last { $0.type == type && $0.id == id }
    }

    func append(_ e: ViewEntry) { entries.append(e) }

    /// Forgets what was added after `count` entries (a savepoint rolled back).
    func truncate(to count: Int) {
        if entries.count > count { entries.removeSubrange(count...) }
    }

    /// Writes the entries added after `from` as one record with their keys, and forgets them.
    func flush(_ db: any SQLExecutor, from: Int = 0) throws {
        guard entries.count > from else { return }
        let slice = entries[from...]
        let data = try compressor.deflate(ViewRecord.encode(slice))
        try db.execute(.cached("INSERT INTO view_record (message_id, data) VALUES (?, ?)"), [slice.first?.messageID, data])
        let seq = try db.lastInsertedID()
        let key: SQL = .cached("INSERT OR REPLACE INTO view_key (type, id, version, record) VALUES (?, ?, ?, ?)")
        for e in slice { try db.execute(key, [e.type, e.id, e.version, seq]) }
        truncate(to: from)
    }

    /// SQL for the oldest record still in the journal: keys of older records are stale.
    static let oldestRecord = "(SELECT COALESCE(MIN(seq), 9223372036854775807) FROM view_record)"

    static let createTables = """
        CREATE TABLE view_record (
            seq INTEGER PRIMARY KEY,
            message_id TEXT,
            data BLOB NOT NULL
        );
        CREATE TABLE view_key (
            type TEXT NOT NULL,
            id TEXT NOT NULL,
            version INTEGER NOT NULL,
            record INTEGER NOT NULL,
            PRIMARY KEY (type, id, version)
        ) WITHOUT ROWID;
        """
}

extension StoreReader {
    /// The newest journalled (not yet materialised) version of a resource, unflushed ones included.
    func journalled(type: String, id: String) throws -> ViewEntry? {
        if let e = journal?.latest(type: type, id: id) { return e }
        guard let row = try db.row(.cached("""
            SELECT version, record FROM view_key WHERE type = ? AND id = ? AND record >= \(ViewJournal.oldestRecord)
            ORDER BY version DESC LIMIT 1
            """), [type, id]) else { return nil }
        return try journalEntry(type: type, id: id, version: row[0], record: row[1])
    }

    /// Every journalled version of a resource, newest first.
    func journalledVersions(type: String, id: String) throws -> [ViewEntry] {
        let rows = try db.rows(.cached("SELECT version, record FROM view_key WHERE type = ? AND id = ? AND record >= \(ViewJournal.oldestRecord) ORDER BY version DESC"), [type, id])
        var out = (journal?.entries ?? []).filter { $0.type == type && $0.id == id }.reversed().map { $0 }
        for r in rows { if let e = try journalEntry(type: type, id: id, version: r[0], record: r[1]) { out.append(e) } }
        return out
    }

    private func journalEntry(type: String, id: String, version: Int, record: Int64) throws -> ViewEntry? {
        guard let data = try db.value([UInt8].self, .cached("SELECT data FROM view_record WHERE seq = ?"), [record]) else {
            return nil
        }
        return try ViewRecord.decode(ViewCompressor.inflate(data))?.last { $0.type == type && $0.id == id && $0.version == version }
    }

    /// The newest record in the journal (0 when it is empty): a mark for `materialiseView(upTo:)`.
    public func lastViewRecord() throws -> Int64 {
        try db.value(Int64.self, "SELECT MAX(seq) FROM view_record") ?? 0
    }

    /// The journal's keys: of versions waiting, and stale ones (their record already materialised).
    public func viewKeys() throws -> (waiting: Int, stale: Int) {
        let row = try db.row("""
            SELECT COUNT(*) FILTER (WHERE record >= \(ViewJournal.oldestRecord)), COUNT(*) FILTER (WHERE record < \(ViewJournal.oldestRecord))
            FROM view_key
            """)
        return (row?[0] ?? 0, row?[1] ?? 0)
    }

    /// How many records wait to be materialised.
    public func pendingViewRecords() throws -> Int {
        try db.value(Int.self, "SELECT COUNT(*) FROM view_record") ?? 0
    }

    /// Whether every resource version is in the view (the search index and the resource tables).
    public func viewIsMaterialised() throws -> Bool {
        try db.value(Int.self, .cached("SELECT 1 FROM view_record LIMIT 1")) == nil
    }
}

extension StoreWriter {
    /// Materialises up to `limit` records, oldest first; returns how many it took.
    ///
    /// The records' search rows are inserted together, sorted by the index's key, so that a batch
    /// touches each index page once rather than once per resource. The keys of materialised records
    /// are not deleted one by one: a key whose record is gone is stale (every query of `view_key`
    /// ignores keys older than the oldest record), and all keys go when the journal is empty.
    func materialiseRecords(limit: Int, upTo last: Int64 = .max) throws -> Int {
        let rows = try db.rows(.cached("SELECT seq, data FROM view_record WHERE seq <= ? ORDER BY seq LIMIT ?"), [last, limit])
        var searchRows = SearchRowBatch()
        for r in rows {
            let seq: Int64 = r[0]
            guard let entries = try ViewRecord.decode(ViewCompressor.inflate(r[1] as [UInt8])) else {
                throw ViewRecordFailure(description: "view record \(seq) cannot be read")
            }
            for e in entries { try materialise(e, into: &searchRows) }
        }
        try searchRows.insert(db)
        if let last = rows.last {
            let seq: Int64 = last[0]
            try db.execute(.cached("DELETE FROM view_record WHERE seq <= ?"), [seq])
            if try db.value(Int.self, .cached("SELECT 1 FROM view_record LIMIT 1")) == nil {
                try db.execute("DELETE FROM view_key")
            }
        }
        return rows.count
    }
}

extension StoreWriter {
    /// Removes the keys of records already materialised while others still wait (when the journal
    /// empties, `materialiseRecords` removes them all): under a steady load with `view: deferred` the
    /// journal may never be empty, and stale keys would otherwise pile up. One scan of `view_key`,
    /// once per materialisation.
    func forgetStaleKeys() throws {
        try db.execute("DELETE FROM view_key WHERE record < \(ViewJournal.oldestRecord)")
    }
}

/// The search rows of a materialisation batch, by the resource that produced them (a later version
/// in the same batch replaces an earlier one's), inserted at the end in index order.
struct SearchRowBatch {
    private var bySource: [String: (type: String, id: String, rows: [SearchIndexer.Row])] = [:]

    mutating func set(type: String, id: String, rows: [SearchIndexer.Row]) {
        bySource[type + "/" + id] = (type, id, rows)
    }

    /// Inserts the rows through a temporary table, so that SQLite sorts them by the index's key.
    func insert(_ db: any SQLExecutor) throws {
        guard !bySource.isEmpty else { return }
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS search_param_batch (src_type TEXT, src_id TEXT, type TEXT, id TEXT, name TEXT,
                system TEXT, value TEXT, lo TEXT, hi TEXT)
            """)
        let stage: SQL = .cached("""
            INSERT INTO temp.search_param_batch (src_type, src_id, type, id, name, system, value, lo, hi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (_, s) in bySource {
            for r in s.rows { try db.execute(stage, [s.type, s.id, r.type, r.id, r.name, r.system, r.value, r.lo, r.hi]) }
        }
        try db.execute("""
            INSERT INTO search_param (src_type, src_id, type, id, name, system, value, lo, hi)
                SELECT src_type, src_id, type, id, name, system, value, lo, hi FROM temp.search_param_batch
                ORDER BY type, name, value, system, id;
            DELETE FROM temp.search_param_batch;
            """)
    }
}

extension Store {
    /// Records materialised per transaction: large enough to amortise the commit, small enough that
    /// a reader waiting to write (`serve`) is not held for long.
    public static let materialiseBatch = 96

    /// Moves every journalled resource version into the view, in order, in transactions of
    /// `materialiseBatch` records. Safe to repeat and to interrupt: each transaction removes the
    /// records it materialised. Returns the number of records.
    ///
    /// - Parameter last: only records up to this one (those written before a mark, `lastViewRecord`).
    @discardableResult
    public func materialiseView(upTo last: Int64 = .max, batch: Int = Store.materialiseBatch, afterBatch: () -> Void = {}) throws -> Int {
        var total = 0
        while true {
            let n = try write { w in try w.materialiseRecords(limit: batch, upTo: last) }
            afterBatch()
            total += n
            if n < batch {
                if total > 0 { try write { w in try w.forgetStaleKeys() } }
                return total
            }
        }
    }
}
