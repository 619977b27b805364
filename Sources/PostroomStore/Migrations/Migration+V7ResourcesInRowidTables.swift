import GRDB

extension Schema {
    /// `v7-resources-in-rowid-tables`: Resources move to rowid tables with a unique (type, id) index, so inserts append instead of
    /// rewriting pages all over the file.
    static func v7ResourcesInRowidTables(_ db: Database) throws {
        // Resource JSON is large (often over a tenth of a page): in a WITHOUT ROWID table every
        // row sat in the key's B-tree, so inserts in random id order rewrote pages all over the
        // file. Rows now append to a rowid table with a small unique index on (type, id).
        try db.execute(sql: """
            CREATE TABLE resource_new (
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                version INTEGER NOT NULL,
                last_updated TEXT NOT NULL,
                json BLOB NOT NULL,
                message_id TEXT
            );
            INSERT INTO resource_new (type, id, version, last_updated, json, message_id)
                SELECT type, id, version, last_updated, json, message_id FROM resource;
            DROP TABLE resource;
            ALTER TABLE resource_new RENAME TO resource;
            CREATE UNIQUE INDEX resource_key ON resource(type, id);
            CREATE TABLE resource_history_new (
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                version INTEGER NOT NULL,
                last_updated TEXT NOT NULL,
                json BLOB NOT NULL,
                message_id TEXT
            );
            INSERT INTO resource_history_new (type, id, version, last_updated, json, message_id)
                SELECT type, id, version, last_updated, json, message_id FROM resource_history;
            DROP TABLE resource_history;
            ALTER TABLE resource_history_new RENAME TO resource_history;
            CREATE UNIQUE INDEX resource_history_key ON resource_history(type, id, version);
            """)
    }
}
