import Foundation
import PostroomConfig
import PostroomPostgres
import PostroomPostgresTestSupport
import PostroomStore

/// Which store the end-to-end suite runs on: the SQLite file (the default) or, with
/// `POSTROOM_E2E_STORE=postgres` (`make test` runs the suite a second time so), PostgreSQL: each
/// `Workspace` then gets its own database on the process's throwaway server, named in its
/// `pipeline.json` as `store`, and `Workspace.store()` opens that database.
enum EndToEndStore {
    static let postgres = ProcessInfo.processInfo.environment["POSTROOM_E2E_STORE"] == "postgres"

    /// A new database for one workspace: its `store` entry and where it is.
    static func newDatabase() throws -> (entry: String, location: PostgresLocation) {
        let server = try ThrowawayPostgres.shared()
        let database = try server.createDatabase("e2e")
        let entry = #"{ "kind": "postgres", "url": "postgres://\#(server.user)@/\#(database)?host=\#(server.socketDirectory)&port=\#(server.port)" }"#
        let location = PostgresLocation(endpoint: .socket(directory: server.socketDirectory, port: server.port), user: server.user,
                                        database: database)
        return (entry, location)
    }

    /// A configuration's text with `store` as its first key (unchanged when it is not a JSON object).
    static func withStore(_ text: String, _ entry: String) -> String {
        guard text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{"), let brace = text.range(of: "{") else { return text }
        return text.replacingOccurrences(of: "{", with: "{\n  \"store\": \(entry),", options: [], range: brace)
    }
}
