import Foundation
import PostroomCore

extension Store {
    /// The form a drop's row keeps `answer` in (a Zstandard frame when smaller), made ahead of the write,
    /// off the writer thread; `insertDrop` and `markProcessed` store such a frame as it is. Answers never
    /// begin with a frame's magic number (`StoredAcknowledgement`), so an answer is never mistaken for one.
    public static func keptForm(of answer: [UInt8]) -> [UInt8] {
        StoredAcknowledgement.stored(answer) ?? answer
    }
}

extension StoreWriter {
    /// Records a drop as it stands: claimed (state `claimed`), or claimed and settled in one write (state
    /// `processed`, with its outcome and the exact bytes of its acknowledgement, as `markProcessed` records them).
    public func insertDrop(_ d: DropRecord) throws {
        let stmt: SQL = .cached("""
            INSERT INTO drop_file (id, run_id, channel, name, size, sha256, received_at, work_path, state, reprocess_of, parent_drop,
                reprocess_whole, outcome, format, duplicate_of, issues_json, ack_name, ack_bytes, ack_file, error_path)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try db.execute(stmt, [d.id, d.runID, d.channel, d.name, d.size, d.sha256, d.receivedAt, d.workPath,
                              d.state.rawValue, d.reprocessOf, d.parentDrop, d.reprocessWhole, d.outcome?.rawValue, d.format,
                              d.duplicateOf, d.issues.isEmpty ? nil : Issue.encode(d.issues), d.ackName,
                              StoredAcknowledgement.stored(d.ackBytes), d.ackFile, d.errorPath])
        // SQLite's tally of decided drops (`dropCounts`): counted here since v17, not by a trigger (PostgreSQL counts).
        if let outcome = d.outcome, db.dialect == .sqlite {
            try db.execute(.cached("""
                INSERT INTO drop_tally (channel, outcome, count) VALUES (?, ?, 1)
                    ON CONFLICT (channel, outcome) DO UPDATE SET count = count + 1
                """), [d.channel, outcome.rawValue])
        }
    }

    /// Records what became of a drop and the exact bytes of its acknowledgement (state `processed`).
    public func markProcessed(dropID: String, outcome: DropRecord.Outcome, format: String?, duplicateOf: String?, issues: [Issue],
                              ackName: String?, ackBytes: [UInt8]?, ackFile: String? = nil, errorPath: String?) throws {
        let stmt: SQL = .cached("""
            UPDATE drop_file SET state = 'processed', outcome = ?, format = ?, duplicate_of = ?, issues_json = ?,
                ack_name = ?, ack_bytes = ?, ack_file = ?, error_path = ? WHERE id = ?
            """)
        try db.execute(stmt, [outcome.rawValue, format, duplicateOf, issues.isEmpty ? nil : Issue.encode(issues),
                                     ackName, StoredAcknowledgement.stored(ackBytes), ackFile, errorPath, dropID])
    }

    /// Records a drop's content hash (streamed drops learn it after their first pass).
    public func setDropHash(dropID: String, sha256: String) throws {
        try db.execute(.cached("UPDATE drop_file SET sha256 = ? WHERE id = ?"), [sha256, dropID])
    }

    /// Notes that a drop's acknowledgement file is in place.
    public func markAckWritten(dropIDs: [String]) throws {
        let stmt: SQL = .cached("UPDATE drop_file SET ack_written = 1 WHERE id = ?")
        for id in dropIDs { try db.execute(stmt, [id]) }
    }

    /// Notes that a drop's original is in a finished archive (state `done`).
    public func markArchived(dropID: String, archivePath: String, member: String) throws {
        let stmt: SQL = .cached("UPDATE drop_file SET state = 'done', archive_path = ?, archive_member = ? WHERE id = ?")
        try db.execute(stmt, [archivePath, member, dropID])
    }

    /// Records where a rejected drop's original goes in `error/` (a new name when the first one was taken).
    public func setErrorPath(dropID: String, path: String) throws {
        try db.execute(.cached("UPDATE drop_file SET error_path = ? WHERE id = ?"), [path, dropID])
    }

    /// Notes that a drop's original is in `error/` (state `done`).
    public func markErrored(dropID: String) throws {
        try db.execute(.cached("UPDATE drop_file SET state = 'done' WHERE id = ?"), [dropID])
    }

    /// Marks a finished drop as reprocessed: its original moved out of `error/` (or was copied from an archive).
    public func markReprocessed(dropID: String) throws {
        try db.execute(.cached("UPDATE drop_file SET state = 'done', outcome = outcome WHERE id = ?"), [dropID])
    }

    /// Records one message of a drop.
    public func insertMessage(_ m: MessageRecord) throws {
        let stmt: SQL = .cached("""
            INSERT INTO message (id, drop_id, idx, type, format, disposition, duplicate_of, issues_json, raw, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try db.execute(stmt, [m.id, m.dropID, m.index, m.type, m.format, m.disposition.rawValue, m.duplicateOf,
                                     Issue.encode(m.issues), m.raw, m.at])
    }

    /// Remembers a message's business keys (first writer wins), several a statement.
    public func insertDedupeKeys(_ keys: [String], messageID: String, dropID: String) throws {
        try Self.dedupeInsert.execute(keys, on: db) { k, row in
            row.append(k)
            row.append(messageID)
            row.append(dropID)
        }
    }

    static let dedupeInsert = MultiRowSQL("INSERT OR IGNORE INTO dedupe_key (key, message_id, drop_id) VALUES ", width: 3)

    /// Starts a run.
    public func insertRun(id: String, startedAt: String, mode: String) throws {
        try db.execute(.cached("INSERT INTO run (id, started_at, mode, status) VALUES (?, ?, ?, 'running')"), [id, startedAt, mode])
    }

    /// Finishes a run with its counts.
    public func finishRun(id: String, finishedAt: String, status: String, accepted: Int, rejected: Int, duplicates: Int, held: Int,
                          archivePath: String?) throws {
        try db.execute(.cached("""
            UPDATE run SET finished_at = ?, status = ?, accepted = ?, rejected = ?, duplicates = ?, held = ?, archive_path = ?
            WHERE id = ?
            """), [finishedAt, status, accepted, rejected, duplicates, held, archivePath, id])
    }

    /// Runs left `running` by a process that died are marked `crashed`.
    public func markStaleRunsCrashed(except current: String) throws {
        try db.execute(.cached("UPDATE run SET status = 'crashed' WHERE status = 'running' AND id != ?"), [current])
    }

    /// Appends to the audit trail.
    public func audit(at: String, actor: String, action: String, target: String, detail: String?) throws {
        try db.execute(.cached("INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)"), [at, actor, action, target, detail])
    }
}

extension StoreReader {
    static let dropColumns = """
        id, run_id, channel, name, size, sha256, received_at, work_path, state, outcome, format, duplicate_of, issues_json,
        ack_name, ack_bytes, ack_written, error_path, archive_path, archive_member, reprocess_of, parent_drop, ack_file, reprocess_whole
        """

    static func drop(_ r: SQLRow) -> DropRecord {
        var d = DropRecord(id: r[0], runID: r[1], channel: r[2], name: r[3], size: r[4], sha256: r[5], receivedAt: r[6], workPath: r[7],
                   state: DropRecord.State(rawValue: r[8]) ?? .claimed, outcome: (r[9] as String?).flatMap(DropRecord.Outcome.init(rawValue:)),
                   format: r[10], duplicateOf: r[11], issues: Issue.decode(r[12]), ackName: r[13],
                   ackBytes: StoredAcknowledgement.answer(r[14], dropID: r[0]), ackFile: r[21], ackWritten: r[15], errorPath: r[16], archivePath: r[17],
                   archiveMember: r[18], reprocessOf: r[19], parentDrop: r[20])
        d.reprocessWhole = r[22]
        return d
    }

    /// One drop by id.
    public func drop(id: String) throws -> DropRecord? {
        try db.row(.cached("SELECT \(Self.dropColumns) FROM drop_file WHERE id = ?"), [id]).map(Self.drop)
    }

    /// Drops whose work is not finished (after a crash), oldest first, with what recovery needs of them:
    /// an answer's bytes only while it is not written (`ackWritten` false), the issues only of a rejected
    /// drop (its `error/` sidecar names them). A run killed late may leave a whole archive part of drops
    /// (`archive.partDrops`) processed but not placed: they are read a page at a time, so that the rows
    /// read are never all in memory beside the records made of them.
    public func unfinishedDrops() throws -> [DropRecord] {
        var drops: [DropRecord] = []
        var after = ("", "")
        while true {
            let rows = try db.rows(Self.unfinishedPageQuery, [after.0, after.0, after.1])
            drops += rows.map(Self.drop)
            guard rows.count == Self.unfinishedPage, let last = drops.last else { return drops }
            after = (last.receivedAt, last.id)
        }
    }

    /// Unfinished drops read at a time (`unfinishedDrops`).
    static let unfinishedPage = 1_000

    /// One page of unfinished drops after a (`received_at`, `id`), with the lean columns `unfinishedDrops` describes.
    static let unfinishedPageQuery: SQL = {
        let columns = dropColumns
            .replacingOccurrences(of: " issues_json,", with: " CASE WHEN outcome = 'rejected' THEN issues_json END,")
            .replacingOccurrences(of: " ack_bytes,", with: " CASE WHEN ack_written = 0 THEN ack_bytes END,")
        return .cached("""
            SELECT \(columns) FROM drop_file WHERE state != 'done' AND (received_at > ? OR (received_at = ? AND id > ?))
            ORDER BY received_at, id LIMIT \(unfinishedPage)
            """)
    }()

    /// The earliest drop with the same content that was applied (accepted, partial or itself a duplicate),
    /// excluding `excluding` itself.
    ///
    /// The earliest is chosen here, not by `ORDER BY … LIMIT 1`: SQLite sorts even one row in a temporary
    /// B-tree with a pager of its own, opened and closed for every drop (2–3% of the writer's time on
    /// one-message files). Only the candidates' keys are read (compared as bytes, as SQLite compares text),
    /// then the one row.
    ///
    /// The candidates are found through the index of the hash's first 16 digits (v16, p6). On SQLite the whole hash is
    /// compared as `+sha256`: given `sha256 = ?`, SQLite would put the value in `substr(sha256, 1, 16)` too (constant
    /// propagation), leaving no expression for the index to match, and read every applied drop instead.
    public func appliedDrop(sha256: String, excluding: String) throws -> DropRecord? {
        let candidates = try db.rows(db.dialect == .sqlite ? Self.appliedByPrefixSQLite : Self.appliedByPrefixPostgres,
                                     [String(sha256.prefix(Self.hashPrefixLength)), sha256, excluding])
            .map { (id: $0[0] as String, receivedAt: $0[1] as String) }
        let earliest = candidates.min { a, b in
            a.receivedAt != b.receivedAt ? a.receivedAt.utf8.lexicographicallyPrecedes(b.receivedAt.utf8)
                : a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
        }
        return try earliest.flatMap { try drop(id: $0.id) }
    }

    /// The hash digits `drop_file_sha256_prefix` holds (v16, p6: `substr(sha256, 1, 16)`).
    static let hashPrefixLength = 16
    /// PostgreSQL (p6) has no unary `+` for text, nor the need of it.
    private static let appliedByPrefixSQLite = appliedByPrefix(wholeHash: "+sha256")
    private static let appliedByPrefixPostgres = appliedByPrefix(wholeHash: "sha256")

    private static func appliedByPrefix(wholeHash: String) -> SQL {
        .cached("""
            SELECT id, received_at FROM drop_file
            WHERE substr(sha256, 1, \(hashPrefixLength)) = ? AND \(wholeHash) = ? AND id != ? AND state != 'claimed'
              AND outcome IN ('accepted', 'partial', 'duplicate')
            """)
    }

    /// Drops filtered for operators, newest first.
    public func drops(outcome: String? = nil, channel: String? = nil, since: String? = nil, run: String? = nil, limit: Int = 1000) throws -> [DropRecord] {
        var sql = "SELECT \(Self.dropColumns) FROM drop_file WHERE 1"
        var args: [SQLArgument] = []
        if let outcome { sql += " AND outcome = ?"; args.append(outcome) }
        if let channel { sql += " AND channel = ?"; args.append(channel) }
        if let since { sql += " AND received_at >= ?"; args.append(since) }
        if let run { sql += " AND run_id = ?"; args.append(run) }
        sql += " ORDER BY received_at DESC, id DESC LIMIT ?"
        args.append(limit)
        return try db.rows(SQL(sql), args).map(Self.drop)
    }

    /// Which earlier message holds any of these business keys (the first key, in order, that one holds).
    public func dedupeHit(_ keys: [String]) throws -> (key: String, messageID: String, dropID: String)? {
        let hits = try dedupeHits(keys)
        return keys.lazy.compactMap { k in hits[k].map { (k, $0.messageID, $0.dropID) } }.first
    }

    /// The earlier messages holding any of these business keys, by key: one statement for several keys
    /// (a FHIR message has three), not one a key.
    public func dedupeHits(_ keys: [String]) throws -> [String: (messageID: String, dropID: String)] {
        var hits: [String: (messageID: String, dropID: String)] = [:]
        try MultiRowSQL.chunks(of: keys) { chunk in
            for r in try db.rows(Self.dedupeLookup[chunk.count], chunk.map { $0 }) { hits[r[0]] = (r[1], r[2]) }
        }
        return hits
    }

    static let dedupeLookup = MultiRowSQL("SELECT key, message_id, drop_id FROM dedupe_key WHERE key IN (", width: 1, tail: ")")

    /// Whether a business key is known.
    public func hasDedupeKey(_ key: String) throws -> Bool {
        try db.value(Bool.self, .cached("SELECT 1 FROM dedupe_key WHERE key = ?"), [key]) ?? false
    }

    static func message(_ r: SQLRow) -> MessageRecord {
        MessageRecord(id: r[0], dropID: r[1], index: r[2], type: r[3], format: r[4],
                      disposition: MessageResult.Disposition(rawValue: r[5]) ?? .rejected, duplicateOf: r[6],
                      issues: Issue.decode(r[7]), raw: r[8] as [UInt8]?, at: r[9])
    }

    /// The messages of a drop, in order.
    public func messages(dropID: String) throws -> [MessageRecord] {
        try db.rows(.cached("""
            SELECT id, drop_id, idx, type, format, disposition, duplicate_of, issues_json, raw, at FROM message
            WHERE drop_id = ? ORDER BY idx
            """), [dropID]).map(Self.message)
    }

    /// One message by id.
    public func message(id: String) throws -> MessageRecord? {
        try db.row(.cached("""
            SELECT id, drop_id, idx, type, format, disposition, duplicate_of, issues_json, raw, at FROM message WHERE id = ?
            """), [id]).map(Self.message)
    }

    static func run(_ r: SQLRow) -> RunRecord {
        RunRecord(id: r[0], startedAt: r[1], finishedAt: r[2], mode: r[3], status: r[4], accepted: r[5], rejected: r[6],
                  duplicates: r[7], held: r[8], archivePath: r[9])
    }

    /// The latest runs, newest first.
    public func runs(limit: Int = 10) throws -> [RunRecord] {
        try db.rows(.cached("""
            SELECT id, started_at, finished_at, mode, status, accepted, rejected, duplicates, held, archive_path
            FROM run ORDER BY started_at DESC, id DESC LIMIT ?
            """), [limit]).map(Self.run)
    }

    /// Drop counts by channel and outcome (the state of a drop not yet decided).
    ///
    /// SQLite reads the decided drops from `drop_tally`, which `insertDrop` and triggers keep (v14, v17: counting the whole
    /// table took seconds on a large store), and counts the undecided ones through the `outcome` index;
    /// it counts them all where no run of this version has migrated the file yet (a read-only `status`
    /// or `serve` just after an upgrade). PostgreSQL counts: one tally row per channel and outcome,
    /// updated by every drop, would make the nodes' transactions wait for each other.
    public func dropCounts() throws -> [(channel: String, outcome: String, count: Int)] {
        guard try db.dialect == .sqlite && db.tableExists("drop_tally") else {
            return try db.rows(.cached("""
                SELECT channel, COALESCE(outcome, state), COUNT(*) FROM drop_file GROUP BY channel, COALESCE(outcome, state) ORDER BY 1, 2
                """)).map { ($0[0], $0[1], $0[2]) }
        }
        return try db.rows(.cached("""
            SELECT channel, outcome, SUM(count) FROM (
                SELECT channel, outcome, count FROM drop_tally WHERE count > 0
                UNION ALL
                SELECT channel, state, COUNT(*) FROM drop_file WHERE outcome IS NULL GROUP BY 1, 2
            ) GROUP BY 1, 2 ORDER BY 1, 2
            """)).map { ($0[0], $0[1], $0[2]) }
    }
}

extension StoreReader {
    /// Runs that did not finish (their process died), except `current`.
    public func unfinishedRuns(except current: String) throws -> [RunRecord] {
        try db.rows(.cached("""
            SELECT id, started_at, finished_at, mode, status, accepted, rejected, duplicates, held, archive_path
            FROM run WHERE status IN ('running', 'crashed') AND id != ? ORDER BY started_at
            """), [current]).map(Self.run)
    }

    /// Whether the drops of archive part `path` of run `run` were marked archived there. A single node marks
    /// a part's drops in one transaction (`RunArchive.close`), so there one such drop says the part was
    /// recorded; a node of several may adopt a part in shares, so this is not asked there. (Only the run's own
    /// drops are looked at, through its index; a part holding only drops an earlier run left is not seen
    /// as recorded, and is read as before.)
    public func archivePartRecorded(run: String, path: String) throws -> Bool {
        try db.row(.cached("SELECT 1 FROM drop_file WHERE run_id = ? AND archive_path = ? LIMIT 1"), [run, path]) != nil
    }
}

extension StoreWriter {
    /// Records where a crashed run's archive is, once its drops are adopted.
    public func setRunArchive(id: String, path: String) throws {
        try db.execute(.cached("UPDATE run SET archive_path = ? WHERE id = ?"), [path, id])
    }
}
