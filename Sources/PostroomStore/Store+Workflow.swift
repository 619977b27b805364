import Foundation
import PostroomCore

func encodeKeys<S: Sequence<String>>(_ keys: S) -> String {
    JSONWriter().string(.array(keys.sorted().map { .string($0) }))
}

func decodeKeys(_ text: String?) -> [String] {
    guard let text, let v = try? JSONParser().parse(text) else { return [] }
    return v.array?.compactMap(\.string) ?? []
}

extension StoreWriter {
    /// Records a new request and its keys. Keys already owned by another request are left with it.
    public func insertRequest(_ r: RequestRecord, keys: [String]) throws {
        try db.execute(.cached("""
            INSERT INTO request (id, channel, status, is_referral, patient_keys, created_at, updated_at, message_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """), [r.id, r.channel, r.status, r.isReferral, encodeKeys(r.patientKeys), r.createdAt, r.updatedAt, r.messageID])
        try addRequestKeys(keys, requestID: r.id)
    }

    /// Adds keys (e.g. a filler number learnt from an acceptance) to a request: each literal key
    /// is indexed under its canonical form, the literal kept beside it.
    public func addRequestKeys(_ keys: [String], requestID: String) throws {
        try insertKeys(keys, into: "request_key", owner: "request_id", id: requestID)
    }

    /// Indexes each literal key under its canonical form, the literal kept beside it when they differ.
    func insertKeys(_ keys: [String], into table: String, owner: String, id: String) throws {
        let stmt: SQL = .cached("INSERT OR IGNORE INTO \(table) (key, \(owner), literal) VALUES (?, ?, ?)")
        for k in keys {
            let c = identity.canonical(k)
            try db.execute(stmt, [c, id, c == k ? nil : k])
        }
    }

    /// Updates a request's status.
    public func updateRequest(id: String, status: String, at: String) throws {
        try db.execute(.cached("UPDATE request SET status = ?, updated_at = ? WHERE id = ?"), [status, at, id])
    }

    /// Records a new report or document.
    public func insertReport(_ r: ReportRecord) throws {
        try db.execute(.cached("""
            INSERT INTO report (id, kind, identity, status, version, state, request_id, patient_keys, request_keys, replaces,
                superseded_by, received_at, updated_at, message_id, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """), [r.id, r.kind, r.identity, r.status, r.version, r.state.rawValue, r.requestID, encodeKeys(r.patientKeys),
                             encodeKeys(r.requestKeys), r.replaces, r.supersededBy, r.receivedAt, r.updatedAt, r.messageID, r.note])
    }

    /// Saves changes to a stored report (status, version, state, link, note).
    public func updateReport(_ r: ReportRecord) throws {
        try db.execute(.cached("""
            UPDATE report SET status = ?, version = ?, state = ?, request_id = ?, patient_keys = ?, request_keys = ?,
                superseded_by = ?, updated_at = ?, message_id = ?, note = ? WHERE id = ?
            """), [r.status, r.version, r.state.rawValue, r.requestID, encodeKeys(r.patientKeys), encodeKeys(r.requestKeys),
                             r.supersededBy, r.updatedAt, r.messageID, r.note, r.id])
    }

    /// Indexes a held report under the (canonical forms of the) keys it waits on.
    public func addHeldKeys(_ keys: [String], reportID: String) throws {
        try Self.heldKeyInsert.execute(identity.canonical(keys), on: db) { k, row in
            row.append(k)
            row.append(reportID)
        }
    }

    static let heldKeyInsert = MultiRowSQL("INSERT OR IGNORE INTO held_key (key, report_id) VALUES ", width: 2)

    /// Removes a report from the held index.
    public func removeHeldKeys(reportID: String) throws {
        try db.execute(.cached("DELETE FROM held_key WHERE report_id = ?"), [reportID])
    }

