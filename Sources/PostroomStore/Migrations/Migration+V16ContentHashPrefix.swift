import GRDB

extension Schema {
    /// `v16-content-hash-prefix`: Drops are found by content (the duplicate check of every drop) through an index of
    /// the first 16 hex digits of their SHA-256 (64 bits) instead of all 64: an entry of ~20 bytes instead of ~70, so
    /// the one random index page each new drop dirties (a hash has no order) is shared with 3–4 times as many drops,
    /// and every group's commit writes fewer pages. The query compares the whole hash as well (`appliedDrop`).
    static func v16ContentHashPrefix(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX drop_file_sha256;
            CREATE INDEX drop_file_sha256_prefix ON drop_file(substr(sha256, 1, 16));
            """)
    }
}
