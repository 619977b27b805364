import Foundation
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import PostroomCore
@testable import PostroomServer
import Testing

/// Credentials: bearer tokens against their hashes, the session cookie, anonymous access, and a
/// request log without patient data.
@Suite struct ServerSecurityTests {
    @Test func withoutAValidTokenEveryFHIRPathIs401WithABearerChallenge() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong-token"], [.authorization: "Basic dGVzdDp0ZXN0"],
                                        [.authorization: "Bearer"], [.authorization: "Bearer \(testTokenHash)"]] {
                for uri in ["/metadata", "/ServiceRequest", "/Task/\(FHIRSearchTests.referralTask)", "/metrics", "/nothing/here"] {
                    let r = try await c.get(uri, headers: headers)
                    #expect(r.status == .unauthorized, "\(uri) \(headers)")
                    #expect(r.headers[.wwwAuthenticate] == "Bearer realm=\"postroom\"")
                    #expect(try outcome(r).type == "login")
                }
            }
            #expect(try await c.get("/Task/\(FHIRSearchTests.referralTask)").status == .ok)
            #expect(try await c.get("/ServiceRequest", headers: [.authorization: "bearer \(testToken)"]).status == .ok)
        }
    }

    @Test func theWebPageSendsBrowsersToItsLoginFormAndTheCookieWorksEverywhere() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            let anonymous = try await c.get("/ui/failed", headers: [:])
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/ui/login")
            #expect(try await c.get("/ui/login", headers: [:]).status == .ok)
            let bad = try await postLogin(c, token: "nope")
            #expect(bad.status == .unauthorized && bad.headers[.setCookie]?.hasPrefix("postroom_session") != true)
            let ok = try await postLogin(c, token: testToken)
            #expect(ok.status == .seeOther && ok.headers[.location] == "/ui")
            let cookie = try #require(ok.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(cookie.contains("Max-Age=28800") && !cookie.contains("Secure"), "a session of 8 hours by default")
            #expect(!cookie.contains(testToken) && !cookie.contains(testTokenHash))
            let pair = String(cookie.split(separator: ";")[0])
            #expect(try await c.get("/ui/failed", headers: [.cookie: pair]).status == .ok)
            #expect(try await c.get("/ServiceRequest", headers: [.cookie: pair]).status == .ok)
            // A cookie naming the token holder with a made-up signature is refused.
            let forged = "postroom_session=tester." + String(repeating: "0", count: 64)
            #expect(try await c.get("/ServiceRequest", headers: [.cookie: forged]).status == .unauthorized)
        }
    }

    @Test func aCookieFromAnotherServerProcessIsNotAccepted() async throws {
        let data = try SampleData.get()
        let first = try data.server()
        let app1 = Application(router: first.router(), logger: quietLogger)
        let cookie = try await app1.test(.router) { (c) async throws in
            let r = try await c.execute(uri: "/ui/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                        body: ByteBuffer(string: "token=\(testToken)"))
            return String(try #require(r.headers[.setCookie]).split(separator: ";")[0])
        }
        try await withServer(data) { (c) async throws in
            let r = try await c.get("/ServiceRequest", headers: [.cookie: cookie])
            #expect(r.status == .unauthorized)
        }
    }

    @Test func anonymousAccessAndOpenMetricsOnlyWhenConfigured() async throws {
        let data = try SampleData.get()
        let open = try ServeConfig.parse(try JSONParser().parse("{\"anonymous\": true}"))
        try await withServer(data, open) { (c) async throws in
            #expect(try await c.get("/ServiceRequest", headers: [:]).status == .ok)
            #expect(try await c.get("/ui", headers: [:]).status == .ok)
            #expect(try await c.get("/metrics", headers: [:]).status == .ok)
        }
        let metricsOnly = try ServeConfig.parse(try JSONParser().parse(
            "{\"metrics\": true, \"tokens\": [{\"name\": \"t\", \"sha256\": \"\(testTokenHash)\"}]}"))
        try await withServer(data, metricsOnly) { (c) async throws in
            #expect(try await c.get("/metrics", headers: [:]).status == .ok)
            #expect(try await c.get("/ServiceRequest", headers: [:]).status == .unauthorized)
            #expect(try await c.get("/ui", headers: [:]).status == .seeOther)
        }
    }

    @Test func everyRequestIsLoggedByRouteTemplateWithoutIdsQueriesOrPatientData() async throws {
        let data = try SampleData.get()
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "serve") { _ in handler }
        try await withServer(data, logger: logger) { (c) async throws in
            _ = try await c.get("/Task/\(FHIRSearchTests.referralTask)")
            _ = try await c.get("/ServiceRequest?subject:identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018")
            _ = try await c.get("/Patient?identifier=9990000018&nonsense=9990000018")
            _ = try await c.get("/ui/drops/01NOSUCHDROP")
            _ = try await c.get("/Task", headers: [:])
        }
        let lines = handler.entries.filter { $0.message.description == "request" }
        #expect(lines.count == 5)
        #expect(lines.compactMap { $0.metadata["route"]?.description } == ["/{type}/{id}", "/{type}", "/{type}", "/ui/drops/{id}", "/{type}"])
        #expect(lines.compactMap { $0.metadata["status"]?.description } == ["200", "200", "400", "404", "401"])
        for e in handler.entries {
            let all = e.message.description + " " + e.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            #expect(!all.contains("9990000018") && !all.contains(FHIRSearchTests.referralTask) && !all.contains("NOSUCHDROP"), "\(all)")
            #expect(e.metadata["method"] == nil || e.metadata["ms"] != nil)
        }
    }

    @Test func theLoginFormNeedsItsCSRFTokenAndFailedSignInsAreThrottled() async throws {
        // An hour's window: in a loaded test run ten sign-ins have taken longer than the server's 60 s
        // (the window itself is tested with a clock in `theThrottleForgetsFailuresOlderThanItsWindow`).
        try await withServer(SampleData.get(), throttle: LoginThrottle(limit: 10, window: 3600)) { (c) async throws in
            // A login posted from elsewhere (no nonce cookie, or a token for another nonce) is refused.
            let forged = try await c.execute(uri: "/ui/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: "csrf=x&token=\(testToken)"))
            #expect(forged.status == .forbidden && forged.headers[.setCookie]?.hasPrefix("postroom_session") != true)
            let other = try await loginForm(c)
            #expect(try await postLogin(c, token: testToken, csrf: other.csrf + "0").status == .forbidden)
            // Ten wrong tokens, then even the right one waits.
            for _ in 0..<10 { #expect(try await postLogin(c, token: "wrong").status == .unauthorized) }
            #expect(try await postLogin(c, token: testToken).status == .tooManyRequests)
        }
    }

    @Test func theThrottleForgetsFailuresOlderThanItsWindow() {
        let throttle = LoginThrottle()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for n in 0..<10 { throttle.failed("10.0.0.1", now: start.addingTimeInterval(Double(n))) }
        #expect(!throttle.allows("10.0.0.1", now: start.addingTimeInterval(30)), "ten failures within the minute")
        #expect(throttle.allows("10.0.0.2", now: start.addingTimeInterval(30)), "another address is not held back")
        #expect(!throttle.allows("10.0.0.1", now: start.addingTimeInterval(59.5)))
        #expect(throttle.allows("10.0.0.1", now: start.addingTimeInterval(60.5)), "the first failure has left the 60 s window")
    }

    @Test func sessionsExpireAndCanBeMarkedSecure() throws {
        let config = try ServeConfig.parse(try JSONParser().parse(Array(#"{"tokens":[{"name":"t","sha256":"\#(testTokenHash)"}],"sessionHours":1,"secureCookies":true}"#.utf8)))
        let auth = Authenticator(config: config, secret: Array(repeating: 7, count: 32))
        let now = Date()
        let value = try #require(auth.sessionValue(for: "t", now: now))
        #expect(auth.principal(session: value, now: now.addingTimeInterval(3500))?.name == "t")
        #expect(auth.principal(session: value, now: now.addingTimeInterval(3700)) == nil, "expired after sessionHours")
        #expect(auth.cookieAttributes.contains("Max-Age=3600") && auth.cookieAttributes.hasSuffix("; Secure"))
        // The expiry cannot be moved forward without the secret.
        let parts = value.split(separator: ".")
        let stretched = "\(parts[0]).\(Int(parts[1])! + 86400).\(parts[2])"
        #expect(auth.principal(session: stretched, now: now) == nil)
    }
}
