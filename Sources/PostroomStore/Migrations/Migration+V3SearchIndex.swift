import GRDB

extension Schema {
    /// `v3-search-index`: the search index (`search_param`) of the FHIR query API, built by `SearchIndex.install`.
    static func v3SearchIndex(_ db: Database) throws {
        try SearchIndex.install(db)
    }
}
