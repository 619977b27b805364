import Foundation
import PostroomConfig
import PostroomPostgres
import PostroomPostgresTestSupport
import Testing

/// `"store": { "kind": "postgres" }` (one node): the real executable runs on a throwaway PostgreSQL
/// server and writes no SQLite file; a server it cannot reach is a clear failure that takes nothing from
/// the inboxes and never prints the password.
@Suite struct StoreKindTests {
    /// Puts `store` first in the workspace's configuration.
    func setStore(_ ws: Workspace, _ store: String) throws {
        // The suite's own `store` (POSTROOM_E2E_STORE=postgres) gives way to this test's.
        let text = try String(contentsOfFile: ws.config, encoding: .utf8)
            .replacingOccurrences(of: #"\n  "store": \{[^\n]*\},"#, with: "", options: .regularExpression)
        try text.replacingOccurrences(of: "{", with: "{\n  \"store\": " + store + ",", options: [], range: text.range(of: "{"))
            .write(toFile: ws.config, atomically: true, encoding: .utf8)
    }

    @Test(.enabled(if: ThrowawayPostgres.isAvailable, "needs a throwaway PostgreSQL server: \(ThrowawayPostgres.unavailable ?? "")"))
    func theSampleRunsOnPostgresAndNothingIsWrittenToSQLite() throws {
        let pg = try ThrowawayPostgres.shared()
        let database = try pg.createDatabase("e2e")
        let ws = try Workspace()
        // Over TCP with the password from the environment (scram-sha-256), as a deployment would.
        try setStore(ws, #"{ "kind": "postgres", "url": "postgres://\#(pg.user)@127.0.0.1:\#(pg.port)/\#(database)?sslmode=disable", "passwordEnv": "POSTROOM_E2E_PG" }"#)
        try ws.dropSample()
        let env = ["POSTROOM_E2E_PG": pg.password]
        let run = try ws.postroom(["run", "--once", "--config", ws.config], environment: env)
        // 65: the sample holds rejected drops (as on SQLite, below).
        #expect(run.code == 65, "exit \(run.code): \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.data + "/postroom.sqlite"), "no SQLite database was made")
        #expect(ws.files(in: "inbox/lab-results").filter { !$0.hasPrefix(".") }.isEmpty, "the inbox was taken")
        #expect(!run.stderr.contains(pg.password) && !run.stdout.contains(pg.password))

        // What the run decided is in PostgreSQL's tables.
        let s = try PostgresSession(PostgresLocation(endpoint: .socket(directory: pg.socketDirectory, port: pg.port), user: pg.user,
                                                     database: database))
        let drops = try #require(try s.execute("SELECT COUNT(*) FROM drop_file WHERE state = 'done'").rows.first).decode(Int.self)
        // The resources are in the view journal (`view: deferred`, the default) or already in the view.
        let resources = try #require(try s.execute("SELECT (SELECT COUNT(*) FROM resource) + (SELECT COUNT(*) FROM view_record)").rows.first)
            .decode(Int.self)
        #expect(drops > 0 && resources > 0, "drops \(drops), resources \(resources)")

        // The reading commands read it back, and the sample's outcome is the one it has on SQLite.
        let status = try ws.postroom(["status", "--config", ws.config, "--json"], environment: env)
        #expect(status.code == 0, "\(status.stderr)")
        let sqlite = try Workspace()
        try sqlite.dropSample()
        #expect(try sqlite.postroom(["run", "--once", "--config", sqlite.config]).code == run.code)
        let expected = try sqlite.postroom(["status", "--config", sqlite.config, "--json"])
        for part in ["drops", "reports", "tasks"] {
            let got = try counts(status.stdout, part), want = try counts(expected.stdout, part)
            #expect(got == want && !want.isEmpty, "\(part): \(got) on PostgreSQL, \(want) on SQLite")
        }
        let again = try ws.postroom(["run", "--once", "--config", ws.config], environment: env)
        #expect(again.code == 0, "\(again.stderr)")
    }

    /// One part of `status --json`, as comparable text.
    func counts(_ json: String, _ part: String) throws -> String {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let value = try #require(o[part])
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func anUnreachableServerIsAClearFailureThatTakesNothing() throws {
        let ws = try Workspace()
        let secret = "pw-\(UUID().uuidString)"
        // Port 9 (discard) on loopback: nothing listens there.
        try setStore(ws, #"{ "kind": "postgres", "url": "postgres://postroom@127.0.0.1:9/postroom?sslmode=disable", "passwordEnv": "POSTROOM_E2E_PG" }"#)
        try ws.dropSample()
        let r = try ws.postroom(["run", "--once", "--config", ws.config], environment: ["POSTROOM_E2E_PG": secret])
        #expect(r.code == 74, "exit \(r.code)")
        #expect(r.stderr.contains("cannot connect to PostgreSQL at"), "\(r.stderr)")
        #expect(!r.stderr.contains(secret) && !r.stdout.contains(secret))
        #expect(!FileManager.default.fileExists(atPath: ws.data + "/postroom.sqlite"), "no SQLite database was made")
        #expect(ws.files(in: "inbox/lab-results").count > 0, "nothing was taken from the inboxes")
        // The password's variable is still checked first: a missing one is its own configuration error.
        let unset = try ws.postroom(["run", "--once", "--config", ws.config])
        #expect(unset.code == 78 && unset.stderr.contains("store.passwordEnv"), "\(unset.stderr)")
    }
}
