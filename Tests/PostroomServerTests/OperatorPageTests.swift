import Foundation
import Hummingbird
import HummingbirdTesting
import PostroomCore
import PostroomServer
import PostroomStore
import Testing

/// The operator's page over HTTP: every page, escaping, and the reprocess button's CSRF check and effect.
@Suite struct OperatorPageTests {
    /// Signs in through the form and returns the cookie and the page's CSRF token.
    static func signIn(_ c: any TestClientProtocol) async throws -> (cookie: HTTPFields, csrf: String) {
        let r = try await postLogin(c, token: testToken)
        let cookie: HTTPFields = [.cookie: String(try #require(r.headers[.setCookie]).split(separator: ";")[0])]
        let page = try await c.get("/ui/failed", headers: cookie).text
        let marker = try #require(page.range(of: "name=\"csrf\" value=\""))
        let csrf = String(page[marker.upperBound...].prefix { $0 != "\"" })
        return (cookie, csrf)
    }

    static func post(_ c: any TestClientProtocol, _ uri: String, _ fields: String, _ cookie: HTTPFields) async throws -> TestResponse {
        var h = cookie
        h[.contentType] = "application/x-www-form-urlencoded"
        return try await c.execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: fields))
    }

    @Test func everyPageRendersTheSamplesRunsFailuresHeldResultsAndTasks() async throws {
        let data = try SampleData.get()
        let store = try data.store()
        let drops = try store.read { try $0.drops() }
        let bad = try #require(drops.first { $0.name == "04-orm-o01-bad-nhs-number.hl7" })
        try await withServer(data) { (c) async throws in
            let overview = try await c.get("/ui").text
            #expect(overview.contains("<svg") && overview.contains("class=\"bar accepted\"") && overview.contains("class=\"bar rejected\""))
            #expect(overview.contains("lab-orders") && overview.contains(">finished<"))
            let failed = try await c.get("/ui/failed")
            #expect(failed.headers[.contentType] == "text/html; charset=utf-8")
            #expect(failed.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let page = failed.text
            #expect(page.contains("04-orm-o01-bad-nhs-number.hl7") && page.contains("nhs-number-check-digit"))
            #expect(page.contains("05-truncated-report.json"))
            #expect(page.components(separatedBy: "<form class=\"reprocess\"").count == 3)
            #expect(!page.contains("<script"))
            let held = try await c.get("/ui/held").text
            #expect(held.contains("Held results (1)") && held.contains("ORD9999"))
            #expect(held.contains("Outstanding requests"))
            let board = try await c.get("/ui/tasks").text
            #expect(board.contains(FHIRSearchTests.referralTask) && board.contains("completed</span> 5"))
            let task = try await c.get("/ui/tasks/\(FHIRSearchTests.referralTask)").text
            #expect(task.contains("Task received") && task.contains("owner"))
            let drop = try await c.get("/ui/drops/\(bad.id)").text
            #expect(drop.contains("nhs-number-check-digit") && drop.contains("PID-3.1") && drop.contains("class=\"reprocess\""))
            let message = try await c.get("/ui/drops/\(bad.id).0")
            #expect(message.status == .ok && message.text.contains("Message \(bad.id).0"))
            let missing = try await c.get("/ui/drops/NOSUCHDROP")
            #expect(missing.status == .notFound && missing.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(try await c.get("/ui/tasks/nope").status == .notFound)
            let root = try await c.get("/")
            #expect(root.status == .seeOther && root.headers[.location] == "/ui")
        }
    }

