import GRDB

extension Schema {
    /// `v17-lighter-message-rows`: fewer B-trees written for every message. The duplicate-check keys live in a
    /// table without rowid (one B-tree instead of a rowid table and the index of its primary key), and a report is
    /// in the index of reports by request only once it has a request (a held report, the usual result of a lab's
    /// batch, is not: the index is read only to find the reports of given requests).
    static func v17LighterMessageRows(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE dedupe_key_new (
                key TEXT PRIMARY KEY,
                message_id TEXT NOT NULL,
                drop_id TEXT NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO dedupe_key_new (key, message_id, drop_id) SELECT key, message_id, drop_id FROM dedupe_key;
            DROP TABLE dedupe_key;
            ALTER TABLE dedupe_key_new RENAME TO dedupe_key;
            DROP INDEX report_request;
            CREATE INDEX report_request ON report(request_id) WHERE request_id IS NOT NULL;
            """)
    }
}
