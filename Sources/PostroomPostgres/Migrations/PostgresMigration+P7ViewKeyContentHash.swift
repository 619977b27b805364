extension PostgresSchema {
    /// `p7-view-key-content-hash`: the column SQLite's v18 adds to the view keys. PostgreSQL nodes write none
    /// (their keys go in as JSON, `ViewJournal.insertKeysAsJSON`): a stored version's JSON is compared, as before.
    static let p7ViewKeyContentHash: [String] = [
        "ALTER TABLE view_key ADD COLUMN content_hash BIGINT",
    ]
}