    @Test func theOverviewShowsExpectedFilesAndMetricsCarryThem() async throws {
        let data = try SampleData(edit: {
            $0.replacingOccurrences(of: #""name": "lab-results","#,
                                    with: #""name": "lab-results", "expect": [{ "name": "daily pathology batch", "days": "daily", "by": "00:00" }],"#)
        })
        try await withServer(data) { (c) async throws in
            let page = try await c.get("/ui").text
            #expect(page.contains("<h2>Expected files") && page.contains("daily pathology batch"), "\(page.prefix(2000))")
            // The sample's files came today after midnight: the batch is late, not missed.
            #expect(page.contains("pill warn\">late<"))
            let metrics = try await c.get("/metrics").text
            #expect(metrics.contains(#"postroom_expectation_missed{channel="lab-results",name="daily pathology batch"} 0"#), "\(metrics)")
            #expect(metrics.contains(#"postroom_channel_last_file_timestamp_seconds{channel="lab-orders"}"#))
        }
    }

    @Test func aDropPageShowsLinksAndTaskHistoryWithTheMessageBehindEachStep() async throws {
        let data = try SampleData.get()
        let fbc = try #require(try data.store().read { try $0.drops() }.first { $0.name == "01-oru-r01-full-blood-count.hl7" })
        try await withServer(data) { (c) async throws in
            let page = try await c.get("/ui/drops/\(fbc.id)").text
            #expect(page.contains("ns|GPSYSTEM|ORD1001"), "the link names the canonical key it was found by")
            #expect(page.contains("final report DiagnosticReport/"))
            #expect(page.contains(">requested<") && page.contains(">completed<"))
            #expect(page.contains("href=\"/ui/drops/\(fbc.id).0\""))
        }
    }

    @Test func reprocessNeedsTheCSRFTokenQueuesOnceAndIsAudited() async throws {
        // Its own data: this test writes a reprocess request. A file name that would be markup if not escaped.
        let name = "<img src=x onerror=alert(1)>.hl7"
        let data = try SampleData(extra: [("lab-orders", name, Array("MSH|^~\\&|X\rgarbage".utf8))])
        let store = try data.store()
        let drops = try store.read { try $0.drops() }
        let bad = try #require(drops.first { $0.name == "04-orm-o01-bad-nhs-number.hl7" })
        let good = try #require(drops.first { $0.name == "01-orm-o01-full-blood-count.hl7" })
        #expect(drops.contains { $0.name == name && $0.outcome == .rejected })
        try await withServer(data) { (c) async throws in
            let (cookie, csrf) = try await Self.signIn(c)
            let listing = try await c.get("/ui/failed", headers: cookie).text
            #expect(!listing.contains("<img") && listing.contains("&lt;img src=x onerror=alert(1)&gt;.hl7"))

            for fields in ["", "csrf=", "csrf=\(String(repeating: "a", count: 64))"] {
                let refused = try await Self.post(c, "/ui/drops/\(bad.id)/reprocess", fields, cookie)
                #expect(refused.status == .forbidden, "\(fields)")
            }
            // Without credentials the post is sent to the login page and nothing is queued.
            #expect(try await Self.post(c, "/ui/drops/\(bad.id)/reprocess", "csrf=\(csrf)", [:]).status == .seeOther)
            #expect(try store.read { try $0.pendingReprocessRequests() }.isEmpty)

            let ok = try await Self.post(c, "/ui/drops/\(bad.id)/reprocess", "csrf=\(csrf)", cookie)
            #expect(ok.status == .ok)
            #expect(ok.text.contains("queued: the next run will reprocess it"))
            let again = try await Self.post(c, "/ui/drops/\(bad.id)/reprocess", "csrf=\(csrf)", cookie)
            #expect(again.text.contains("already queued"))
            let notFailed = try await Self.post(c, "/ui/drops/\(good.id)/reprocess", "csrf=\(csrf)", cookie)
            #expect(notFailed.text.contains("did not fail"))
            #expect(try await Self.post(c, "/ui/drops/NOSUCHDROP/reprocess", "csrf=\(csrf)", cookie).status == .notFound)
            let listed = try await c.get("/ui/failed", headers: cookie).text
            #expect(listed.contains("pending"))
        }
        let pending = try store.read { try $0.pendingReprocessRequests() }
        #expect(pending.map(\.dropID) == [bad.id])
        #expect(pending.first?.actor == "serve:tester")
        let audit = try store.read { try $0.auditTrail() }
        #expect(audit.filter { $0.action == "reprocess-requested" }.map(\.target) == [bad.id])
        #expect(audit.first?.actor == "serve:tester")
        // Nothing clinical was written: the same resources and drops as before.
        #expect(try store.read { try $0.drops() }.count == drops.count)
    }

    @Test func signOutNeedsTheCSRFTokenAndClearsTheCookie() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            let (cookie, csrf) = try await Self.signIn(c)
            #expect(try await Self.post(c, "/ui/logout", "csrf=wrong", cookie).status == .forbidden)
            let out = try await Self.post(c, "/ui/logout", "csrf=\(csrf)", cookie)
            #expect(out.status == .seeOther && out.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
    }
}
