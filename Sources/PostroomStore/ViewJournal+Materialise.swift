import Foundation

extension StoreWriter {
    /// Materialises up to `limit` records, oldest first, stopping after the record that reaches `entries`
    /// resource versions (by default `limit × Store.versionsPerMessage`: a record holds one message's
    /// versions, or several messages' in a transaction without savepoints, and the versions, not the
    /// records, are what a batch holds in memory). Returns how many records it took, and whether records
    /// up to `last` still wait.
    ///
    /// The records' search rows are inserted together, sorted by the index's key, so that a batch
    /// touches each index page once rather than once per resource. The keys of materialised records
    /// are not deleted one by one: a key whose record is gone is stale (every query of `view_key`
    /// ignores keys older than the oldest record), and all keys go when the journal is empty.
    func materialiseRecords(limit: Int, entries cap: Int? = nil, upTo last: Int64 = .max) throws -> (taken: Int, more: Bool) {
        let budget = cap ?? limit * Store.versionsPerMessage
        let rows = try db.rows(.cached("SELECT seq, data FROM view_record WHERE seq <= ? ORDER BY seq LIMIT ?"), [last, limit])
        var searchRows = SearchRowBatch()
        var taken: [Int64] = []
        var versions = 0
        for r in rows where versions < budget {
            let seq: Int64 = r[0]
            guard let entries = try ViewRecord.decode(ViewCompressor.decompress(r[1] as [UInt8])) else {
                throw ViewRecordFailure(description: "view record \(seq) cannot be read")
            }
            for e in entries { try materialise(e, into: &searchRows) }
            versions += entries.count
            taken.append(seq)
        }
        try searchRows.insert(db)
        if !taken.isEmpty {
            journal.forgetStored()
            // Exactly the records read: with several PostgreSQL writers a record of a lower seq can commit
            // after this read, and a range would delete it unmaterialised.
            for seq in taken { try db.execute(.cached("DELETE FROM view_record WHERE seq = ?"), [seq]) }
            if try db.value(Int.self, .cached("SELECT 1 FROM view_record LIMIT 1")) == nil {
                try db.execute("DELETE FROM view_key")
            }
        }
        return (taken.count, taken.count < rows.count || rows.count == limit)
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
    /// Records materialised per transaction at most: large enough to amortise the commit, small enough
    /// that a reader waiting to write (`serve`) is not held for long, and that a batch's resources and
    /// search rows stay under the memory bound: 96 peaked at 67–68 MiB on 20,000 FHIR Bundles with
    /// `view: afterRun` (48: 58 MiB, the materialisation ~7% longer).
    public static let materialiseBatch = 48

    /// Resource versions a one-message record of a v2 result holds (a DiagnosticReport, ~10 Observations,
    /// its Patient): a batch of `batch` records takes at most `batch` times this many versions (stopping after
    /// the record that reaches them), so records of several messages (`ViewJournal.recordMessages`) are taken
    /// fewer at a time and a batch holds what it held with one-message records.
    public static let versionsPerMessage = 12

    /// Moves every journalled resource version into the view, in order, in transactions of at most
    /// `batch` records and about `batch × versionsPerMessage` versions. Safe to repeat and to interrupt:
    /// each transaction removes the records it materialised. Returns the number of records.
    ///
    /// - Parameter last: only records up to this one (those written before a mark, `lastViewRecord`).
    @discardableResult
    public func materialiseView(upTo last: Int64 = .max, batch: Int = Store.materialiseBatch, afterBatch: () -> Void = {}) throws -> Int {
        var total = 0
        while true {
            let (n, more) = try write { w in try w.materialiseRecords(limit: batch, upTo: last) }
            afterBatch()
            total += n
            if !more || n == 0 {
                if total > 0 { try write { w in try w.forgetStaleKeys() } }
                return total
            }
        }
    }
}
