import GRDB

extension Schema {
    /// `v17-lighter-rows`: less written for every drop and message.
    ///
    /// - The duplicate-check keys live in a table without rowid (one B-tree instead of a rowid table and the index of
    ///   its primary key), copied in key order (through the old primary key's index: each insert appends).
    /// - A report is in the index of reports by request only once it has a request (a held report, a lab batch's
    ///   usual result, is not: the index is read only to find the reports of given requests).
    /// - A drop recorded already decided is counted in `drop_tally` by `insertDrop` itself, in the same statement
    ///   order, transaction and savepoint as the row, instead of by the insert trigger: the trigger's program cost
    ///   ~5 µs a drop, a quarter of recording one. `insertDrop` is the only INSERT into `drop_file`; the update and
    ///   delete triggers stay.
    static func v17LighterRows(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE dedupe_key_new (
                key TEXT PRIMARY KEY,
                message_id TEXT NOT NULL,
                drop_id TEXT NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO dedupe_key_new (key, message_id, drop_id) SELECT key, message_id, drop_id FROM dedupe_key ORDER BY key;
            DROP TABLE dedupe_key;
            ALTER TABLE dedupe_key_new RENAME TO dedupe_key;
            DROP INDEX report_request;
            CREATE INDEX report_request ON report(request_id) WHERE request_id IS NOT NULL;
            DROP TRIGGER drop_tally_insert;
            """)
    }
}
