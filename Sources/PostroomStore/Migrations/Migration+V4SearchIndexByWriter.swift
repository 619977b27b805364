import GRDB

extension Schema {
    /// `v4-search-index-by-writer`: the index is kept by the writer (parsed JSON in hand), not by
    /// triggers re-parsing it.
    static func v4SearchIndexByWriter(_ db: Database) throws {
        try db.execute(sql: "DROP TRIGGER IF EXISTS search_param_after_insert; DROP TRIGGER IF EXISTS search_param_after_update")
    }
}
