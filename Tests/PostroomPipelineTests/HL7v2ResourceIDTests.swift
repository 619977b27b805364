import Foundation
import PostroomCore
@testable import PostroomPipeline
@testable import PostroomStore
import Testing

/// The resources Postroom makes from HL7 v2 messages are stored under ids of Postroom's own (lower-case,
/// time-ordered ULIDs), never under the ids the v2 reader derives to tie a report to its Observations.
@Suite struct HL7v2ResourceIDTests {
    static func decode(_ segments: [String]) -> InboundMessage {
        HL7v2Decoder.decodeMessage(Array((segments.joined(separator: "\r") + "\r").utf8), options: DecodeOptions())
    }

    static let order = decode([
        "MSH|^~\\&|GPSYSTEM|A83008|LABSYS|RX1LAB|20261126150000||ORM^O01^ORM_O01|O-1|P|2.5.1",
        "PID|1||9990000018^^^NHS^NH||TEST^PATIENT||19700101|F",
        "ORC|NW|ORD1^GPSYSTEM",
        "OBR|1|ORD1^GPSYSTEM||26604007^Full blood count^SCT",
    ])

    static func result(status: String, control: String) -> InboundMessage {
        decode([
            "MSH|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126153000||ORU^R01^ORU_R01|\(control)|P|2.5.1",
            "PID|1||9990000018^^^NHS^NH||TEST^PATIENT||19700101|F",
            "ORC|RE|ORD1^GPSYSTEM|LAB1^LABSYS",
            "OBR|1|ORD1^GPSYSTEM|LAB1^LABSYS|26604007^Full blood count^SCT||||||||||||||||||||\(status)",
            "OBX|1|NM|718-7^Hemoglobin^LN||131|g/L^g/L^UCUM|115-165|N|||\(status)",
            "OBX|2|NM|6690-2^Leukocytes^LN||6.1|10*9/L^10*9/L^UCUM|4.0-11.0|N|||\(status)",
        ])
    }

    /// A lower-case ULID: 26 characters of Crockford base32.
    static func isPostroomID(_ id: String) -> Bool {
        id.count == 26 && id.allSatisfy { "0123456789abcdefghjkmnpqrstvwxyz".contains($0) }
    }

    /// The Observations' ids are generated in one message: their first versions share one view key (a range).
    @Test func aResultsObservationsShareOneViewKey() throws {
        let h = try WorkflowHarness()
        #expect(try h.apply(Self.result(status: "F", control: "R-9")).disposition == .held)
        let keys: [(id: String, version: Int)] = try h.read { r in
            try r.db.rows("SELECT id, version FROM view_key WHERE type = 'Observation'").map { ($0[0], $0[1]) }
        }
        #expect(keys.count == 1 && keys.first?.id.hasPrefix("~") == true && keys.first?.version == 2, "\(keys)")
        let report = try #require(try h.read { try $0.reports().first })
        let dr = try #require(try h.read { try $0.resource(type: "DiagnosticReport", id: report.id) })
        for ref in (dr["result"]?.array ?? []).compactMap({ $0["reference"]?.string }) {
            #expect(try h.read { try $0.resource(type: "Observation", id: String(ref.dropFirst("Observation/".count))) } != nil)
        }
    }

