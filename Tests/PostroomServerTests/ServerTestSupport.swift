import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostroomConfig
import PostroomCore
import PostroomDigest
import PostroomPipeline
@testable import PostroomServer
import PostroomStore
import Testing

/// The repository root (this file lives in Tests/PostroomServerTests/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The clear text of the test token and its configured hash.
let testToken = "test-token-not-a-secret"
let testTokenHash = { () -> String in
    var out = ""
    for b in Array(testToken.utf8).sha256 { out += String(format: "%02x", b) }
    return out
}()

extension Array where Element == UInt8 {
    /// SHA-256 through the server's own path would hide a bug in it; this goes through the pipeline's helper.
    var sha256: [UInt8] {
        let hex = SHA256Digest.hex(self)
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16) ?? 0)
            i = j
        }
        return out
    }
}

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// A temporary data folder filled by running the real pipeline (in-process) over `inbox-sample/`,
/// copied in name order with markers last, as `make run` does.
final class SampleData: Sendable {
    let root: String
    let config: PipelineConfig

    /// One filled store shared by the read-only tests (removed when the test process exits).
    static let shared: Result<SampleData, any Error> = {
        let r = Result { try SampleData() }
        if case .success(let d) = r {
            SharedFolder.path = d.root
            atexit { if let p = SharedFolder.path { try? FileManager.default.removeItem(atPath: p) } }
        }
        return r
    }()

    static func get() throws -> SampleData { try shared.get() }

    init(extra: [(channel: String, name: String, bytes: [UInt8])] = [], serve: String? = nil, edit: (String) -> String = { $0 }) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var text = try String(contentsOfFile: repositoryRoot + "/pipeline.json", encoding: .utf8)
        text = text.replacingOccurrences(of: "\"data\": \"demo\"", with: "\"data\": \"data\"")
        let serveBlock = serve ?? "{ \"tokens\": [ { \"name\": \"tester\", \"sha256\": \"\(testTokenHash)\" } ] }"
        if let start = text.range(of: "\"serve\": {"), let end = text.range(of: "\"channels\":") {
            text.replaceSubrange(start.lowerBound..<end.lowerBound, with: "\"serve\": \(serveBlock),\n  ")
        }
        try edit(text).write(toFile: root + "/pipeline.json", atomically: true, encoding: .utf8)
        config = try PipelineConfig.load(path: root + "/pipeline.json")
        try copySample()
        for e in extra { try drop(e.bytes, as: e.name, channel: e.channel) }
        try runPipeline()
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var inboxes: String { config.dataFolder + "/inbox" }

    func copySample() throws {
        let fm = FileManager.default
        for channel in try fm.contentsOfDirectory(atPath: repositoryRoot + "/inbox-sample").sorted() {
            let src = repositoryRoot + "/inbox-sample/" + channel
            let names = try fm.contentsOfDirectory(atPath: src).sorted()
            for n in names.filter({ !$0.hasSuffix(".done") }) + names.filter({ $0.hasSuffix(".done") }) {
                try drop([UInt8](fm.contents(atPath: src + "/" + n) ?? Data()), as: n, channel: channel)
            }
        }
    }

    func drop(_ bytes: [UInt8], as name: String, channel: String) throws {
        let dir = inboxes + "/" + channel
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
    }

    /// Runs `run --once` in-process.
    @discardableResult
    func runPipeline() throws -> RunSummary {
        let p = try Pipeline(config: config, logger: quietLogger)
        defer { p.close() }
        return try p.runOnce()
    }

    func store() throws -> Store { try Store(path: config.database, readOnly: true) }

    /// A server over this data; `serve` overrides the configured serve block.
    func server(_ serve: ServeConfig? = nil, logger: Logger = quietLogger, throttle: LoginThrottle = LoginThrottle()) throws -> PostroomServer {
        PostroomServer(pipeline: config, serve: try serve ?? ServeConfig.parse(config.serve), logger: logger, secret: nil, throttle: throttle)
    }

    /// A sample file's bytes.
    static func sample(_ path: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: repositoryRoot + "/inbox-sample/" + path) ?? Data())
    }
}

/// The shared data folder, for its removal at exit.
enum SharedFolder {
    nonisolated(unsafe) static var path: String?
}

/// The bearer header of the test token.
let bearer: HTTPFields = [.authorization: "Bearer \(testToken)"]

extension TestClientProtocol {
    /// GET with the test token (or the given headers).
    func get(_ uri: String, headers: HTTPFields = bearer) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func json() throws -> JSONValue { try JSONParser().parse(Array(body.readableBytesView)) }
}

extension JSONValue {
    /// The `resource`s of a Bundle's entries with `search.mode` `mode` (nil: all).
    func entries(mode: String? = nil) -> [JSONValue] {
        (self["entry"]?.array ?? []).filter { mode == nil || $0["search"]?["mode"]?.string == mode }.compactMap { $0["resource"] }
    }

    var ids: Set<String> { Set(entries(mode: "match").compactMap { $0["id"]?.string }) }

    /// The URL of the Bundle link with this relation.
    func link(_ relation: String) -> String? {
        self["link"]?.array?.first { $0["relation"]?.string == relation }?["url"]?.string
    }

    var total: Int? { self["total"].flatMap { if case .number(let n) = $0 { Int(n) } else { nil } } }
}

/// Runs `body` against the router of a server over `data`.
func withServer<T: Sendable>(_ data: SampleData, _ serve: ServeConfig? = nil, logger: Logger = quietLogger,
                             throttle: LoginThrottle = LoginThrottle(),
                             _ body: @Sendable @escaping (any TestClientProtocol) async throws -> T) async throws -> T {
    let server = try data.server(serve, logger: logger, throttle: throttle)
    let app = Application(router: server.router(), logger: logger)
    return try await app.test(.router) { client in try await body(client) }
}

/// The error-level issues the FHIR R4 validator finds in a response body.
func validationErrors(_ v: JSONValue) -> [String] {
    FHIRValidator().issues(v).filter(\.isError).map { "\($0.code) at \($0.location ?? "-"): \($0.text)" }
}

/// The issue code (Postroom's) and type of an OperationOutcome.
func outcome(_ r: TestResponse) throws -> (type: String?, code: String?) {
    let o = try r.json()
    #expect(o["resourceType"]?.string == "OperationOutcome")
    #expect(r.headers[.contentType]?.hasPrefix("application/fhir+json") == true)
    let issue = o["issue"]?[0]
    return (issue?["code"]?.string, issue?["details"]?["coding"]?[0]?["code"]?.string)
}

/// The sign-in form's login nonce cookie and CSRF token, as a browser gets them from `GET /ui/login`.
func loginForm(_ c: any TestClientProtocol) async throws -> (cookie: String, csrf: String) {
    let page = try await c.get("/ui/login", headers: [:])
    let cookie = String(try #require(page.headers[.setCookie]).split(separator: ";")[0])
    let text = page.text
    let marker = try #require(text.range(of: "name=\"csrf\" value=\""))
    return (cookie, String(text[marker.upperBound...].prefix { $0 != "\"" }))
}

/// Posts the sign-in form with `token` (percent-encoded as a browser would), the nonce cookie and CSRF token included.
func postLogin(_ c: any TestClientProtocol, token: String, csrf: String? = nil, cookie: String? = nil) async throws -> TestResponse {
    let form = try await loginForm(c)
    let body = "csrf=\(csrf ?? form.csrf)&token=" + token.replacingOccurrences(of: "-", with: "%2D")
    return try await c.execute(uri: "/ui/login", method: .post,
                               headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie ?? form.cookie],
                               body: ByteBuffer(string: body))
}