    /// Records a link from a report to the request it answers.
    public func insertLink(reportID: String, requestID: String, via: String, at: String, messageID: String) throws {
        try db.execute(.cached("INSERT OR IGNORE INTO link (report_id, request_id, via_key, at, message_id) VALUES (?, ?, ?, ?, ?)"), [reportID, requestID, via, at, messageID])
    }

    /// Records a new Task and its keys.
    public func insertTask(_ t: TaskRecord, keys: [String]) throws {
        try db.execute(.cached("""
            INSERT INTO task (id, status, focus_request_id, part_of, owner, requester, channel, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """), [t.id, t.status.rawValue, t.focusRequestID, t.partOf, t.owner, t.requester, t.channel, t.createdAt, t.updatedAt])
        try addTaskKeys(keys, taskID: t.id)
    }

    /// Adds keys (e.g. the business identifier a filler quotes) to a Task, canonical with the literal beside.
    public func addTaskKeys(_ keys: [String], taskID: String) throws {
        try insertKeys(keys, into: "task_key", owner: "task_id", id: taskID)
    }

    /// Saves a Task's new status and routing fields.
    public func updateTask(_ t: TaskRecord) throws {
        try db.execute(.cached("""
            UPDATE task SET status = ?, focus_request_id = ?, part_of = ?, owner = ?, requester = ?, updated_at = ? WHERE id = ?
            """), [t.status.rawValue, t.focusRequestID, t.partOf, t.owner, t.requester, t.updatedAt, t.id])
    }

    /// Appends one line to a Task's history.
    public func appendTaskHistory(_ h: TaskTransition) throws {
        let stmt: SQL = .cached("""
            INSERT INTO task_history (task_id, from_status, to_status, at, message_id, reason) VALUES (?, ?, ?, ?, ?, ?)
            """)
        try db.execute(stmt, [h.taskID, h.from, h.to, h.at, h.messageID, h.reason])
    }
}

extension StoreReader {
    /// The requests owning any of `keys` (in any of their equivalent spellings), with the canonical
    /// key that matched (one row per request).
    public func requestMatches(keys: [String]) throws -> [(key: String, request: RequestRecord)] {
        var out: [(String, RequestRecord)] = []
        var seen: Set<String> = []
        let stmt: SQL = .cached("SELECT request_id FROM request_key WHERE key = ?")
        for k in identity.canonical(keys) {
            guard let id = try db.value(String.self, stmt, [k]), !seen.contains(id) else { continue }
            seen.insert(id)
            if let r = try request(id: id) { out.append((k, r)) }
        }
        return out
    }

    /// One request by id.
    public func request(id: String) throws -> RequestRecord? {
        try db.row(.cached("""
            SELECT id, channel, status, is_referral, patient_keys, created_at, updated_at, message_id FROM request WHERE id = ?
            """), [id]).map {
            RequestRecord(id: $0[0], channel: $0[1], status: $0[2], isReferral: $0[3], patientKeys: Set(decodeKeys($0[4])),
                          createdAt: $0[5], updatedAt: $0[6], messageID: $0[7])
        }
    }

    /// The keys of a request.
    public func requestKeys(requestID: String) throws -> [String] {
        try db.values(String.self, .cached("SELECT key FROM request_key WHERE request_id = ? ORDER BY key"), [requestID])
    }

