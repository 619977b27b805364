import PostroomCore

/// Bounded reads for the operator's pages: a rejected batch of 200,000 messages is shown a page at a
/// time, with counts, never with its raw bytes.
extension StoreReader {
    /// A page of a drop's messages in order (after message index `after`), without their raw bytes.
    public func messagePage(dropID: String, after: Int? = nil, limit: Int) throws -> [MessageRecord] {
        try db.rows(.cached("""
            SELECT id, drop_id, idx, type, format, disposition, duplicate_of, issues_json, NULL, at FROM message
            WHERE drop_id = ? AND idx > ? ORDER BY idx LIMIT ?
            """), [dropID, after ?? -1, limit]).map(Self.message)
    }

    /// How many of a drop's messages ended each way.
    public func messageCounts(dropID: String) throws -> [(disposition: String, count: Int)] {
        try db.rows(.cached("SELECT disposition, COUNT(*) FROM message WHERE drop_id = ? GROUP BY disposition ORDER BY disposition"), [dropID]).map { ($0[0], $0[1]) }
    }

    /// The issues of the first `limit` rejected messages of a drop (no raw bytes read).
    public func rejectedIssues(dropID: String, limit: Int) throws -> [Issue] {
        try db.values(String.self, .cached("""
            SELECT issues_json FROM message WHERE drop_id = ? AND disposition = 'rejected' ORDER BY idx LIMIT ?
            """), [dropID, limit]).flatMap { Issue.decode($0) }
    }

    /// Rejected and partly rejected drops, newest first, a page at a time: those received before
    /// `before` (`received_at|id` of the last drop of the previous page).
    public func failedDrops(before: (receivedAt: String, id: String)? = nil, limit: Int) throws -> [DropRecord] {
        var sql = "SELECT \(Self.dropColumns) FROM drop_file WHERE outcome IN ('rejected', 'partial')"
        var args: [SQLArgument] = []
        if let before {
            sql += " AND (received_at < ? OR (received_at = ? AND id < ?))"
            args += [before.receivedAt, before.receivedAt, before.id]
        }
        sql += " ORDER BY received_at DESC, id DESC LIMIT ?"
        return try db.rows(SQL(sql), args + [limit]).map(Self.drop)
    }

    /// How many drops are rejected or partly rejected.
    public func failedDropCount() throws -> Int {
        try db.value(Int.self, "SELECT COUNT(*) FROM drop_file WHERE outcome IN ('rejected', 'partial')") ?? 0
    }

    /// Reports in a state, oldest first, at most `limit`.
    public func reports(state: ReportState, limit: Int) throws -> [ReportRecord] {
        try db.rows(.cached("SELECT \(Self.reportColumns) FROM report WHERE state = ? ORDER BY received_at, id LIMIT ?"), [state.rawValue, limit]).map(Self.report)
    }

    /// Requests, reports and Task transitions of a set of messages (a page of a drop), one query each.
    public func requests(messageIDs: [String]) throws -> [RequestRecord] {
        try db.rows("""
            SELECT id, channel, status, is_referral, patient_keys, created_at, updated_at, message_id FROM request
            WHERE message_id IN (\(marks(messageIDs.count))) ORDER BY created_at, id
            """, messageIDs).map {
            RequestRecord(id: $0[0], channel: $0[1], status: $0[2], isReferral: $0[3], patientKeys: Set(decodeKeys($0[4])),
                          createdAt: $0[5], updatedAt: $0[6], messageID: $0[7])
        }
    }

    public func reports(messageIDs: [String]) throws -> [ReportRecord] {
        try db.rows("SELECT \(Self.reportColumns) FROM report WHERE message_id IN (\(marks(messageIDs.count))) ORDER BY received_at, id", messageIDs).map(Self.report)
    }

    public func taskHistory(messageIDs: [String]) throws -> [TaskTransition] {
        try db.rows("""
            SELECT task_id, from_status, to_status, at, message_id, reason FROM task_history WHERE message_id IN (\(marks(messageIDs.count))) ORDER BY seq
            """, messageIDs).map {
            TaskTransition(taskID: $0[0], from: $0[1], to: $0[2], at: $0[3], messageID: $0[4], reason: $0[5])
        }
    }

    /// The message indexes of a file that were applied (accepted or held) by any of these drops — the
    /// first receipt and every reprocess of it: what a reprocess must not apply again.
    public func appliedMessages(dropIDs: [String]) throws -> [Int: String] {
        guard !dropIDs.isEmpty else { return [:] }
        var out: [Int: String] = [:]
        for row in try db.rows("""
            SELECT idx, id FROM message WHERE drop_id IN (\(marks(dropIDs.count))) AND disposition IN ('accepted', 'held') ORDER BY at, id
            """, dropIDs) where out[row[0]] == nil {
            out[row[0]] = row[1]
        }
        return out
    }
}
