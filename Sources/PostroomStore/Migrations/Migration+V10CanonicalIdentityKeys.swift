import GRDB

extension Schema {
    /// `v10-canonical-identity-keys`: Canonical identity keys with the literal kept beside them, the settings table, and the indexes
    /// expected files, `postroom show`, reprocess and keyset paging read by.
    static func v10CanonicalIdentityKeys(_ db: Database) throws {
        // Keys are indexed in their canonical form (IdentityNamespaces); the literal key as the
        // message wrote it is kept beside it so that keys can be re-derived when the namespaces change.
        try db.execute(sql: """
            ALTER TABLE request_key ADD COLUMN literal TEXT;
            ALTER TABLE task_key ADD COLUMN literal TEXT;
            CREATE TABLE setting (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
            -- Expected-file schedules count a channel's drops in a time window.
            CREATE INDEX drop_file_channel_received ON drop_file(channel, received_at);
            -- What a message stored and moved (postroom show, the drop page) without scanning whole tables.
            CREATE INDEX request_message ON request(message_id);
            CREATE INDEX report_message ON report(message_id);
            CREATE INDEX task_history_message ON task_history(message_id);
            -- A reprocess re-runs only what failed unless the operator asked for the whole drop.
            ALTER TABLE drop_file ADD COLUMN reprocess_whole INTEGER NOT NULL DEFAULT 0;
            """)
        // Keyset paging reads one value's matches in id order straight from the index.
        if try db.tableExists("search_param") {
            try db.execute(sql: """
                DROP INDEX IF EXISTS search_param_value;
                CREATE INDEX search_param_value ON search_param(type, name, value, system, id);
                """)
        }
    }
}
