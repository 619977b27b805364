import Foundation
import PostroomCore

/// A message with the drop it came in, for operator listings.
public struct MessageListing: Sendable {
    public var message: MessageRecord
    public var channel: String
    public var dropName: String
    public var receivedAt: String
}

/// What `prune` removed.
public struct PruneCounts: Sendable, Equatable {
    public var drops = 0
    public var messages = 0
    public var dedupeKeys = 0
    public var runs = 0
    public var resourceVersions = 0
    /// Files sent besides acknowledgements (routed Tasks), already written, of pruned drops.
    public var outbound = 0
    /// Finished operator reprocess requests.
    public var reprocessRequests = 0
    public init() {}
}

extension StoreReader {
    /// Messages newest first, filtered by disposition, channel and time.
    public func messageListing(disposition: String? = nil, channel: String? = nil, since: String? = nil, limit: Int = 500) throws -> [MessageListing] {
        var sql = """
            SELECT m.id, m.drop_id, m.idx, m.type, m.format, m.disposition, m.duplicate_of, m.issues_json, NULL, m.at,
                   d.channel, d.name, d.received_at
            FROM message m JOIN drop_file d ON d.id = m.drop_id WHERE 1
            """
        var args: [SQLArgument] = []
        if let disposition { sql += " AND m.disposition = ?"; args.append(disposition) }
        if let channel { sql += " AND d.channel = ?"; args.append(channel) }
        if let since { sql += " AND d.received_at >= ?"; args.append(since) }
        sql += " ORDER BY d.received_at DESC, m.id DESC LIMIT ?"
        args.append(limit)
        return try db.rows(SQL(sql), args).map {
            MessageListing(message: Self.message($0), channel: $0[10], dropName: $0[11], receivedAt: $0[12])
        }
    }

    /// Drops made by reprocessing `dropID`.
    public func reprocessesOf(_ dropID: String) throws -> [DropRecord] {
        try db.rows("SELECT \(Self.dropColumns) FROM drop_file WHERE reprocess_of = ? ORDER BY received_at", [dropID])
            .map(Self.drop)
    }

    /// Rejected drops whose original is still in `error/` (not reprocessed since).
    public func failedDrops(run: String? = nil) throws -> [DropRecord] {
        var sql = """
            SELECT \(Self.dropColumns) FROM drop_file d WHERE outcome = 'rejected' AND state = 'done'
            AND NOT EXISTS (SELECT 1 FROM drop_file r WHERE r.reprocess_of = d.id)
            """
        var args: [SQLArgument] = []
        if let run { sql += " AND run_id = ?"; args.append(run) }
        return try db.rows(SQL(sql + " ORDER BY received_at, id"), args).map(Self.drop)
    }

    /// Runs that started before `cutoff`, with their archive paths.
    public func runs(before cutoff: String) throws -> [RunRecord] {
        try db.rows("""
            SELECT id, started_at, finished_at, mode, status, accepted, rejected, duplicates, held, archive_path
            FROM run WHERE started_at < ? ORDER BY started_at
            """, [cutoff]).map(Self.run)
    }

    /// Finished drops received before `cutoff`.
    public func drops(before cutoff: String) throws -> [DropRecord] {
        try db.rows("SELECT \(Self.dropColumns) FROM drop_file WHERE received_at < ? AND state = 'done'", [cutoff])
            .map(Self.drop)
    }
}

extension StoreWriter {
    /// Removes intake records (drops, messages, de-duplication keys, runs) and superseded resource
    /// versions older than `cutoff`. Current clinical resources, workflow state, Task history and the
    /// audit trail are kept.
    public func prune(before cutoff: String) throws -> PruneCounts {
        var c = PruneCounts()
        // Old versions are pruned from the view: everything journalled goes into it first.
        while try materialiseRecords(limit: Store.materialiseBatch).taken > 0 {}
        try db.execute("""
            DELETE FROM dedupe_key WHERE drop_id IN (SELECT id FROM drop_file WHERE received_at < ? AND state = 'done')
            """, [cutoff])
        c.dedupeKeys = db.changes
        try db.execute("""
            DELETE FROM message WHERE drop_id IN (SELECT id FROM drop_file WHERE received_at < ? AND state = 'done')
            """, [cutoff])
        c.messages = db.changes
        // Routed files carry patient data: once written, they go with their drop.
        try db.execute("""
            DELETE FROM outbound WHERE written = 1 AND drop_id IN (SELECT id FROM drop_file WHERE received_at < ? AND state = 'done')
            """, [cutoff])
        c.outbound = db.changes
        try db.execute("DELETE FROM drop_file WHERE received_at < ? AND state = 'done'", [cutoff])
        c.drops = db.changes
        // A run goes once none of its drops is left (a drop received after the cutoff keeps its run).
        try db.execute("""
            DELETE FROM run WHERE started_at < ? AND status != 'running'
            AND NOT EXISTS (SELECT 1 FROM drop_file d WHERE d.run_id = run.id)
            """, [cutoff])
        c.runs = db.changes
        try db.execute("DELETE FROM reprocess_request WHERE requested_at < ? AND state != 'pending'", [cutoff])
        c.reprocessRequests = db.changes
        try db.execute("""
            DELETE FROM resource_history WHERE last_updated < ?
            AND version < (SELECT r.version FROM resource r WHERE r.type = resource_history.type AND r.id = resource_history.id)
            """, [cutoff])
        c.resourceVersions = db.changes
        return c
    }
}

extension StoreReader {
    /// The `error/` paths of drops received before `cutoff` (`before`), or at or after it (not `before`):
    /// when a rejected original arrived is Postroom's record, not the file's mtime (which the sender set).
    public func errorPaths(receivedBefore before: Bool, cutoff: String) throws -> [String] {
        try db.values(String.self, """
            SELECT error_path FROM drop_file WHERE error_path IS NOT NULL AND received_at \(before ? "<" : ">=") ?
            """, [cutoff])
    }

    /// Whether any drop still names this acknowledgement file.
    public func ackFileInUse(_ path: String) throws -> Bool {
        try db.value(Bool.self, "SELECT 1 FROM drop_file WHERE ack_file = ? LIMIT 1", [path]) ?? false
    }
}
