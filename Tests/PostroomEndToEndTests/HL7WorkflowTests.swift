import Foundation
import PostroomCore
import PostroomStore
import Testing

/// HL7 v2 order and referral workflows through real folders: the Task follows ORC-1, OBR-25 and RF1-1.
@Suite struct HL7WorkflowTests {
    static func hl7(_ segments: [String]) -> [UInt8] { Array(segments.joined(separator: "\r").utf8) + [0x0D] }

    static let pid = "PID|1||9990000018^^^NHS^NH||SMITH^JANE||19700101|F"

    static func orm(_ id: String, control: String, _ orc: String, from app: String = "GPSYSTEM", to: String = "LABSYS") -> [UInt8] {
        hl7(["MSH|^~\\&|\(app)|A83008|\(to)|RX1LAB|20261126091500||ORM^O01^ORM_O01|\(control)|P|2.5.1", pid, orc,
             "OBR|1|\(id)^GPSYSTEM||26604007^Full blood count^SCT"])
    }

    static func oru(_ id: String, control: String, status: String, value: String = "135") -> [UInt8] {
        hl7(["MSH|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126153000||ORU^R01^ORU_R01|\(control)|P|2.5.1", pid,
             "ORC|RE|\(id)^GPSYSTEM|LAB-\(id)^LABSYS",
             "OBR|1|\(id)^GPSYSTEM|LAB-\(id)^LABSYS|26604007^Full blood count^SCT||||||||||||||||||||\(status)",
             "OBX|1|NM|718-7^Hemoglobin^LN||\(value)|g/L^g/L^UCUM|115-165|N|||\(status == "C" ? "C" : status)"])
    }

    func workspace() throws -> Workspace {
        let ws = try Workspace()
        try """
            { "data": "data", "channels": [
                { "name": "orders", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } },
                { "name": "results", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        return ws
    }

    func task(_ ws: Workspace) throws -> (TaskRecord, [String]) {
        let store = try ws.store()
        let t = try #require(try store.read { try $0.tasks().first })
        return (t, try store.read { try $0.taskHistory(taskID: t.id) }.map(\.to))
    }

    @Test func anOrderIsAcceptedWorkedOnCompletedAndCorrected() throws {
        let ws = try workspace()
        try ws.drop(Self.orm("ORD5001", control: "M1", "ORC|NW|ORD5001^GPSYSTEM"), as: "1.hl7", channel: "orders")
        _ = try ws.run()
        #expect(try task(ws).0.status == .requested)
        // The filler accepts and gives its number.
        try ws.drop(Self.orm("ORD5001", control: "M2", "ORC|OK|ORD5001^GPSYSTEM|LAB-ORD5001^LABSYS", from: "LABSYS", to: "GPSYSTEM"),
                    as: "2.hl7", channel: "orders")
        _ = try ws.run()
        #expect(try task(ws).0.status == .accepted)
        try ws.drop(Self.oru("ORD5001", control: "R1", status: "P"), as: "3.hl7", channel: "results")
        _ = try ws.run()
        #expect(try task(ws).0.status == .inProgress)
        try ws.drop(Self.oru("ORD5001", control: "R2", status: "F"), as: "4.hl7", channel: "results")
        _ = try ws.run()
        #expect(try task(ws).1 == ["requested", "accepted", "in-progress", "completed"])
        try ws.drop(Self.oru("ORD5001", control: "R3", status: "C", value: "140"), as: "5.hl7", channel: "results")
        #expect(try ws.run().code == 0)
        let store = try ws.store()
        let reports = try store.read { try $0.reports() }
        #expect(reports.count == 1, "a corrected result is a new version, never a second report")
        #expect(reports[0].status == "corrected" && reports[0].version == 3)
        #expect(try store.read { try $0.resourceHistory(type: "DiagnosticReport", id: reports[0].id) }.count == 3)
        #expect(try task(ws).1 == ["requested", "accepted", "in-progress", "completed"], "a correction does not re-open the Task")
        // The filler number learnt from OK is a key of the request.
        let request = try #require(try store.read { try $0.requests(openOnly: false).first })
        #expect(try store.read { try $0.requestKeys(requestID: request.id) }.contains { $0.hasPrefix("fill|") })
    }

    @Test func aCancelRequestWaitsForTheConfirmation() throws {
        let ws = try workspace()
        try ws.drop(Self.orm("ORD5002", control: "C1", "ORC|NW|ORD5002^GPSYSTEM"), as: "1.hl7", channel: "orders")
        try ws.drop(Self.orm("ORD5002", control: "C2", "ORC|CA|ORD5002^GPSYSTEM"), as: "2.hl7", channel: "orders")
        _ = try ws.run()
        #expect(try task(ws).0.status == .requested)
        try ws.drop(Self.orm("ORD5002", control: "C3", "ORC|CR|ORD5002^GPSYSTEM|LAB-ORD5002^LABSYS", from: "LABSYS", to: "GPSYSTEM"),
                    as: "3.hl7", channel: "orders")
        _ = try ws.run()
        #expect(try task(ws).0.status == .cancelled)
        #expect(try ws.store().read { try $0.requests(openOnly: false).first?.status } == "revoked")
    }

    @Test func aReferralIsAcceptedByItsResponse() throws {
        let ws = try workspace()
        let ref = Self.hl7([
            "MSH|^~\\&|GPSYSTEM|A83008|RXREF|RX1|20261126100000||REF^I12^REF_I12|REF1|P|2.5.1",
            "RF1|P^Pending^HL70283|R^Routine^HL70280|Med^Medical^HL70281||O^Outpatient^HL70284|REF-1001^GPSYSTEM",
            "PRD|RP^Referring Provider^HL70286|JONES^DAVID^^^DR",
            Self.pid,
        ])
        let rri = Self.hl7([
            "MSH|^~\\&|RXREF|RX1|GPSYSTEM|A83008|20261127100000||RRI^I12^RRI_I12|RRI1|P|2.5.1",
            "MSA|AA|REF1",
            "RF1|A^Accepted^HL70283|R^Routine^HL70280|Med^Medical^HL70281||O^Outpatient^HL70284|REF-1001^GPSYSTEM",
            "PRD|RT^Referred to Provider^HL70286|SHAH^PRIYA^^^DR",
            Self.pid,
        ])
        try ws.drop(ref, as: "1-ref.hl7", channel: "orders")
        #expect(try ws.run().code == 0)
        let request = try #require(try ws.store().read { try $0.requests(openOnly: false).first })
        #expect(request.isReferral)
        try ws.drop(rri, as: "2-rri.hl7", channel: "orders")
        #expect(try ws.run().code == 0)
        #expect(try task(ws).1 == ["requested", "accepted"])
    }
}
