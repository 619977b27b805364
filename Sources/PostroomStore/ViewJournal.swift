import Foundation

/// The FHIR view off the critical path (DESIGN.md §5, PERFORMANCE.md "Deferred FHIR view").
///
/// On the critical path a resource version is not written to `resource`, `resource_history` and the
/// search index row by row: the versions one message writes go, compressed together, into one
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
    private(set) var entries: [JournalEntry] = []
    /// `Type/id`s known to be new in this transaction (`StoreWriter.reserveNew`), each with whether
    /// Postroom generated the id (such first versions may share a range key).
    var fresh: [FreshKey: Bool] = [:]
    /// A `Type/id` of `fresh` (two strings: no `Type/id` string made per lookup, ~3 lookups per resource).
    struct FreshKey: Hashable {
        let type: String
        let id: String
    }
    /// By type, the highest id the range keys written so far cover (`insertKeys`).
    var rangeHighs: [String: String] = [:]
    /// This transaction's records, encoded off the writer thread and inserted by `writeRecords`.
    private let records: ViewRecordEncoder.Batch
    /// The seq the next record takes (SQLite: the table's next rowid, read at the first flush). Seqs are
    /// never taken twice in a transaction, even when a savepoint rolls back (a gap is harmless).
    private var nextSeq: Int64?

    init(encoder: ViewRecordEncoder) {
        records = encoder.batch()
    }

    /// The newest unflushed version of `type/id`.
    func latest(type: String, id: String) -> ViewEntry? {
        entries.last { $0.type == type && $0.id == id }?.viewEntry
    }

    func append(_ e: JournalEntry) { entries.append(e) }

    /// Forgets what was added after `count` entries (a savepoint rolled back).
    func truncate(to count: Int) {
        if entries.count > count { entries.removeSubrange(count...) }
    }

    /// Where a savepoint starts: its entries and its records.
    struct Mark {
        var entries: Int
        var records: Int
    }

    var mark: Mark { Mark(entries: entries.count, records: records.submittedCount) }

    /// Forgets what a rolled-back savepoint added: its entries and the records it flushed.
    func rollBack(to mark: Mark) {
        truncate(to: mark.entries)
        records.forget(keepingFirst: mark.records)
    }

    /// Makes the entries added after `from` one record: its keys are written now (reads by id see it
    /// at once), its data is encoded on the encoder's thread and inserted by `writeRecords`.
    func flush(_ db: any SQLExecutor, from: Int = 0) throws {
        guard entries.count > from else { return }
        // All the entries (the usual case): the array itself, not a copy of each entry.
        let slice = from == 0 ? entries : Array(entries[from...])
        let seq = try recordSeq(db)
        if db.dialect == .postgres {
            try Self.insertKeysAsJSON(slice, seq: seq, db)
        } else {
            try insertKeys(slice[...], seq: seq, db)
        }
        records.submit(seq: seq, messageID: slice.first?.messageID, entries: slice)
        if from == 0 { entries.removeAll(keepingCapacity: true) } else { truncate(to: from) }
    }

    /// The seq of the next record: drawn from the database's sequence where it keeps one (several
    /// PostgreSQL nodes write at once), else the table's next rowid, read once per transaction (SQLite's
    /// one writer).
    private func recordSeq(_ db: any SQLExecutor) throws -> Int64 {
        if let drawn = try db.reserveIdentity(table: "view_record", column: "seq") { return drawn }
        let seq = try nextSeq ?? (db.value(Int64.self, .cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM view_record")) ?? 1)
        nextSeq = seq + 1
        return seq
    }

    /// The entries of a record of this transaction not yet inserted that `matching` takes, if `seq` is one.
    func pendingRecord(_ seq: Int64, matching: (_ type: String, _ id: String, _ version: Int) -> Bool) throws -> [ViewEntry]? {
        try records.entries(seq: seq, matching: matching)
    }

    /// Savepoints open around the writer now. Records are inserted only outside every savepoint: a
    /// record inserted inside one that then rolls back would be lost with it, though its own (earlier)
    /// savepoint committed.
    var savepointDepth = 0
    /// Whether `StoreWriter.savepoint` takes no savepoint in this transaction (`Store.writeElidingSavepoints`),
    /// and whether the body of one such failed: the transaction must then not commit.
    var elidingSavepoints = false
    var elidedSavepointFailed = false

    /// Inserts the records encoded so far, without waiting for the others (outside savepoints only),
    /// so that a transaction of many messages — a streamed Bundle's thousands of entries — does not
    /// hold its records in memory until it commits.
    func writeEncodedRecords(_ db: any SQLExecutor) throws {
        guard savepointDepth == 0 else { return }
        // Outside every savepoint nothing submitted so far can be rolled back on its own any more.
        records.settleSubmitted()
        try insert(records.takeEncoded(), db)
    }

    /// Inserts this transaction's remaining records (waiting for the last ones to be encoded): the
    /// last step before the commit.
    func writeRecords(_ db: any SQLExecutor) throws {
        try insert(records.finish(), db)
        nextSeq = nil
    }

    private func insert(_ done: [(seq: Int64, messageID: String?, data: [UInt8])], _ db: any SQLExecutor) throws {
        let insert: SQL = .cached("INSERT INTO view_record (seq, message_id, data) VALUES (?, ?, ?)")
        for r in done {
            try db.execute(insert, [r.seq, r.messageID, r.data])
        }
    }

    /// SQL for the oldest record still in the journal: keys of older records are stale.
    ///
    /// An empty journal has no stale keys (the transaction that takes its last record deletes every key),
    /// so any key then seen is of a record this transaction has not inserted yet (records are inserted
    /// once encoded, a few messages behind their keys): it is waiting, as 0 makes it.
    static let oldestRecord = "(SELECT COALESCE(MIN(seq), 0) FROM view_record)"

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
            """), [type, id]) else { return try rangedEntry(type: type, id: id) }
        return try journalEntry(type: type, id: id, version: row[0], record: row[1])
    }

    /// Every journalled version of a resource, newest first.
    func journalledVersions(type: String, id: String) throws -> [ViewEntry] {
        let rows = try db.rows(.cached("SELECT version, record FROM view_key WHERE type = ? AND id = ? AND record >= \(ViewJournal.oldestRecord) ORDER BY version DESC"), [type, id])
        var out = (journal?.entries ?? []).filter { $0.type == type && $0.id == id }.reversed().map(\.viewEntry)
        for r in rows { if let e = try journalEntry(type: type, id: id, version: r[0], record: r[1]) { out.append(e) } }
        // A generated id's first version may be under a range key rather than a key of its own.
        if !out.contains(where: { $0.version == 1 }), let first = try rangedEntry(type: type, id: id) { out.append(first) }
        return out
    }

    func journalEntry(type: String, id: String, version: Int, record: Int64) throws -> ViewEntry? {
        try recordEntries(record) { $0 == type && $1 == id && $2 == version }.last
    }

    /// The entries of a waiting record (one of this transaction's not yet inserted, or a stored one) that
    /// `matching` takes, by type, id and version (a record's entries not yet encoded are built only if taken).
    func recordEntries(_ record: Int64, matching: (_ type: String, _ id: String, _ version: Int) -> Bool) throws -> [ViewEntry] {
        if let entries = try journal?.pendingRecord(record, matching: matching) { return entries }
        guard let data = try db.value([UInt8].self, .cached("SELECT data FROM view_record WHERE seq = ?"), [record]) else {
            return []
        }
        return try (ViewRecord.decode(ViewCompressor.decompress(data)) ?? []).filter { matching($0.type, $0.id, $0.version) }
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
            guard let entries = try ViewRecord.decode(ViewCompressor.decompress(r[1] as [UInt8])) else {
                throw ViewRecordFailure(description: "view record \(seq) cannot be read")
            }
            for e in entries { try materialise(e, into: &searchRows) }
        }
        try searchRows.insert(db)
        if !rows.isEmpty {
            // Exactly the records read: with several PostgreSQL writers a record of a lower seq can commit
            // after this read, and a range would delete it unmaterialised.
            for r in rows { try db.execute(.cached("DELETE FROM view_record WHERE seq = ?"), [r[0] as Int64]) }
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
    private(set) var bySource: [String: (type: String, id: String, rows: [SearchIndexer.Row])] = [:]

    mutating func set(type: String, id: String, rows: [SearchIndexer.Row]) {
        bySource[type + "/" + id] = (type, id, rows)
    }

    /// Inserts the rows through a temporary table, so that SQLite sorts them by the index's key
    /// (on PostgreSQL in one statement: `insertAsJSON`).
    func insert(_ db: any SQLExecutor) throws {
        guard !bySource.isEmpty else { return }
        if db.dialect == .postgres { return try insertAsJSON(db) }
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
