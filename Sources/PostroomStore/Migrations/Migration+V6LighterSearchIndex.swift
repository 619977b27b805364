import GRDB

extension Schema {
    /// `v6-lighter-search-index`: A lighter search index: one period index for dates; `system|` searches use the value index's prefix.
    static func v6LighterSearchIndex(_ db: Database) throws {
        // Every indexed row updated four B-trees; dates alone need the period index, and `system|`
        // searches use the (type, name, value, system) index's prefix.
        try db.execute(sql: """
            DROP INDEX IF EXISTS search_param_system;
            DROP INDEX IF EXISTS search_param_date;
            CREATE INDEX IF NOT EXISTS search_param_period ON search_param(type, name, lo) WHERE lo IS NOT NULL;
            """)
    }
}
