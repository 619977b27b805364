import Foundation
import PostroomCore

/// The FHIR view off the critical path (DESIGN.md §5, PERFORMANCE.md "Deferred FHIR view").
///
/// On the critical path a resource version is not written to `resource`, `resource_history` and the
/// search index row by row: the versions one message writes (or a few messages, in a transaction
/// without savepoints: `recordMessages`) go, compressed together, into one `view_record` row, and each
/// version gets one narrow `view_key` row (type, id, version → record; or a range key, `insertKeys`)
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

    /// By `Type/id`, the position in `entries` of its newest unflushed version.
    private var newest: [FreshKey: Int] = [:]

    /// The newest unflushed version of `type/id`.
    func latest(type: String, id: String) -> ViewEntry? {
        latestEntry(type: type, id: id)?.viewEntry
    }

    /// The newest unflushed version of `type/id`, as journalled.
    func latestEntry(type: String, id: String) -> JournalEntry? {
        newest[FreshKey(type: type, id: id)].map { entries[$0] }
    }

    func append(_ e: JournalEntry) {
        newest[FreshKey(type: e.type, id: e.id)] = entries.count
        entries.append(e)
    }

    /// Forgets what was added after `count` entries (a savepoint rolled back).
    func truncate(to count: Int) {
        guard entries.count > count else { return }
        entries.removeSubrange(count...)
        newest.removeAll(keepingCapacity: true)
        for (i, e) in entries.enumerated() { newest[FreshKey(type: e.type, id: e.id)] = i }
    }

    /// The newest versions this transaction stored or found unchanged for `StoreWriter.putResource(unlessUnchanged:)`,
    /// each with what it says apart from `meta` (the last few: a patient is named again by the next messages).
    /// Every version journalled replaces its resource's entry; a rolled-back savepoint empties the list.
    private var compared: [(key: FreshKey, version: Int, content: JSONObject)] = []
    static let comparedKept = 8

    /// The newest version of `key`, when this transaction knows it says `content` (apart from `meta`).
    func unchangedVersion(_ key: FreshKey, _ content: JSONObject) -> Int? {
        guard let c = compared.last(where: { $0.key == key }), c.content == content else { return nil }
        return c.version
    }

    /// Notes `version` as the newest of `key`, saying `content` (nil: not kept for comparison).
    func noteCurrent(_ key: FreshKey, version: Int, content: JSONObject?) {
        compared.removeAll { $0.key == key }
        guard let content else { return }
        if compared.count >= Self.comparedKept { compared.removeFirst() }
        compared.append((key, version, content))
    }

    /// In a transaction without savepoints the versions of several messages share a record, made once
    /// this many messages or versions wait (four one-message v2 results): a quarter of the records and
    /// range keys of one record per message, while what waits stays as small as `ViewRecordEncoder.chunk`
    /// one-message records.
    static let recordMessages = 4
    static let recordVersions = 48
    /// Messages (outermost savepoints) whose versions wait in `entries` (transactions without savepoints).
    private var messagesWaiting = 0

    /// An outermost savepoint finished in a transaction without savepoints: its versions join the next
    /// record, made now if enough wait.
    func messageFinished(_ db: any SQLExecutor) throws {
        messagesWaiting += 1
        if messagesWaiting >= Self.recordMessages || entries.count >= Self.recordVersions { try flush(db) }
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
        compared.removeAll()
        records.forget(keepingFirst: mark.records)
    }

    /// Makes the entries added after `from` one record: its keys are written now (reads by id see it
    /// at once), its data is encoded on the encoder's thread (or by the writer, for what that thread has not
    /// reached when the transaction ends: `ViewRecordEncoder.Batch.finish`) and inserted by `writeRecords`.
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
        records.submit(seq: seq, messageID: slice.first?.messageID, entries: slice, messages: max(1, from == 0 ? messagesWaiting : 1))
        if from == 0 {
            entries.removeAll(keepingCapacity: true)
            newest.removeAll(keepingCapacity: true)
            messagesWaiting = 0
        } else {
            truncate(to: from)
        }
    }

    /// Stored records this transaction read, decompressed (newest last): the results of a group look up
    /// the requests and patients of a few records, each many times.
    private var read: [(seq: Int64, framed: [UInt8])] = []
    /// Stored records kept decompressed at most.
    static let recordsKept = 4

    /// A stored record this transaction read before, decompressed.
    func stored(_ seq: Int64) -> [UInt8]? {
        read.last { $0.seq == seq }?.framed
    }

    /// Keeps a stored record this transaction read, decompressed, in place of the oldest kept.
    func keep(_ seq: Int64, _ framed: [UInt8]) {
        if read.count >= Self.recordsKept { read.removeFirst() }
        read.append((seq, framed))
    }

    /// Forgets the stored records kept (records were deleted: their seqs may be taken again).
    func forgetStored() { read.removeAll() }

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

    /// Inserts this transaction's remaining records (the last ones encoded by the writer itself rather than
    /// waited for): the last step before the commit.
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
        guard let key = try journalledKey(type: type, id: id) else { return try rangedEntry(type: type, id: id) }
        return try journalEntry(type: type, id: id, version: key.version, record: key.record)
    }

    /// The key of the newest version of a resource in a stored or waiting record (not a range key).
    func journalledKey(type: String, id: String) throws -> (version: Int, record: Int64, contentHash: Int64?)? {
        try db.row(Self.newestKey, [type, id]).map { ($0[0], $0[1], $0[2]) }
    }

    private static let newestKey: SQL = .cached("""
        SELECT version, record, content_hash FROM view_key WHERE type = ? AND id = ? AND record >= \(ViewJournal.oldestRecord)
        ORDER BY version DESC LIMIT 1
        """)

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
        if let framed = journal?.stored(record) { return ViewRecord.decode(framed, matching: matching) ?? [] }
        guard let data = try db.value([UInt8].self, .cached("SELECT data FROM view_record WHERE seq = ?"), [record]) else {
            return []
        }
        let framed = try ViewCompressor.decompress(data)
        journal?.keep(record, framed)
        return ViewRecord.decode(framed, matching: matching) ?? []
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
