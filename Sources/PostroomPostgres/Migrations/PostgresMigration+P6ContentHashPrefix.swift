extension PostgresSchema {
    /// `p6-content-hash-prefix`: drops found by content through an index of the first 16 hex digits of their
    /// SHA-256, as SQLite's v16 has them: entries of ~20 bytes instead of ~70, fewer random pages dirtied per drop.
    /// The query compares the whole hash too (`StoreReader.appliedDrop`).
    static let p6ContentHashPrefix: [String] = [
        "DROP INDEX drop_file_sha256",
        "CREATE INDEX drop_file_sha256_prefix ON drop_file(substr(sha256, 1, 16))",
    ]
}
