import Foundation
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing

/// A group of one-message drops is settled with its savepoints elided (`SavepointPolicy`); a message
/// refused while it is applied makes the group settle again with savepoints, so the refused message's
/// changes are undone and nothing else is lost or applied twice.
@Suite struct ElidedSavepointTests {
    static func order(_ n: Int, nhs: String) -> [UInt8] {
        Array((["MSH|^~\\&|GPSYSTEM|A83008|LABSYS|RX1LAB|20261126150000||ORM^O01^ORM_O01|O-\(n)|P|2.5.1",
                "PID|1||\(nhs)^^^NHS^NH||TEST^PATIENT||19800101|M",
                "ORC|NW|ORD\(n)^GPSYSTEM",
                "OBR|1|ORD\(n)^GPSYSTEM||26604007^Full blood count^SCT"].joined(separator: "\r") + "\r").utf8)
    }

    static func result(_ n: Int, nhs: String) -> [UInt8] {
        Array((["MSH|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126153000||ORU^R01^ORU_R01|R-\(n)|P|2.5.1",
                "PID|1||\(nhs)^^^NHS^NH||TEST^PATIENT||19800101|M",
                "ORC|RE|ORD\(n)^GPSYSTEM|LAB\(n)^LABSYS",
                "OBR|1|ORD\(n)^GPSYSTEM|LAB\(n)^LABSYS|26604007^Full blood count^SCT||||||||||||||||||||F",
                "OBX|1|NM|718-7^Hemoglobin^LN||131|g/L^g/L^UCUM|115-165|N|||F",
                "OBX|2|NM|6690-2^Leukocytes^LN||6.1|10*9/L^10*9/L^UCUM|4.0-11.0|N|||F"].joined(separator: "\r") + "\r").utf8)
    }

    @Test func aRefusedResultInAGroupUndoesOnlyItsOwnChanges() throws {
        let h = try PipelineHarness()
        for n in 1...3 { try h.drop("order\(n).hl7", Self.order(n, nhs: "9990000018")) }
        _ = try h.pipeline.runOnce()
        // One run, one group: two results for their own patient, one naming an order of another patient.
        try h.drop("r1.hl7", Self.result(1, nhs: "9990000018"))
        try h.drop("r2.hl7", Self.result(2, nhs: "9990000026"))
        try h.drop("r3.hl7", Self.result(3, nhs: "9990000018"))
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 2 && s.total.rejected == 1, "\(s.total)")
        let drops = try h.drops()
        #expect(drops.first { $0.name == "r2.hl7" }?.outcome == .rejected)
        #expect(drops.filter { $0.name.hasPrefix("r") }.map(\.outcome).filter { $0 == .accepted }.count == 2)
        let reports = try h.pipeline.store.read { try $0.reports() }
        #expect(reports.count == 2 && reports.allSatisfy { $0.state == .linked })
        let counts = try h.pipeline.store.read { try $0.resourceCounts() }
        // Two Observations per accepted result; the refused one's were stored before it was refused, and undone.
        #expect(counts.first { $0.type == "Observation" }?.count == 4, "\(counts)")
        #expect(counts.first { $0.type == "DiagnosticReport" }?.count == 2, "\(counts)")
        #expect(try h.pipeline.store.read { try $0.taskCounts() }.first { $0.status == "completed" }?.count == 2)
    }
}