    /// Requests, newest first; `openOnly` keeps those whose Task (if any) is not finished and whose status is active-like.
    public func requests(openOnly: Bool, patientKey: String? = nil, limit: Int = 1000) throws -> [RequestRecord] {
        var sql = "SELECT id, channel, status, is_referral, patient_keys, created_at, updated_at, message_id FROM request r WHERE 1"
        var args: [SQLArgument] = []
        if openOnly {
            sql += """
                 AND r.status IN ('active', 'draft', 'on-hold') AND NOT EXISTS (SELECT 1 FROM task t WHERE t.focus_request_id = r.id
                 AND t.status IN ('completed', 'failed', 'cancelled', 'rejected', 'entered-in-error'))
                """
        }
        if let patientKey {
            // The key as the JSON array spells it, its LIKE wildcards escaped: `%` or `_` in a key match only themselves.
            sql += " AND r.patient_keys LIKE ? ESCAPE '\\'"
            args.append("%" + Self.likeEscaped(JSONWriter().string(.string(patientKey))) + "%")
        }
        sql += " ORDER BY created_at DESC LIMIT ?"
        args.append(limit)
        let requests = try db.rows(SQL(sql), args).map {
            RequestRecord(id: $0[0], channel: $0[1], status: $0[2], isReferral: $0[3], patientKeys: Set(decodeKeys($0[4])),
                          createdAt: $0[5], updatedAt: $0[6], messageID: $0[7])
        }
        guard let patientKey else { return requests }
        return requests.filter { $0.patientKeys.contains(patientKey) }
    }

