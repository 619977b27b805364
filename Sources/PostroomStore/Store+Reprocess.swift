import Foundation

/// An operator's request to reprocess a drop, waiting for the pipeline.
public struct ReprocessRequest: Sendable, Equatable {
    public var seq: Int64
    public var dropID: String
    public var requestedAt: String
    public var actor: String
    public var state: String
    public var result: String?
}

extension StoreWriter {
    /// Queues a reprocess of a drop for the next run, and records it in the audit trail.
    /// This is the only write `postroom serve` makes: it never touches clinical state.
    @discardableResult
    public func requestReprocess(dropID: String, actor: String, at: String) throws -> Int64 {
        try db.execute("INSERT INTO reprocess_request (drop_id, requested_at, actor, state) VALUES (?, ?, ?, 'pending')", [dropID, at, actor])
        let seq = try db.lastInsertedID()
        try audit(at: at, actor: actor, action: "reprocess-requested", target: dropID, detail: "request \(seq)")
        return seq
    }

    /// Marks a queued reprocess request as handled.
    public func finishReprocessRequest(seq: Int64, state: String, result: String?) throws {
        try db.execute("UPDATE reprocess_request SET state = ?, result = ? WHERE seq = ?", [state, result, seq])
    }

    /// Refuses a queued request still pending (one another node took meanwhile is left as that node made it).
    public func refusePendingReprocessRequest(seq: Int64, result: String) throws {
        try db.execute("UPDATE reprocess_request SET state = 'refused', result = ? WHERE seq = ? AND state = 'pending'", [result, seq])
    }

    /// Takes a queued request in the transaction that records its reprocess (marks it `done`); false
    /// when it is no longer pending — another node took it first (with several nodes on PostgreSQL, two
    /// can read the same pending request; only one of them changes its row).
    public func takeReprocessRequest(seq: Int64) throws -> Bool {
        try db.execute("UPDATE reprocess_request SET state = 'done', result = NULL WHERE seq = ? AND state = 'pending'", [seq])
        return db.changes == 1
    }
}

extension StoreReader {
    /// Reprocess requests not yet handled, oldest first.
    public func pendingReprocessRequests() throws -> [ReprocessRequest] {
        try db.rows("""
            SELECT seq, drop_id, requested_at, actor, state, result FROM reprocess_request WHERE state = 'pending' ORDER BY seq
            """).map { ReprocessRequest(seq: $0[0], dropID: $0[1], requestedAt: $0[2], actor: $0[3], state: $0[4], result: $0[5]) }
    }

    /// The audit trail, newest first.
    public func auditTrail(limit: Int = 200) throws -> [(at: String, actor: String, action: String, target: String, detail: String?)] {
        try db.rows("SELECT at, actor, action, target, detail FROM audit ORDER BY seq DESC LIMIT ?", [limit])
            .map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
    }
}
