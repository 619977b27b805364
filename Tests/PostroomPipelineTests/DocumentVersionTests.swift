import Foundation
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing

@Suite struct DocumentVersionTests {
    static func document(_ id: String, replaces: String? = nil, order: String? = "RAD1", status: String = "final") -> ReportFacts {
        ReportFacts(kind: .document, resource: .object(JSONObject([
            "resourceType": "DocumentReference", "status": "current",
            "content": [["attachment": ["contentType": "application/hl7-v3+xml"]]],
        ])), requestKeys: order.map { [CorrelationKey.placer(namespace: "GP", value: $0)] } ?? [],
            identity: "cda|1.2.3|\(id)", status: status, replaces: replaces.map { "cda|1.2.3|\($0)" })
    }

    @Test func aReplacementSupersedesItsParentAndBothAreKept() throws {
        let h = try WorkflowHarness()
        try h.apply(Facts.message(requests: [Facts.request("RAD1")]))
        try h.apply(Facts.message(reports: [Self.document("DOC-1")]))
        let r = try h.apply(Facts.message(reports: [Self.document("DOC-2", replaces: "DOC-1", order: nil, status: "amended")]))
        #expect(r.disposition == .accepted)
        let reports = try h.read { try $0.reports() }
        #expect(reports.count == 2)
        let parent = try #require(reports.first { $0.identity.hasSuffix("DOC-1") })
        let child = try #require(reports.first { $0.identity.hasSuffix("DOC-2") })
        #expect(parent.state == .superseded && parent.supersededBy == child.id)
        #expect(child.state == .linked && child.requestID == parent.requestID)
        let parentJSON = try #require(try h.read { try $0.resource(type: "DocumentReference", id: parent.id) })
        #expect(parentJSON["status"]?.string == "superseded")
        // The Task completed with the first report stays completed.
        #expect(try h.read { try $0.tasks().first?.status } == .completed)
    }

    @Test func aReplacementThatArrivesBeforeItsParentIsHeldThenSupersedesIt() throws {
        let h = try WorkflowHarness()
        try h.apply(Facts.message(requests: [Facts.request("RAD1")]))
        let early = try h.apply(Facts.message(reports: [Self.document("DOC-2", replaces: "DOC-1", order: nil, status: "amended")]))
        #expect(early.disposition == .held)
        #expect(early.issues.contains { $0.code == "replacement-held" })
        #expect(try h.read { try $0.tasks().first?.status } == .requested)
        let parent = try h.apply(Facts.message(reports: [Self.document("DOC-1")]))
        #expect(parent.disposition == .accepted)
        #expect(parent.issues.contains { $0.code == "replacement-released" })
        let reports = try h.read { try $0.reports() }
        let p = try #require(reports.first { $0.identity.hasSuffix("DOC-1") })
        let c = try #require(reports.first { $0.identity.hasSuffix("DOC-2") })
        #expect(p.state == .superseded && p.supersededBy == c.id)
        #expect(c.state == .linked)
        #expect(try h.read { try $0.tasks().first?.status } == .completed)
    }

    @Test func aReplacementForAnotherPatientIsRefused() throws {
        let h = try WorkflowHarness()
        try h.apply(Facts.message(patient: Facts.alice, reports: [Self.document("DOC-1", order: "X")]))
        let r = try h.apply(Facts.message(patient: Facts.bob, reports: [Self.document("DOC-2", replaces: "DOC-1", order: nil)]))
        #expect(r.disposition == .rejected)
        #expect(r.issues.contains { $0.code == "patient-mismatch" })
    }

    @Test func anAddendumLeavesItsParentCurrent() throws {
        let h = try WorkflowHarness()
        try h.apply(Facts.message(requests: [Facts.request("RAD1")]))
        try h.apply(Facts.message(reports: [Self.document("DOC-1")]))
        try h.apply(Facts.message(reports: [Self.document("DOC-3", status: "appended")]))
        let reports = try h.read { try $0.reports() }
        #expect(reports.count == 2 && reports.allSatisfy { $0.state == .linked })
    }
}