    /// `s` with `\`, `%` and `_` escaped for a `LIKE … ESCAPE '\'` pattern.
    static func likeEscaped(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "\\" || c == "%" || c == "_" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    static let reportColumns = """
        id, kind, identity, status, version, state, request_id, patient_keys, request_keys, replaces, superseded_by,
        received_at, updated_at, message_id, note
        """

    static func report(_ r: SQLRow) -> ReportRecord {
        ReportRecord(id: r[0], kind: r[1], identity: r[2], status: r[3], version: r[4], state: ReportState(rawValue: r[5]) ?? .held, requestID: r[6],
                     patientKeys: Set(decodeKeys(r[7])), requestKeys: decodeKeys(r[8]), replaces: r[9], supersededBy: r[10],
                     receivedAt: r[11], updatedAt: r[12], messageID: r[13], note: r[14])
    }

    /// The report with this identity (all versions share it).
    public func report(identity: String) throws -> ReportRecord? {
        try db.row(.cached("SELECT \(Self.reportColumns) FROM report WHERE identity = ?"), [identity]).map(Self.report)
    }

    /// One report by id.
    public func report(id: String) throws -> ReportRecord? {
        try db.row(.cached("SELECT \(Self.reportColumns) FROM report WHERE id = ?"), [id]).map(Self.report)
    }

    /// Held reports waiting on any of `keys`.
    public func heldReports(keys: [String]) throws -> [ReportRecord] {
        var ids: [String] = []
        let stmt: SQL = .cached("SELECT report_id FROM held_key WHERE key = ?")
        for k in identity.canonical(keys) {
            for id in try db.values(String.self, stmt, [k]) where !ids.contains(id) { ids.append(id) }
        }
        return try ids.compactMap { try report(id: $0) }
    }

    /// Reports in a state (e.g. `held`), oldest first.
    public func reports(state: ReportState? = nil, requestID: String? = nil) throws -> [ReportRecord] {
        var sql = "SELECT \(Self.reportColumns) FROM report WHERE 1"
        var args: [SQLArgument] = []
        if let state { sql += " AND state = ?"; args.append(state.rawValue) }
        if let requestID { sql += " AND request_id = ?"; args.append(requestID) }
        sql += " ORDER BY received_at, id"
        return try db.rows(SQL(sql), args).map(Self.report)
    }

    static let taskColumns = "id, status, focus_request_id, part_of, owner, requester, channel, created_at, updated_at"

    static func task(_ r: SQLRow) -> TaskRecord {
        TaskRecord(id: r[0], status: TaskStatus(rawValue: r[1]) ?? .draft, focusRequestID: r[2], partOf: r[3], owner: r[4],
                   requester: r[5], channel: r[6], createdAt: r[7], updatedAt: r[8])
    }

    /// One Task by id.
    public func task(id: String) throws -> TaskRecord? {
        try db.row(.cached("SELECT \(Self.taskColumns) FROM task WHERE id = ?"), [id]).map(Self.task)
    }

    /// The Tasks whose focus is this request (oldest first).
    public func tasks(focusRequestID: String) throws -> [TaskRecord] {
        try db.rows(.cached("SELECT \(Self.taskColumns) FROM task WHERE focus_request_id = ? ORDER BY created_at, id"), [focusRequestID]).map(Self.task)
    }

    /// Sub-tasks of a Task.
    public func subtasks(of id: String) throws -> [TaskRecord] {
        try db.rows(.cached("SELECT \(Self.taskColumns) FROM task WHERE part_of = ? ORDER BY created_at, id"), [id])
            .map(Self.task)
    }

    /// The Task owning any of `keys`.
    public func task(keys: [String]) throws -> TaskRecord? {
        let stmt: SQL = .cached("SELECT task_id FROM task_key WHERE key = ?")
        for k in identity.canonical(keys) {
            if let id = try db.value(String.self, stmt, [k]) { return try task(id: id) }
        }
        return nil
    }

    /// Tasks, optionally by status.
    public func tasks(status: String? = nil, limit: Int = 1000) throws -> [TaskRecord] {
        if let status {
            return try db.rows(.cached("SELECT \(Self.taskColumns) FROM task WHERE status = ? ORDER BY updated_at DESC LIMIT ?"), [status, limit]).map(Self.task)
        }
        return try db.rows(.cached("SELECT \(Self.taskColumns) FROM task ORDER BY updated_at DESC LIMIT ?"), [limit])
            .map(Self.task)
    }

    /// A Task's history, oldest first.
    public func taskHistory(taskID: String) throws -> [TaskTransition] {
        try db.rows(.cached("""
            SELECT task_id, from_status, to_status, at, message_id, reason FROM task_history WHERE task_id = ? ORDER BY seq
            """), [taskID]).map { TaskTransition(taskID: $0[0], from: $0[1], to: $0[2], at: $0[3], messageID: $0[4], reason: $0[5]) }
    }

    /// Task counts by status.
    public func taskCounts() throws -> [(status: String, count: Int)] {
        try db.rows(.cached("SELECT status, COUNT(*) FROM task GROUP BY status ORDER BY status")).map { ($0[0], $0[1]) }
    }

    /// Links of a report or of a request.
    public func links(reportID: String? = nil, requestID: String? = nil) throws -> [(reportID: String, requestID: String, via: String, at: String)] {
        var sql = "SELECT report_id, request_id, via_key, at FROM link WHERE 1"
        var args: [SQLArgument] = []
        if let reportID { sql += " AND report_id = ?"; args.append(reportID) }
        if let requestID { sql += " AND request_id = ?"; args.append(requestID) }
        return try db.rows(SQL(sql + " ORDER BY at"), args).map { ($0[0], $0[1], $0[2], $0[3]) }
    }

    /// Reports and requests that came from a message.
    public func reports(messageID: String) throws -> [ReportRecord] {
        try db.rows(.cached("SELECT \(Self.reportColumns) FROM report WHERE message_id = ?"), [messageID]).map(Self.report)
    }

    public func requests(messageID: String) throws -> [RequestRecord] {
        try db.values(String.self, .cached("SELECT id FROM request WHERE message_id = ?"), [messageID]).compactMap { try request(id: $0) }
    }

    /// Task transitions caused by a message.
    public func taskHistory(messageID: String) throws -> [TaskTransition] {
        try db.rows(.cached("""
            SELECT task_id, from_status, to_status, at, message_id, reason FROM task_history WHERE message_id = ? ORDER BY seq
            """), [messageID]).map { TaskTransition(taskID: $0[0], from: $0[1], to: $0[2], at: $0[3], messageID: $0[4], reason: $0[5]) }
    }

    /// Count of linked / held reports.
    public func reportCounts() throws -> [(state: String, count: Int)] {
        try db.rows(.cached("SELECT state, COUNT(*) FROM report GROUP BY state ORDER BY state")).map { ($0[0], $0[1]) }
    }
}
