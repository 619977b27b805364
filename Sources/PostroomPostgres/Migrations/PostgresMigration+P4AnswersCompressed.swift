extension PostgresSchema {
    /// `p4-answers-compressed`: no statement. From this version on, `drop_file.ack_bytes` may hold a
    /// Zstandard frame (`StoredAcknowledgement` in PostroomStore) that older builds would write out as the
    /// answer itself; recorded so that an older node refuses the database (`check`: "migrated by a newer
    /// Postroom") rather than answer with those bytes during a rolling upgrade.
    static let p4AnswersCompressed: [String] = []
}
