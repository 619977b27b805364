import GRDB

extension Schema {
    /// `v5-history-without-current`: The current version of a resource lives in `resource` only; the history keeps the versions it replaced.
    static func v5HistoryWithoutCurrent(_ db: Database) throws {
        // The current version is kept in `resource` only; the history holds the versions it replaced.
        try db.execute(sql: """
            DELETE FROM resource_history WHERE version = (SELECT r.version FROM resource r
                WHERE r.type = resource_history.type AND r.id = resource_history.id)
            """)
    }
}
