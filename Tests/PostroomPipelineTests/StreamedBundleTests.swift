import Foundation
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing

/// Large FHIR Bundles (above `limits.streamAbove`) are read entry by entry and applied in groups: the
/// same stored resources and outcome as the whole-file path, a refused transaction applies nothing,
/// and a broken file is rejected whole and kept.
@Suite struct StreamedBundleTests {
    static func org(_ n: Int) -> String {
        #"{"fullUrl":"urn:uuid:00000000-0000-4000-8000-\#(String(format: "%012d", n))","resource":{"resourceType":"Organization","id":"org-\#(n)","identifier":[{"system":"https://example.org/labs","value":"X\#(n)"}],"name":"Lab \#(n)"},"request":{"method":"POST","url":"Organization"}}"#
    }

    /// An Appointment whose participant is the Organization of entry `target` (a urn: reference, often to an earlier group).
    static func appointment(_ n: Int, target: Int, status: String = "proposed") -> String {
        #"{"fullUrl":"urn:uuid:00000000-0000-4000-9000-\#(String(format: "%012d", n))","resource":{"resourceType":"Appointment","id":"appt-\#(n)","status":"\#(status)","participant":[{"actor":{"reference":"urn:uuid:00000000-0000-4000-8000-\#(String(format: "%012d", target))"},"status":"needs-action"}]},"request":{"method":"POST","url":"Appointment"}}"#
    }

