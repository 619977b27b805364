import GRDB
import PostroomCore

/// The search index on a GRDB connection, for the migrations (which run on GRDB's `Database`).
extension SearchIndex {
    static func install(_ db: Database) throws {
        try install(GRDBExecutor(db))
    }

    static func index(_ db: Database, type: String, id: String, resource: JSONValue, replacing: Bool = true) throws {
        try index(GRDBExecutor(db), type: type, id: id, resource: resource, replacing: replacing)
    }
}
