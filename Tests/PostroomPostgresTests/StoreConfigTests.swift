import Foundation
import PostroomConfig
import PostroomCore
import Testing

/// `store` in pipeline.json: parsed in PostroomConfig, the password never shown.
@Suite struct StoreConfigTests {
    func parse(_ store: String, base: String = "/tmp") throws(ConfigError) -> PipelineConfig {
        let text = """
            { "channels": [{ "name": "lab", "formats": ["hl7v2"], "role": "placer" }] \(store.isEmpty ? "" : ", \"store\": " + store) }
            """
        let json = try! JSONParser().parse(Array(text.utf8))
        return try PipelineConfig.parse(json, base: base, configPath: base + "/pipeline.json")
    }

    func error(_ store: String) -> ConfigError? {
        do {
            _ = try parse(store)
            return nil
        } catch {
            return error
        }
    }

    @Test func withoutAStoreItIsSQLiteAsBefore() throws {
        #expect(try parse("").store == .sqlite)
        #expect(try parse(#"{ "kind": "sqlite" }"#).store == .sqlite)
        #expect(error(#"{ "kind": "sqlite", "url": "postgres://a@b/c" }"#)?.key == "store.url")
        #expect(error(#"{ "kind": "mysql" }"#)?.key == "store.kind")
        #expect(error(#"{ "kind": "postgres", "pasword": "x" }"#)?.key == "store.pasword")
        #expect(error(#"{ "kind": "postgres" }"#)?.key == "store.url")
    }

    @Test func theURLFormsAreRead() throws {
        func location(_ url: String) throws -> PostgresLocation {
            guard case .postgres(let l) = try parse(#"{ "kind": "postgres", "url": "\#(url)" }"#).store else {
                throw ConfigError(key: "", message: "not postgres")
            }
            return l
        }
        let tcp = try location("postgres://postroom@db.example.org:6543/state")
        #expect(tcp.endpoint == .tcp(host: "db.example.org", port: 6543) && tcp.user == "postroom" && tcp.database == "state")
        #expect(tcp.tls == .prefer && tcp.password == nil)
        #expect(try location("postgresql://u@h/d").endpoint == .tcp(host: "h", port: 5432))
        #expect(try location("postgres://u@[::1]:7000/d?sslmode=verify-full").endpoint == .tcp(host: "::1", port: 7000))
        #expect(try location("postgres://u@[::1]:7000/d?sslmode=verify-full").tls == .verifyFull)
        let socket = try location("postgres://u@/d?host=/run/postgresql")
        #expect(socket.endpoint == .socket(directory: "/run/postgresql", port: 5432))
        #expect(socket.socketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(try location("postgres://u@%2Fvar%2Frun%2Fpg:5433/d").socketPath == "/var/run/pg/.s.PGSQL.5433")
        #expect(try location("postgres://u@/d?host=/tmp&port=5999").socketPath == "/tmp/.s.PGSQL.5999")
        for (bad, why) in [("mysql://u@h/d", "postgres://"), ("postgres://h/d", "user"), ("postgres://u@h", "database"),
                           ("postgres://u@h:99999/d", "port"), ("postgres://u@h/d?sslmode=maybe", "sslmode"),
                           ("postgres://u@h/d?options=x", "unknown parameter"), ("postgres://u@/d", "host")] {
            let e = error(#"{ "kind": "postgres", "url": "\#(bad)" }"#)
            #expect(e?.key == "store.url" && e?.message.contains(why) == true, "\(bad): \(String(describing: e))")
        }
    }

    @Test func thePasswordComesFromTheEnvironmentOrAFileAndIsNeverShown() throws {
        let secret = "s3cret-\(UUID().uuidString)"
        let variable = "POSTROOM_TEST_PG_PASSWORD_\(UInt32.random(in: 0...UInt32.max))"
        setenv(variable, secret, 1)
        defer { unsetenv(variable) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try (secret + "\nsecond line ignored\n").write(toFile: folder + "/pg.pass", atomically: true, encoding: .utf8)

        let fromEnv = try parse(#"{ "kind": "postgres", "url": "postgres://u@h/d", "passwordEnv": "\#(variable)" }"#)
        let fromFile = try parse(#"{ "kind": "postgres", "url": "postgres://u@h/d", "passwordFile": "pg.pass" }"#, base: folder)
        for config in [fromEnv, fromFile] {
            guard case .postgres(let l) = config.store else { Issue.record("not postgres"); continue }
            #expect(l.password?.revealed == secret)
            // Everything that prints a configuration: description, interpolation, reflection, dump.
            var dumped = ""
            dump(config, to: &dumped)
            for shown in [String(describing: config), "\(config.store)", String(reflecting: config), String(reflecting: l),
                          "\(l)", dumped, "\(l.password!)"] {
                #expect(!shown.contains(secret), "the password shows in: \(shown.prefix(300))")
            }
            #expect("\(l)".contains("password from"))
        }
        // A password in the URL is refused without echoing it; errors name the key, never the value.
        let inURL = error(#"{ "kind": "postgres", "url": "postgres://u:\#(secret)@h/d" }"#)
        #expect(inURL?.key == "store.url" && inURL?.description.contains(secret) == false, "\(String(describing: inURL))")
        #expect(error(#"{ "kind": "postgres", "url": "postgres://u@h/d", "passwordEnv": "POSTROOM_UNSET_\#(UUID().uuidString.prefix(6))" }"#)?.key
                == "store.passwordEnv")
        #expect(error(#"{ "kind": "postgres", "url": "postgres://u@h/d", "passwordFile": "/nonexistent/pg.pass" }"#)?.key
                == "store.passwordFile")
        #expect(error(#"{ "kind": "postgres", "url": "postgres://u@h/d", "passwordEnv": "\#(variable)", "passwordFile": "x" }"#)?.key
                == "store.passwordFile")
    }
}
