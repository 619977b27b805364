import GRDB

extension Schema {
    /// `v18-view-key-content-hash`: a version stored `unlessUnchanged` (a message's Patient) keeps a hash of
    /// what it says apart from `meta` (`ContentHash`) with its view key, so that a patient named again with other
    /// details is known changed without its journalled record being read, decompressed and its JSON compared
    /// (~25 µs each on a lab's batch). Other keys, and those written before, have none: their JSON is compared.
    static func v18ViewKeyContentHash(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE view_key ADD COLUMN content_hash INTEGER")
    }
}
