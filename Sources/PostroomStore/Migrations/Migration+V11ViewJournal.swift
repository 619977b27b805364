import GRDB

extension Schema {
    /// `v11-view-journal`: the view journal (`ViewJournal`): resource versions written on the critical
    /// path wait here, one deflated record per message with one key per version, until they are
    /// materialised into `resource`, `resource_history` and `search_param`.
    static func v11ViewJournal(_ db: Database) throws {
        try db.execute(sql: ViewJournal.createTables)
    }
}
