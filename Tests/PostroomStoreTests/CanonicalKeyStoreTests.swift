import Foundation
import GRDB
import PostroomCore
@testable import PostroomStore
import Testing

/// With namespaces configured, every spelling of one order, Task or held key meets under one
/// canonical key; the literal key is kept beside it so keys can be re-derived.
@Suite struct CanonicalKeyStoreTests {
    static let oid = "2.16.840.1.113883.2.1.3.2.4.18.42"
    static let fhir = "https://fhir.example-trust.nhs.uk/Id/placer-order-number"
    static let epr = try! IdentityNamespaces([.init(name: "EPR", v2: ["EPR"], fhir: [fhir], oid: [oid])])
    let t: TempStore
    init() throws { t = try TempStore(identity: Self.epr) }

    @Test func aRequestKeyIsIndexedCanonicallyWithItsLiteralBeside() throws {
        try t.write { try $0.insertRequest(sampleRequest("r1"), keys: ["plac|EPR|PLC1", "ref|ServiceRequest/r1"]) }
        #expect(try t.read { try $0.requestKeys(requestID: "r1") } == ["ns|EPR|PLC1", "ref|ServiceRequest/r1"])
        let literals = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT key, literal FROM request_key ORDER BY key").map { "\($0[0] as String) \($0[1] as String? ?? "-")" }
        }
        #expect(literals == ["ns|EPR|PLC1 plac|EPR|PLC1", "ref|ServiceRequest/r1 -"])
        for spelling in ["id|\(Self.fhir)|PLC1", "plac|urn:oid:\(Self.oid)|PLC1", "plac|EPR|PLC1"] {
            #expect(try t.read { try $0.requestMatches(keys: [spelling]) }.map { "\($0.key) \($0.request.id)" } == ["ns|EPR|PLC1 r1"])
        }
    }

    @Test func heldReportsAndTasksMeetTheirOtherSpellings() throws {
        try t.write { w in
            try w.insertReport(sampleReport("d1", requestKeys: ["plac|urn:oid:\(Self.oid)|PLC2"]))
            try w.addHeldKeys(["plac|urn:oid:\(Self.oid)|PLC2"], reportID: "d1")
            try w.insertTask(sampleTask("t1"), keys: ["id|\(Self.fhir)|T1"])
        }
        #expect(try t.read { try $0.heldReports(keys: ["plac|EPR|PLC2"]) }.map(\.id) == ["d1"])
        #expect(try t.read { try $0.task(keys: ["plac|EPR|T1"]) }?.id == "t1")
        #expect(try t.read { try $0.task(keys: ["plac|OTHER|T1"]) } == nil)
    }

    @Test func aFreshStoreIsKeyedOnceAndReKeyedWhenNamespacesChange() throws {
        try t.write { try $0.insertRequest(sampleRequest("r1"), keys: ["plac|EPR|PLC1"]) }
        #expect(try t.write { try $0.rekeyIfNeeded() } == false)
        try t.reopen(identity: try IdentityNamespaces([.init(name: "TRUST", v2: ["EPR"])]))
        #expect(try t.read { try $0.requestKeys(requestID: "r1") } == ["ns|TRUST|PLC1"])
        try t.reopen(identity: .standard)
        #expect(try t.read { try $0.requestKeys(requestID: "r1") } == ["plac|EPR|PLC1"])
    }
}
