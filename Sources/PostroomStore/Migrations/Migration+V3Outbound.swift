import GRDB

extension Schema {
    /// `v3-outbound`: Files Postroom sends besides acknowledgements (Tasks routed to their owner, status changes to
    /// their requester), kept until written.
    static func v3Outbound(_ db: Database) throws {
        try db.execute(sql: """
            -- Files Postroom sends besides acknowledgements (Option H: Tasks routed to their owner,
            -- status changes to their requester), written after the transaction that decided them.
            CREATE TABLE outbound (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                drop_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                name TEXT NOT NULL,
                bytes BLOB NOT NULL,
                written INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX outbound_drop ON outbound(drop_id);
            CREATE INDEX outbound_pending ON outbound(written) WHERE written = 0;
            """)
    }
}