    /// A Bundle of `count` entries: Organizations, and every third entry an Appointment naming one stored 300 entries earlier.
    static func bundle(_ type: String, count: Int, bad: Set<Int> = []) -> [UInt8] {
        var entries: [String] = []
        for n in 0..<count {
            if n % 3 == 2, n >= 300 {
                entries.append(appointment(n, target: n - 299, status: bad.contains(n) ? "wishful" : "proposed"))
            } else {
                entries.append(bad.contains(n) ? org(n).replacingOccurrences(of: #""name":"#, with: #""name":7,"alias":"#) : org(n))
            }
        }
        return Array(#"{"resourceType":"Bundle","id":"b-\#(type)-\#(count)","type":"\#(type)","entry":[\#n\#(entries.joined(separator: ",\n"))]}"#.utf8)
    }

    func harness(streamed: Bool) throws -> PipelineHarness {
        try PipelineHarness(extra: streamed ? #", "limits": { "streamAbove": 1000 }"# : "", maxFileSize: 1 << 24)
    }

    /// What a run left: the drop, its message's issue codes, every stored resource (by type and id, without meta), the answer.
    struct Result: Equatable {
        var outcome: DropRecord.Outcome?
        var issues: [String]
        var resources: [String: String]
        var statuses: [String]
        var locations: [String]
    }

    func run(_ bytes: [UInt8], streamed: Bool) throws -> (Result, DropRecord, JSONValue) {
        let h = try harness(streamed: streamed)
        try h.drop("big.json", bytes)
        _ = try h.pipeline.runOnce()
        let drop = try #require(try h.drops().first)
        let messages = try h.pipeline.store.read { try $0.messages(dropID: drop.id) }
        var resources: [String: String] = [:]
        try h.pipeline.store.read { r in
            for (type, _) in try r.resourceCounts() {
                for id in try r.resourceIDs(type: type) {
                    guard var o = try r.resource(type: type, id: id)?.object else { continue }
                    o["meta"] = nil
                    resources[type + "/" + id] = JSONWriter().string(.object(o))
                }
            }
        }
        let outbox = h.config.channels[0].outbox
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: outbox).first)
        let answer = try JSONParser().parse([UInt8](FileManager.default.contents(atPath: outbox + "/" + name)!))
        let entries = answer["entry"]?.array ?? []
        let result = Result(outcome: drop.outcome, issues: messages.flatMap(\.issues).map { $0.code + "@" + ($0.location ?? "") },
                            resources: resources,
                            statuses: entries.map { $0["response"]?["status"]?.string ?? "" },
                            locations: entries.map { $0["response"]?["location"]?.string ?? "" })
        return (result, drop, answer)
    }

    @Test(arguments: ["batch", "transaction"])
    func aLargeBundleStoresWhatTheWholeFilePathStores(type: String) throws {
        let bytes = Self.bundle(type, count: 900, bad: type == "batch" ? [5, 602] : [])
        let (streamed, drop, answer) = try run(bytes, streamed: true)
        let (whole, wholeDrop, _) = try run(bytes, streamed: false)
        #expect(drop.ackFile != nil && wholeDrop.ackFile == nil, "one streamed, one read whole")
        #expect(streamed.outcome == whole.outcome)
        #expect(streamed.issues == whole.issues)
        #expect(streamed.statuses == whole.statuses)
        #expect(streamed.locations == whole.locations)
        #expect(streamed.resources.count == whole.resources.count)
        #expect(streamed.resources.filter { whole.resources[$0.key] != $0.value }.keys.sorted().prefix(5) == [])
        #expect(answer["type"]?.string == type + "-response")
        #expect(streamed.statuses.count == 900)
        #expect(streamed.outcome == (type == "batch" ? .partial : .accepted))
        #expect(streamed.resources.keys.filter { $0.hasPrefix("Organization/") || $0.hasPrefix("Appointment/") }.count
                == (type == "batch" ? 898 : 900))
        // An Appointment's urn: reference to an Organization of an earlier group points where it was stored.
        let appointment = try #require(streamed.resources["Appointment/appt-899"])
        #expect(appointment.contains(#""reference":"Organization/org-600""#), "\(appointment)")
    }

    /// Entries that repeat an earlier entry of another group — its fullUrl (bdl-7), or in a transaction
    /// the resource it acts on — are found as the whole-file path finds them (pass 1 sees the whole file).
    @Test(arguments: ["batch", "transaction"])
    func repeatsAcrossGroupsAreFoundAsInTheWholeFile(type: String) throws {
        var text = String(decoding: Self.bundle(type, count: 600), as: UTF8.self)
        // Entry 501 takes entry 3's fullUrl; entry 504 takes it too with a versionId (still a repeat of 3);
        // entries 502 and 505 each PUT an Organization id already PUT by entries 7 and 8 (all Organizations).
        func put(_ n: Int, id: String) -> String {
            #"{"fullUrl":"urn:uuid:00000000-0000-4000-7000-\#(String(format: "%012d", n))","resource":{"resourceType":"Organization","id":"\#(id)","name":"Lab \#(n)"},"request":{"method":"PUT","url":"Organization/\#(id)"}}"#
        }
        for (n, replacement) in [(7, put(7, id: "shared-a")), (8, put(8, id: "shared-b")), (502, put(502, id: "shared-a")),
                                 (505, put(505, id: "shared-b"))] {
            text = text.replacingOccurrences(of: Self.org(n), with: replacement)
        }
        func urn(_ n: Int) -> String { "urn:uuid:00000000-0000-4000-8000-" + String(format: "%012d", n) }
        text = text.replacingOccurrences(of: #""fullUrl":"\#(urn(501))""#, with: #""fullUrl":"\#(urn(3))""#)
        text = text.replacingOccurrences(of: #""fullUrl":"\#(urn(504))","resource":{"resourceType":"Organization","#,
                                         with: #""fullUrl":"\#(urn(3))","resource":{"resourceType":"Organization","meta":{"versionId":"2"},"#)
        let bytes = Array(text.utf8)
        let (streamed, _, _) = try run(bytes, streamed: true)
        let (whole, _, _) = try run(bytes, streamed: false)
        let repeats = ["bdl-7@Bundle.entry[501].fullUrl", "bdl-7@Bundle.entry[504].fullUrl"]
        #expect(streamed.outcome == whole.outcome)
        // Entries 502 and 505 are stored under ids Postroom makes (theirs are taken): compared by content.
        func byContent(_ r: [String: String]) -> [String] {
            r.map { key, value in
                let id = key.split(separator: "/").last.map(String.init) ?? key
                return id.count == 26 && id.allSatisfy({ $0.isLetter || $0.isNumber }) ? value.replacingOccurrences(of: id, with: "*") : key + " " + value
            }.sorted()
        }
        // One difference, by design: appt-302 (an earlier group) names fullUrl 3, which entries 501 and 504
        // repeat. The whole file sees three entries with it and leaves the reference as it came; the stream,
        // at appt-302, has stored only entry 3 (the others are refused when they come) and points to it.
        let reference = #"{"reference":"urn:uuid:00000000-0000-4000-8000-000000000003"}"#
        #expect(type == "transaction" || whole.resources["Appointment/appt-302"]?.contains(reference) == true)
        var expected = whole.resources
        expected["Appointment/appt-302"] = expected["Appointment/appt-302"]?.replacingOccurrences(of: reference, with: #"{"reference":"Organization/org-3"}"#)
        #expect(byContent(streamed.resources) == byContent(expected))
        if type == "transaction" {
            // Refused whole on both paths (the streamed one stops at the first group that fails, so it
            // lists that group's issues only).
            #expect(whole.outcome == .rejected)
            #expect(whole.issues.filter { $0.hasPrefix("bdl-7@") } == repeats, "\(whole.issues)")
            #expect(streamed.issues.filter { $0.hasPrefix("bdl-7@") } == repeats, "\(streamed.issues)")
            let overlaps = ["transaction-identity-overlap@Bundle.entry[502].request", "transaction-identity-overlap@Bundle.entry[505].request"]
            #expect(whole.issues.filter { $0.hasPrefix("transaction-identity-overlap@") } == overlaps, "\(whole.issues)")
            #expect(streamed.issues.filter { $0.hasPrefix("transaction-identity-overlap@") } == overlaps, "\(streamed.issues)")
            #expect(streamed.resources.isEmpty)
        } else {
            // A batch answers each entry: the repeated ones fail on both paths, the rest are stored alike.
            #expect(streamed.issues == whole.issues)
            #expect(streamed.statuses == whole.statuses)
            #expect(whole.outcome == .partial)
            #expect([501, 504].allSatisfy { !streamed.statuses[$0].hasPrefix("2") }, "\(streamed.statuses[500...505])")
        }
    }

    @Test func aTransactionWithABadEntryLateInTheFileAppliesNothing() throws {
        let bytes = Self.bundle("transaction", count: 900, bad: [881])
        let (streamed, drop, answer) = try run(bytes, streamed: true)
        let (whole, _, _) = try run(bytes, streamed: false)
        #expect(drop.ackFile == nil)
        #expect(streamed.outcome == .rejected)
        #expect(streamed.resources.isEmpty)
        #expect(answer["resourceType"]?.string == "OperationOutcome")
        #expect(streamed.issues.contains { $0.hasSuffix("@Bundle.entry[881].resource.status") }, "\(streamed.issues)")
        #expect(whole.outcome == .rejected && whole.resources.isEmpty)
        #expect(Set(streamed.issues.filter { $0.contains("entry[881]") }) == Set(whole.issues.filter { $0.contains("entry[881]") }))
    }

    @Test(arguments: ["truncated", "bad entry", "trailing"])
    func aBrokenLargeBundleIsRejectedWholeAndKept(kind: String) throws {
        var bytes = Self.bundle("batch", count: 600)
        switch kind {
        case "truncated": bytes = Array(bytes.prefix(bytes.count * 2 / 3))
        case "bad entry": bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: #""name":"Lab 450""#, with: #""name":Lab 450"#).utf8)
        default: bytes += Array("{}".utf8)
        }
        let h = try harness(streamed: true)
        try h.drop("broken.json", bytes)
        let s = try h.pipeline.runOnce()
        #expect(s.total.rejected == 1)
        #expect(try h.pipeline.store.read { try $0.resourceCounts() }.allSatisfy { $0.count == 0 })
        let drop = try #require(try h.drops().first)
        let issues = try h.pipeline.store.read { try $0.messages(dropID: drop.id) }.flatMap(\.issues)
        let syntax = try #require(issues.first { $0.code == IssueCode.jsonSyntax.code })
        if kind == "bad entry" { #expect(syntax.location == "Bundle.entry[450]") }
        let kept = try #require(drop.errorPath)
        #expect(FileManager.default.contents(atPath: kept) == Data(bytes), "the original is kept as it was")
        let outbox = h.config.channels[0].outbox
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: outbox).first)
        #expect(name.hasSuffix("outcome.json"))
    }

    /// Each of the 200 Appointments names no referral: one identical issue each, kept once by both paths.
    @Test(arguments: ["batch", "transaction"])
    func identicalIssuesOfALargeBundleAreKeptOnce(type: String) throws {
        let bytes = Self.bundle(type, count: 900)
        let (streamed, _, _) = try run(bytes, streamed: true)
        let (whole, _, _) = try run(bytes, streamed: false)
        let code = IssueCode.appointmentReferralUnknown.code
        #expect(streamed.issues.filter { $0.hasPrefix(code + "@") } == [code + "@Appointment.basedOn"], "\(streamed.issues)")
        #expect(streamed.issues == whole.issues)
        #expect(streamed.resources.keys.filter { $0.hasPrefix("Appointment/") }.count == 200)
    }

    /// Every order of a batch creates a Task and an issue naming it: a message keeps the first
    /// `IssueLog.limit` and counts the rest, on both paths.
    /// A Bundle of one Patient and `count` orders for it (the order numbered `bad` with a status no code system has).
    static func orders(_ type: String, count: Int, bad: Int? = nil) -> [UInt8] {
        var entries = [#"{"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}]},"request":{"method":"POST","url":"Patient"}}"#]
        for n in 0..<count {
            entries.append(#"{"resource":{"resourceType":"ServiceRequest","status":"\#(n == bad ? "wishful" : "active")","intent":"order","identifier":[{"system":"https://example.org/orders","value":"ORD\#(n)"}],"code":{"text":"FBC"},"subject":{"reference":"urn:uuid:00000000-0000-4000-8000-000000000001"}},"request":{"method":"POST","url":"ServiceRequest"}}"#)
        }
        return Array(#"{"resourceType":"Bundle","id":"orders","type":"\#(type)","entry":[\#(entries.joined(separator: ",\n"))]}"#.utf8)
    }

    @Test func aLargeBundleKeepsAtMostTheLimitOfIssues() throws {
        let orders = IssueLog.limit + 40
        let bytes = Self.orders("batch", count: orders)
        let (streamed, drop, _) = try run(bytes, streamed: true)
        let (whole, _, _) = try run(bytes, streamed: false)
        #expect(drop.ackFile != nil, "streamed")
        #expect(streamed.outcome == .accepted)
        #expect(streamed.issues.count == IssueLog.limit + 1)
        #expect(streamed.issues.filter { $0.hasPrefix(IssueCode.taskCreated.code + "@") }.count == IssueLog.limit)
        #expect(streamed.issues.last == IssueCode.issuesNotKept.code + "@")
        #expect(streamed.issues == whole.issues)
        #expect(streamed.resources.keys.filter { $0.hasPrefix("Task/") }.count == orders, "every Task is stored")
    }

    /// A transaction refused by its last entry, after groups that created more Tasks than the limit of
    /// issues (all rolled back): the answer names the error that refused it, and what the whole-file path
    /// answers; nothing of the groups rolled back (no Task said to track an order).
    @Test func theErrorThatRefusesALargeTransactionIsInItsAnswer() throws {
        let orders = IssueLog.limit + 40
        let bytes = Self.orders("transaction", count: orders, bad: orders - 1)
        let (streamed, drop, answer) = try run(bytes, streamed: true)
        let (whole, _, _) = try run(bytes, streamed: false)
        #expect(drop.ackFile == nil && streamed.outcome == .rejected && streamed.resources.isEmpty)
        #expect(answer["resourceType"]?.string == "OperationOutcome")
        let located = (answer["issue"]?.array ?? []).filter { $0["severity"]?.string == "error" }
            .compactMap { $0["expression"]?[0]?.string ?? $0["location"]?[0]?.string }
        #expect(located.contains { $0.hasPrefix("Bundle.entry[\(orders)]") }, "\(located)")
        #expect(!streamed.issues.contains { $0.hasPrefix(IssueCode.taskCreated.code + "@") }, "\(streamed.issues.prefix(5))")
        #expect(streamed.issues == whole.issues)
    }

    @Test func theSameLargeBundleAgainIsADuplicate() throws {
        let h = try harness(streamed: true)
        let bytes = Self.bundle("batch", count: 400)
        try h.drop("a.json", bytes)
        _ = try h.pipeline.runOnce()
        let stored = try h.pipeline.store.read { try $0.resourceCounts() }.map(\.count)
        #expect(stored.reduce(0, +) >= 400)
        try h.drop("b.json", bytes)
        let s = try h.pipeline.runOnce()
        #expect(s.total.duplicates == 1)
        #expect(try h.pipeline.store.read { try $0.resourceCounts() }.map(\.count) == stored)
    }
}
