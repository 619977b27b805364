import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Token and reference parameters of the search index.
@Suite struct SearchTokenTests {
    typealias F = SearchFixture
    let t: TempStore
    init() throws {
        t = try TempStore()
        try F.load(t)
    }

    @Test func identifierTokensMatchBySystemAndCode() throws {
        #expect(try t.read { try $0.hasSearchIndex() })
        #expect(try t.ids("ServiceRequest", F.token("identifier", .exact("urn:lab"), "A2")) == ["sr02"])
        #expect(try t.ids("ServiceRequest", F.token("identifier", .any, "A3")) == ["sr03"])
        #expect(try t.ids("ServiceRequest", F.token("identifier", .none, "A3")) == [], "A3 has a system")
        #expect(try t.ids("ServiceRequest", F.token("identifier", .exact("urn:other"), "A3")) == [])
        #expect(try t.ids("ServiceRequest", F.token("identifier", .exact("urn:lab"), nil)) == ["sr01", "sr02", "sr03", "sr04", "sr05"])
        #expect(try t.ids("Patient", F.token("identifier", .exact(F.nhs), "9990000018")) == ["p1"])
    }

    @Test func statusValuesAreAlternativesAndCriteriaAllApply() throws {
        #expect(try t.ids("ServiceRequest", F.status("completed")) == ["sr03"])
        #expect(try t.ids("ServiceRequest", F.status("completed", "active")) == ["sr01", "sr02", "sr03", "sr04", "sr05"])
        let subject = SearchCriterion(name: "subject", match: .reference(["Patient/p1"]))
        #expect(try t.ids("ServiceRequest", F.status("active"), subject) == ["sr01", "sr02"])
        #expect(try t.ids("ServiceRequest", F.status("completed"), subject) == [])
        #expect(try t.ids("DiagnosticReport", F.status("final")) == ["dr1"])
        #expect(try t.ids("Task", F.status("active")) == [])
    }

    @Test func referencesMatchLiterally() throws {
        #expect(try t.ids("ServiceRequest", SearchCriterion(name: "subject", match: .reference(["Patient/p1"]))) == ["sr01", "sr02"])
        #expect(try t.ids("ServiceRequest", SearchCriterion(name: "subject", match: .reference(["Patient/p9", "Patient/p1"]))) == ["sr01", "sr02"])
        #expect(try t.ids("DiagnosticReport", SearchCriterion(name: "based-on", match: .reference(["ServiceRequest/sr01"]))) == ["dr1"])
        #expect(try t.ids("DiagnosticReport", SearchCriterion(name: "result", match: .reference(["Observation/o1"]))) == ["dr1"])
    }

    @Test func aReportsObservationsAreBasedOnWhatTheReportIsBasedOn() throws {
        let basedOn = SearchCriterion(name: "based-on", match: .reference(["ServiceRequest/sr01"]))
        #expect(try t.ids("Observation", basedOn) == ["o1"])
        try t.write { try $0.putResource(type: "DiagnosticReport", id: "dr1", resource: json(#"{"status":"final"}"#), messageID: nil, at: at(1)) }
        #expect(try t.ids("Observation", basedOn) == [], "the report's rows went with its old version")
    }

    @Test func anUpdatedResourceIsIndexedByItsNewVersionOnly() throws {
        try t.write { try $0.putResource(type: "ServiceRequest", id: "sr03", resource: json(F.request(3, "active", #""intent":"order""#)),
                                         messageID: nil, at: at(1)) }
        #expect(try t.ids("ServiceRequest", F.status("completed")) == [])
        #expect(try t.ids("ServiceRequest", F.status("active")) == ["sr01", "sr02", "sr03", "sr04", "sr05"])
    }

    @Test func subjectIdentifierMatchesTheReferenceIdentifierOrTheReferencedPatient() throws {
        let viaPatient = SearchCriterion(name: "subject:identifier", match: .subjectIdentifier([.init(system: .exact(F.nhs), code: "9990000018")]))
        #expect(try t.ids("ServiceRequest", viaPatient) == ["sr01", "sr02"])
        let direct = SearchCriterion(name: "subject:identifier", match: .subjectIdentifier([.init(system: .exact(F.nhs), code: "9990000026")]))
        #expect(try t.ids("ServiceRequest", direct) == ["sr04"])
        let either = SearchCriterion(name: "subject:identifier", match: .subjectIdentifier([.init(system: .any, code: "9990000026"),
                                                                                           .init(system: .any, code: "9990000018")]))
        #expect(try t.ids("ServiceRequest", either) == ["sr01", "sr02", "sr04"])
    }
}