    /// The report names its Observations in the order of their OBX segments, and every one of them,
    /// however many, by the id it is stored under (`Applier.prepareByPosition`).
    @Test func aReportNamesItsObservationsInTheOrderOfTheirOBXSegments() throws {
        let h = try WorkflowHarness()
        let codes = (1...12).map { "\(1000 + $0)-\($0 % 10)" }
        let message = Self.decode([
            "MSH|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126153000||ORU^R01^ORU_R01|R-12|P|2.5.1",
            "PID|1||9990000018^^^NHS^NH||TEST^PATIENT||19700101|F",
            "OBR|1|ORD7^GPSYSTEM|LAB7^LABSYS|26604007^Full blood count^SCT||||||||||||||||||||F",
        ] + codes.enumerated().map { k, code in "OBX|\(k + 1)|NM|\(code)^Test \(k)^LN||\(k)|g/L^g/L^UCUM|||||F" })
        #expect(try h.apply(message).disposition == .held)
        let report = try #require(try h.read { try $0.reports().first })
        let dr = try #require(try h.read { try $0.resource(type: "DiagnosticReport", id: report.id) })
        let refs = (dr["result"]?.array ?? []).compactMap { $0["reference"]?.string }
        #expect(refs.count == 12 && Set(refs).count == 12)
        let stored = try refs.map { ref in
            try #require(try h.read { try $0.resource(type: "Observation", id: String(ref.dropFirst("Observation/".count))) })
        }
        #expect(stored.map { $0["code"]?["coding"]?[0]?["code"]?.string } == codes)
        #expect(stored.allSatisfy { $0["subject"] == dr["subject"] && $0["subject"] != nil })
    }

    @Test func anOrderAndItsResultGetPostroomIDsAndStillPointAtEachOther() throws {
        let h = try WorkflowHarness()
        #expect(Self.order.requests.first?.resource["id"]?.string?.hasPrefix("v2sr-") == true)
        #expect(try h.apply(Self.order).disposition == .accepted)
        let request = try #require(try h.read { try $0.requests(openOnly: false).first })
        #expect(Self.isPostroomID(request.id))

        let oru = Self.result(status: "F", control: "R-1")
        #expect(oru.reports.first?.resource["id"]?.string?.hasPrefix("v2dr-") == true)
        #expect(try h.apply(oru).disposition == .accepted)
        let report = try #require(try h.read { try $0.reports().first })
        #expect(Self.isPostroomID(report.id))
        #expect(report.id > request.id, "time-ordered: made later, sorts later")
        #expect(report.state == .linked && report.requestID == request.id)
        let dr = try #require(try h.read { try $0.resource(type: "DiagnosticReport", id: report.id) })
        #expect((dr["basedOn"]?.array ?? []).compactMap { $0["reference"]?.string } == ["ServiceRequest/" + request.id])
        let results = (dr["result"]?.array ?? []).compactMap { $0["reference"]?.string }
        #expect(results.count == 2)
        for ref in results {
            let id = String(ref.dropFirst("Observation/".count))
            #expect(ref.hasPrefix("Observation/") && Self.isPostroomID(id))
            let obs = try #require(try h.read { try $0.resource(type: "Observation", id: id) })
            #expect(obs["subject"]?["reference"]?.string == dr["subject"]?["reference"]?.string)
        }
        #expect(try h.read { try $0.tasks().first?.status } == .completed)
    }

    @Test func aCorrectionIsANewVersionOfTheSameReportWithObservationsOfItsOwn() throws {
        let h = try WorkflowHarness()
        try h.apply(Self.order)
        try h.apply(Self.result(status: "F", control: "R-1"))
        let first = try #require(try h.read { try $0.reports().first })
        let before = try #require(try h.read { try $0.resource(type: "DiagnosticReport", id: first.id) })
        #expect(try h.apply(Self.result(status: "C", control: "R-2")).disposition == .accepted)
        let reports = try h.read { try $0.reports() }
        #expect(reports.count == 1 && reports[0].id == first.id && reports[0].version == 2)
        let after = try #require(try h.read { try $0.resource(type: "DiagnosticReport", id: first.id) })
        #expect(after["status"]?.string == "corrected")
        #expect(after["meta"]?["versionId"]?.string == "2")
        let old = Set((before["result"]?.array ?? []).compactMap { $0["reference"]?.string })
        let new = Set((after["result"]?.array ?? []).compactMap { $0["reference"]?.string })
        #expect(old.count == 2 && new.count == 2 && old.isDisjoint(with: new))
        for ref in old.union(new) {
            #expect(try h.read { try $0.hasResource(type: "Observation", id: String(ref.dropFirst("Observation/".count))) })
        }
    }
}
