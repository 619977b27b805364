import GRDB

extension Schema {
    /// `v8-ack-files`: Large answers are kept as files in `<data>/acks/`, named in `drop_file.ack_file`.
    static func v8AckFiles(_ db: Database) throws {
        // Large answers (a batch of 200,000 ACKs) are kept as files in `<data>/acks/`, not as blobs.
        try db.execute(sql: "ALTER TABLE drop_file ADD COLUMN ack_file TEXT")
    }
}
