import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// `ServiceRequest?identifier=` and `based-on:identifier` go through the canonical identity keys:
/// an order that came as HL7 v2 is found by its FHIR spelling, and so are the reports linked to it.
@Suite struct SearchIdentityTests {
    static let fhir = "https://fhir.example-trust.nhs.uk/Id/placer-order-number"
    static let epr = try! IdentityNamespaces([.init(name: "EPR", v2: ["EPR"], fhir: [fhir])])
    let t: TempStore

    init() throws {
        t = try TempStore(identity: Self.epr)
        try t.write { w in
            // The order came as v2 (ORC-2 = PLC1^EPR): its resource carries no FHIR identifier system.
            try w.putResource(type: "ServiceRequest", id: "sr1", resource: json(#"{"status":"active","identifier":[{"value":"PLC1"}]}"#),
                              messageID: "m1", at: at(0))
            try w.insertRequest(sampleRequest("sr1"), keys: ["plac|EPR|PLC1"])
            try w.putResource(type: "DiagnosticReport", id: "dr1", resource: json(#"{"status":"final"}"#), messageID: "m2", at: at(1))
            try w.insertReport(sampleReport("dr1", requestID: "sr1"))
            try w.putResource(type: "ServiceRequest", id: "sr2", resource: json(#"{"status":"active"}"#), messageID: "m3", at: at(2))
            try w.insertRequest(sampleRequest("sr2"), keys: ["plac|EPR|PLC2"])
        }
    }

    func identifier(_ system: String, _ value: String) -> SearchCriterion {
        SearchCriterion(name: "identifier", match: .token([.init(system: .exact(system), code: value)], codeOnly: false))
    }

    @Test func anOrderIsFoundByAnotherFormatsSpellingOfItsIdentifier() throws {
        #expect(try t.ids("ServiceRequest", identifier(Self.fhir, "PLC1")) == ["sr1"])
        #expect(try t.ids("ServiceRequest", identifier(Self.fhir, "PLC9")) == [])
        #expect(try t.ids("ServiceRequest", identifier("urn:elsewhere", "PLC1")) == [])
        let page = try t.search("ServiceRequest", [identifier(Self.fhir, "PLC2")], total: .bounded(10))
        #expect(F.ids(page) == ["sr2"])
        #expect(page.total == 1)
    }

    @Test func reportsAreFoundByTheirRequestsIdentifier() throws {
        let basedOn = SearchCriterion(name: "based-on:identifier", match: .requestIdentifier([.init(system: .exact(Self.fhir), code: "PLC1")]))
        #expect(try t.ids("DiagnosticReport", basedOn) == ["dr1"])
        let other = SearchCriterion(name: "based-on:identifier", match: .requestIdentifier([.init(system: .exact(Self.fhir), code: "PLC2")]))
        #expect(try t.ids("DiagnosticReport", other) == [])
        let noSystem = SearchCriterion(name: "based-on:identifier", match: .requestIdentifier([.init(system: .any, code: "PLC1")]))
        #expect(try t.ids("DiagnosticReport", noSystem) == [], "a value without its system names no identity")
    }

    typealias F = SearchFixture
}
