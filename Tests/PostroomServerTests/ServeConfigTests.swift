import Foundation
import PostroomConfig
import PostroomCore
import PostroomDigest
import PostroomPipeline
import PostroomServer
import Testing

/// The `serve` object of pipeline.json: defaults, and errors that name the key.
@Suite struct ServeConfigTests {
    func parse(_ text: String) throws -> ServeConfig {
        try ServeConfig.parse(try JSONParser().parse(text))
    }

    func error(_ text: String) -> ServeConfigError? {
        do {
            _ = try parse(text)
            return nil
        } catch let e as ServeConfigError {
            return e
        } catch {
            return nil
        }
    }

    @Test func defaultsAndAFullBlock() throws {
        let none = try ServeConfig.parse(nil)
        #expect(none.address == "127.0.0.1" && none.port == 8080 && !none.anonymous && none.tokens.isEmpty && !none.openMetrics)
        let hash = String(repeating: "AB", count: 32)
        let c = try parse("""
            {"address": "0.0.0.0", "port": 9090, "anonymous": false, "metrics": true,
             "tokens": [{"name": "ops", "sha256": "\(hash)"}, {"name": "bot", "sha256": "\(hash.lowercased())"}]}
            """)
        #expect(c.address == "0.0.0.0" && c.port == 9090 && c.openMetrics)
        #expect(c.tokens == [.init(name: "ops", sha256: hash.lowercased()), .init(name: "bot", sha256: hash.lowercased())])
        #expect(try parse("{\"anonymous\": true}").anonymous)
    }

    @Test func everyProblemNamesItsKey() {
        let hash = String(repeating: "a", count: 64)
        let cases: [(String, String, String)] = [
            ("{\"port\": \"80\"}", "serve.port", "must be a whole number"),
            ("{\"port\": 8080.5}", "serve.port", "must be a whole number"),
            ("{\"port\": 70000}", "serve.port", "must be between 0 and 65535"),
            ("{\"address\": \"\"}", "serve.address", "must be an IP address or host name"),
            ("{\"address\": \"a b\"}", "serve.address", "must be an IP address or host name"),
            ("{\"anonymous\": \"yes\"}", "serve.anonymous", "must be true or false"),
            ("{\"metrics\": 1}", "serve.metrics", "must be true"),
            ("{\"tokens\": {}}", "serve.tokens", "must be a list"),
            ("{}", "serve.tokens", "at least one token is required unless serve.anonymous is true"),
            ("{\"tokens\": []}", "serve.tokens", "at least one token is required"),
            ("{\"tokens\": [\"x\"]}", "serve.tokens[0]", "must be an object"),
            ("{\"tokens\": [{\"sha256\": \"\(hash)\"}]}", "serve.tokens[0].name", "is required"),
            ("{\"tokens\": [{\"name\": \"a b\", \"sha256\": \"\(hash)\"}]}", "serve.tokens[0].name", "must be letters"),
            ("{\"tokens\": [{\"name\": \"a\"}]}", "serve.tokens[0].sha256", "is required"),
            ("{\"tokens\": [{\"name\": \"a\", \"sha256\": \"demo-token\"}]}", "serve.tokens[0].sha256", "must be 64 hex digits"),
            ("{\"tokens\": [{\"name\": \"a\", \"sha256\": \"\(hash)\", \"token\": \"x\"}]}", "serve.tokens[0].token", "unknown key"),
            ("{\"tokens\": [{\"name\": \"a\", \"sha256\": \"\(hash)\"}, {\"name\": \"a\", \"sha256\": \"\(hash)\"}]}",
             "serve.tokens[1].name", "is used by another token"),
            ("{\"anonymous\": true, \"hostname\": \"x\"}", "serve.hostname", "unknown key"),
            ("[]", "serve", "must be an object"),
        ]
        for (text, key, message) in cases {
            let e = error(text)
            #expect(e?.key == key, "\(text)")
            #expect(e?.message.contains(message) == true, "\(text): \(e?.message ?? "no error")")
            #expect(e?.description.hasPrefix(key + ": ") == true)
        }
    }

    @Test func theRepositorysPipelineJsonHasADemoToken() throws {
        let config = try PipelineConfig.load(path: repositoryRoot + "/pipeline.json")
        let serve = try ServeConfig.parse(config.serve)
        #expect(serve.address == "127.0.0.1" && !serve.anonymous)
        // The README documents the demo token's clear text; its hash is what the file holds.
        #expect(serve.tokens.map(\.sha256) == [SHA256Digest.hex(Array("demo-token".utf8))])
    }
}
