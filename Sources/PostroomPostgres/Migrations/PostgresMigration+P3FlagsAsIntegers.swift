extension PostgresSchema {
    /// `p3-flags-as-integers`: the 0/1 flags p1 made BOOLEAN become INTEGER 0/1, as SQLite stores them, so
    /// that the store's one SQL text serves both databases (`written = 1`, a Bool bound as an integer;
    /// docs/STORE-SEAM.md). The partial index on unwritten outbound files is made again on the integer.
    static let p3FlagsAsIntegers: [String] = [
        "DROP INDEX outbound_pending",
        """
        ALTER TABLE drop_file
            ALTER COLUMN ack_written DROP DEFAULT,
            ALTER COLUMN ack_written TYPE INTEGER USING ack_written::int,
            ALTER COLUMN ack_written SET DEFAULT 0,
            ALTER COLUMN reprocess_whole DROP DEFAULT,
            ALTER COLUMN reprocess_whole TYPE INTEGER USING reprocess_whole::int,
            ALTER COLUMN reprocess_whole SET DEFAULT 0
        """,
        "ALTER TABLE request ALTER COLUMN is_referral TYPE INTEGER USING is_referral::int",
        """
        ALTER TABLE outbound
            ALTER COLUMN written DROP DEFAULT,
            ALTER COLUMN written TYPE INTEGER USING written::int,
            ALTER COLUMN written SET DEFAULT 0
        """,
        "CREATE INDEX outbound_pending ON outbound(written) WHERE written = 0",
    ]
}
