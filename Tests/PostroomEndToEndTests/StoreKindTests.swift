import Foundation
import Testing

/// `"store": { "kind": "postgres" }` until the pipeline uses the store interface (docs/POSTGRES.md phase 2):
/// every command that opens the store refuses it with exit 78, and none falls back to a SQLite file.
@Suite struct StoreKindTests {
    @Test func aPostgresStoreIsRefusedClearlyAndNothingIsWrittenToSQLite() throws {
        let ws = try Workspace()
        let secret = "pw-\(UUID().uuidString)"
        let text = try String(contentsOfFile: ws.config, encoding: .utf8)
        let store = #""store": { "kind": "postgres", "url": "postgres://postroom@127.0.0.1:5432/postroom", "passwordEnv": "POSTROOM_E2E_PG" },"#
        try text.replacingOccurrences(of: "{", with: "{\n  " + store, options: [], range: text.range(of: "{"))
            .write(toFile: ws.config, atomically: true, encoding: .utf8)
        try ws.dropSample()
        let env = ["POSTROOM_E2E_PG": secret]
        for args in [["run", "--once"], ["watch", "--interval", "1"], ["serve", "--port", "0"], ["status"], ["check"]] {
            let r = try ws.postroom(args + ["--config", ws.config], environment: env)
            #expect(r.code == 78, "\(args): exit \(r.code) \(r.stderr)")
            #expect(r.stderr.contains("store.kind") && r.stderr.contains("store kind postgres is not available in this build yet"),
                    "\(args): \(r.stderr)")
            #expect(!r.stderr.contains(secret) && !r.stdout.contains(secret))
        }
        #expect(!FileManager.default.fileExists(atPath: ws.data + "/postroom.sqlite"), "no SQLite database was made")
        #expect(ws.files(in: "inbox/lab-results").count > 0, "nothing was taken from the inboxes")
        // The password's variable is still checked first: a missing one is its own configuration error.
        let unset = try ws.postroom(["run", "--once", "--config", ws.config])
        #expect(unset.code == 78 && unset.stderr.contains("store.passwordEnv"), "\(unset.stderr)")
    }
}
