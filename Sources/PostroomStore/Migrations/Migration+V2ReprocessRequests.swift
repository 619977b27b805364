import GRDB

extension Schema {
    /// `v2-reprocess-requests`: Reprocess asked for from outside the pipeline (the web page): a queue the next run takes.
    static func v2ReprocessRequests(_ db: Database) throws {
        try db.execute(sql: """
            -- Reprocess asked for by an operator from outside the pipeline (e.g. the web page);
            -- the next run (or watch poll) takes them. state: pending → done | refused.
            CREATE TABLE reprocess_request (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                drop_id TEXT NOT NULL,
                requested_at TEXT NOT NULL,
                actor TEXT NOT NULL,
                state TEXT NOT NULL,
                result TEXT
            );
            CREATE INDEX reprocess_request_pending ON reprocess_request(state) WHERE state = 'pending';
            """)
    }
}
