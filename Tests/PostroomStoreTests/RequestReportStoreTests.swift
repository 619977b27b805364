import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Requests found by their keys, reports held on the keys they wait for, and the links between them.
@Suite struct RequestReportStoreTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    @Test func aRequestIsFoundByAnyOfItsKeysAndAKeyStaysWithItsFirstOwner() throws {
        try t.write { w in
            try w.insertRequest(sampleRequest("r1", message: "m1"), keys: ["plac|LAB|P1", "ref|ServiceRequest/r1"])
            try w.insertRequest(sampleRequest("r2", message: "m2"), keys: ["plac|LAB|P1", "plac|LAB|P2"])
            try w.addRequestKeys(["fill|LAB|F1"], requestID: "r1")
        }
        #expect(try t.read { try $0.requestKeys(requestID: "r1") } == ["fill|LAB|F1", "plac|LAB|P1", "ref|ServiceRequest/r1"])
        #expect(try t.read { try $0.requestKeys(requestID: "r2") } == ["plac|LAB|P2"])
        let matches = try t.read { try $0.requestMatches(keys: ["plac|LAB|P2", "plac|LAB|P1", "fill|LAB|F1", "nope"]) }
        #expect(matches.map { "\($0.key) \($0.request.id)" } == ["plac|LAB|P2 r2", "plac|LAB|P1 r1"], "one row per request")
        #expect(matches.first?.request == sampleRequest("r2", message: "m2"))
        #expect(try t.read { try $0.requests(messageID: "m1") }.map(\.id) == ["r1"])
    }

    @Test func openRequestsLeaveOutFinishedTasksAndOtherStatuses() throws {
        try t.write { w in
            try w.insertRequest(sampleRequest("open", createdAt: at(3)), keys: [])
            try w.insertRequest(sampleRequest("done", createdAt: at(2)), keys: [])
            try w.insertTask(sampleTask("t1", status: .completed, focus: "done"), keys: [])
            try w.insertRequest(sampleRequest("revoked", createdAt: at(1)), keys: [])
            try w.updateRequest(id: "revoked", status: "revoked", at: at(4))
            try w.insertRequest(sampleRequest("other", patient: "nhs|9990000026", createdAt: at(0)), keys: [])
        }
        #expect(try t.read { try $0.requests(openOnly: false) }.map(\.id) == ["open", "done", "revoked", "other"])
        #expect(try t.read { try $0.requests(openOnly: true) }.map(\.id) == ["open", "other"])
        #expect(try t.read { try $0.requests(openOnly: false, patientKey: "nhs|9990000026") }.map(\.id) == ["other"])
        #expect(try t.read { try $0.requests(openOnly: false, limit: 1) }.map(\.id) == ["open"])
        let revoked = try #require(try t.read { try $0.request(id: "revoked") })
        #expect(revoked.status == "revoked")
        #expect(revoked.updatedAt == at(4))
    }

    @Test func aHeldReportIsFoundByTheKeysItWaitsOnUntilReleased() throws {
        try t.write { w in
            try w.insertReport(sampleReport("d1", requestKeys: ["plac|LAB|P1", "plac|LAB|P9"], receivedAt: at(1)))
            try w.addHeldKeys(["plac|LAB|P1", "plac|LAB|P9"], reportID: "d1")
            try w.insertReport(sampleReport("d2", requestKeys: ["plac|LAB|P1"], receivedAt: at(0)))
            try w.addHeldKeys(["plac|LAB|P1"], reportID: "d2")
        }
        #expect(try t.read { try $0.heldReports(keys: ["plac|LAB|P9", "plac|LAB|P1"]) }.map(\.id) == ["d1", "d2"])
        #expect(try t.read { try $0.reports(state: .held) }.map(\.id) == ["d2", "d1"], "oldest first")
        #expect(try t.read { try $0.report(identity: "v2|LAB|d1") }?.requestKeys == ["plac|LAB|P1", "plac|LAB|P9"])
        try t.write { try $0.removeHeldKeys(reportID: "d1") }
        #expect(try t.read { try $0.heldReports(keys: ["plac|LAB|P9", "plac|LAB|P1"]) }.map(\.id) == ["d2"])
    }

    @Test func linkingAReportUpdatesItAndRecordsTheLink() throws {
        try t.write { w in
            try w.insertRequest(sampleRequest("r1"), keys: ["plac|LAB|P1"])
            try w.insertReport(sampleReport("d1", requestKeys: ["plac|LAB|P1"]))
            var linked = try #require(try w.reader.report(id: "d1"))
            linked.state = .linked
            linked.requestID = "r1"
            linked.version = 2
            linked.note = "linked late"
            linked.updatedAt = at(5)
            try w.updateReport(linked)
            try w.insertLink(reportID: "d1", requestID: "r1", via: "plac|LAB|P1", at: at(5), messageID: "m9")
            try w.insertLink(reportID: "d1", requestID: "r1", via: "other", at: at(6), messageID: "m10")
        }
        let d1 = try #require(try t.read { try $0.report(id: "d1") })
        #expect(d1.state == .linked)
        #expect(d1.requestID == "r1")
        #expect(d1.version == 2)
        #expect(d1.note == "linked late")
        #expect(try t.read { try $0.reports(requestID: "r1") }.map(\.id) == ["d1"])
        let links = try t.read { try $0.links(requestID: "r1") }
        #expect(links.map { "\($0.reportID) \($0.requestID) \($0.via) \($0.at)" } == ["d1 r1 plac|LAB|P1 \(at(5))"], "the first link stays")
        #expect(try t.read { try $0.links(reportID: "d9") }.isEmpty)
        #expect(try t.read { try $0.reportCounts() }.map { "\($0.state)=\($0.count)" } == ["linked=1"])
        #expect(try t.read { try $0.reports(messageID: "m-report") }.map(\.id) == ["d1"])
    }

    @Test func aReportIdentityIsUnique() throws {
        try t.write { try $0.insertReport(sampleReport("d1")) }
        var copy = sampleReport("d2")
        copy.identity = "v2|LAB|d1"
        #expect(throws: (any Error).self) { try t.write { try $0.insertReport(copy) } }
    }
}
