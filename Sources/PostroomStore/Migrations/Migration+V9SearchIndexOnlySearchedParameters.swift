import GRDB

extension Schema {
    /// `v9-search-index-only-searched-parameters`: Drops index rows of parameters nobody searches (identifier, status outside their types).
    static func v9SearchIndexOnlySearchedParameters(_ db: Database) throws {
        // Identifiers are searched on ServiceRequest and Patient only, status on ServiceRequest, Task, DiagnosticReport.
        try db.execute(sql: """
            DELETE FROM search_param WHERE (name = 'identifier' AND type NOT IN ('ServiceRequest', 'Patient'))
                OR (name = 'status' AND type NOT IN ('ServiceRequest', 'Task', 'DiagnosticReport'))
            """)
    }
}
