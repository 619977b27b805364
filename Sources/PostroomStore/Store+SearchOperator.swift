import Foundation

/// What became of an operator's wish to reprocess a drop.
public struct ReprocessState: Sendable, Equatable {
    /// The newest request for the drop, if any (`pending`, `done`, `refused`).
    public var requestState: String?
    /// When the newest request was made.
    public var requestedAt: String?
    /// The drop that re-ran it, if the pipeline has reprocessed it.
    public var reprocessedAs: String?
}

extension StoreReader {
    /// Drops received since `since` (UTC text), counted per hour (`YYYY-MM-DDThh`) and outcome.
    public func dropsPerHour(since: String) throws -> [(hour: String, outcome: String, count: Int)] {
        var out: [(String, String, Int)] = []
        // One indexed range per outcome (drop_file_outcome is on (outcome, received_at)).
        for outcome in ["accepted", "partial", "duplicate", "rejected"] {
            out += try db.rows("""
                SELECT substr(received_at, 1, 13), COUNT(*) FROM drop_file WHERE outcome = ? AND received_at >= ?
                GROUP BY 1 ORDER BY 1
                """, [outcome, since]).map { ($0[0], outcome, $0[1]) }
        }
        out += try db.rows("""
            SELECT substr(received_at, 1, 13), COUNT(*) FROM drop_file WHERE outcome IS NULL AND state != 'done' AND received_at >= ?
            GROUP BY 1 ORDER BY 1
            """, [since]).map { ($0[0], "in-flight", $0[1]) }
        return out
    }

    /// Whether a reprocess was asked for each drop, and whether the pipeline has run it again.
    public func reprocessStates(dropIDs: [String]) throws -> [String: ReprocessState] {
        var out: [String: ReprocessState] = [:]
        let request: SQL = .cached("""
            SELECT state, requested_at FROM reprocess_request WHERE drop_id = ? ORDER BY seq DESC LIMIT 1
            """)
        let again: SQL = .cached("SELECT id FROM drop_file WHERE reprocess_of = ? ORDER BY received_at DESC LIMIT 1")
        let hasQueue = try db.tableExists("reprocess_request")
        for id in dropIDs {
            var s = ReprocessState()
            if hasQueue, let row = try db.row(request, [id]) {
                s.requestState = row[0]
                s.requestedAt = row[1]
            }
            s.reprocessedAs = try db.value(String.self, again, [id])
            if s != ReprocessState() { out[id] = s }
        }
        return out
    }

    /// Drop counts by channel and outcome of one run.
    public func dropCounts(runID: String) throws -> [(channel: String, outcome: String, count: Int)] {
        try db.rows("""
            SELECT channel, COALESCE(outcome, state), COUNT(*) FROM drop_file WHERE run_id = ?
            GROUP BY channel, COALESCE(outcome, state) ORDER BY 1, 2
            """, [runID]).map { ($0[0], $0[1], $0[2]) }
    }

    /// Drop counts by outcome per run, for the given runs.
    public func dropOutcomes(runIDs: [String]) throws -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        for id in runIDs {
            for row in try dropCounts(runID: id) { out[id, default: [:]][row.outcome, default: 0] += row.count }
        }
        return out
    }

    /// The newest finished run in which nothing was rejected (no rejected or partial drop).
    public func lastCleanRun() throws -> RunRecord? {
        try db.row("""
            SELECT id, started_at, finished_at, mode, status, accepted, rejected, duplicates, held, archive_path FROM run r
            WHERE finished_at IS NOT NULL AND rejected = 0
              AND NOT EXISTS (SELECT 1 FROM drop_file d WHERE d.run_id = r.id AND d.outcome = 'partial')
            ORDER BY finished_at DESC LIMIT 1
            """).map(Self.run)
    }
}
