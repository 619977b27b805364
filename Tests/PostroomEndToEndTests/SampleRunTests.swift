import Foundation
import PostroomCore
import PostroomStore
import Testing

/// `inbox-sample/` through the real executable: every drop's outcome, acknowledgement, links,
/// Tasks, archive and error sidecars; then the same files again, applied nothing twice.
@Suite(.serialized) struct SampleRunTests {
    @Test func theSampleRunsEndToEndAndASecondRunAppliesNothingTwice() throws {
        let ws = try Workspace()
        try ws.dropSample()
        let first = try ws.run()
        #expect(first.code == 65, "stderr: \(first.stderr)")

        // Logs are JSON lines with ids, hashes, codes and counts: no patient data.
        let logLines = first.stderr.split(separator: "\n")
        #expect(logLines.count > 10)
        #expect(logLines.allSatisfy { (try? JSONParser().parse(String($0))) != nil })
        for phi in ["9990000018", "9990000026", "9990000034", "9990000042", "9990000050", "SMITH", "Smith", "PATEL", "Brown",
                    "BROWN", "TAYLOR", "19700101", "1965-03-14", "HIGH STREET", "LS1 1AA"] {
            #expect(!first.stderr.contains(phi), "patient data in the logs: \(phi)")
        }
        // Metrics for node_exporter's textfile collector.
        let metrics = String(decoding: ws.read("metrics.prom"), as: UTF8.self)
        #expect(metrics.contains("postroom_drops_total{channel=\"lab-orders\",outcome=\"accepted\"} 3"))
        #expect(metrics.contains("postroom_drops_total{channel=\"lab-results\",outcome=\"rejected\"} 1"))
        #expect(metrics.contains("postroom_tasks{status=\"completed\"} 5"))

        // Inboxes emptied, markers consumed, work/ empty.
        for ch in ["lab-orders", "lab-results", "referrals", "prescriptions"] {
            #expect(ws.files(in: "inbox/" + ch).isEmpty)
            #expect(ws.files(in: "work/" + ch).isEmpty)
        }

        // HL7 v2 ACKs: AA for the orders and results, AE (with ERR) for the bad NHS number; MSA-2 = MSH-10.
        let orderAcks = ws.files(in: "outbox/lab-orders")
        #expect(orderAcks.count == 4)
        func ack(_ channel: String, _ prefix: String) throws -> [UInt8] {
            let name = try #require(ws.files(in: "outbox/" + channel).first { $0.hasPrefix(prefix) })
            return ws.read("outbox/\(channel)/\(name)")
        }
        let fbc = segments(try ack("lab-orders", "01-orm-o01-full-blood-count.hl7."))
        #expect(fbc[0][8] == "ACK^O01^ACK")
        #expect(fbc[0][2] == "LABSYS" && fbc[0][4] == "GPSYSTEM")
        #expect(fbc[1][0] == "MSA" && fbc[1][1] == "AA" && fbc[1][2] == "ORM-0001")
        let bad = segments(try ack("lab-orders", "04-orm-o01-bad-nhs-number.hl7."))
        #expect(bad[1][1] == "AE" && bad[1][2] == "ORM-0003")
        #expect(bad.contains { $0[0] == "ERR" })
        let oru = segments(try ack("lab-results", "01-oru-r01-full-blood-count.hl7."))
        #expect(oru[1][1] == "AA" && oru[1][2] == "ORU-0001")
        let held = segments(try ack("lab-results", "04-oru-r01-order-never-arrived.hl7."))
        #expect(held[1][1] == "AA" && held[1][2] == "ORU-0002")

        // FHIR response messages: ok, answering the request's MessageHeader.id, destination = its source.
        let response = try json(try ack("lab-orders", "02-servicerequest-message.json."))
        #expect(response["type"]?.string == "message")
        let header = try #require(response["entry"]?[0]?["resource"])
        #expect(header["response"]?["identifier"]?.string == "7c5e3a4b-0d6f-4e8a-9b2c-3d4e5f6a7b82")
        #expect(header["response"]?["code"]?.string == "ok")
        #expect(header["destination"]?[0]?["endpoint"]?.string == "https://gp-a83008.example.nhs.uk/fhir")
        let result = try json(try ack("lab-results", "02-diagnosticreport-message.json."))
        #expect(result["entry"]?[0]?["resource"]?["response"]?["code"]?.string == "ok")
        // The truncated file and the CDA document are answered with OperationOutcomes.
        let truncated = try json(try ack("lab-results", "05-truncated-report.json."))
        #expect(truncated["resourceType"]?.string == "OperationOutcome")
        #expect(truncated["issue"]?.array?.contains { ["error", "fatal"].contains($0["severity"]?.string ?? "") } == true)
        let cda = try json(try ack("lab-results", "03-chest-x-ray-report.cda.xml."))
        #expect(cda["resourceType"]?.string == "OperationOutcome")
        #expect(cda["issue"]?.array?.allSatisfy { $0["severity"]?.string == "information" || $0["severity"]?.string == "warning" } == true)

        // Links, held result, Tasks and their history.
        let store = try ws.store()
        let reports = try store.read { try $0.reports() }
        #expect(reports.filter { $0.state == .linked }.count == 3)
        #expect(reports.filter { $0.state == .held }.count == 1)
        #expect(Set(reports.filter { $0.state == .linked }.map(\.kind)) == ["DiagnosticReport", "DocumentReference"])
        let tasks = try store.read { try $0.tasks() }
        // Three lab Tasks, the prescription's (its own checks below) and the eRS referral's booking sub-task.
        #expect(tasks.filter { $0.status == .completed }.count == 5)
        #expect(tasks.filter { $0.status == .completed && $0.partOf == nil && $0.channel != "prescriptions" }.count == 3)
        #expect(tasks.filter { $0.status == .requested }.count == 1)
        for t in tasks where t.status == .completed && t.partOf == nil && t.channel != "prescriptions" {
            let h = try store.read { try $0.taskHistory(taskID: t.id) }
            #expect(h.map(\.to) == ["requested", "accepted", "in-progress", "completed"])
            #expect(h.allSatisfy { $0.messageID != nil })
            let linked = try #require(reports.first { $0.requestID == t.focusRequestID })
            #expect(h.last?.reason.contains(linked.id) == true)
        }
        let referral = try #require(tasks.first { $0.status == .requested })
        #expect(referral.channel == "referrals")
        // The eRS referral: triaged (accept, book later), then booked by a BaRS booking-request.
        let ers = try #require(tasks.first { $0.status == .inProgress })
        let ersTask = try #require(try store.read { try $0.resource(type: "Task", id: ers.id) })
        #expect(ReferralPlanner.businessStatus(of: ersTask) == "BOOKED")
        #expect(try store.read { try $0.taskHistory(taskID: ers.id) }.map(\.to) == ["requested", "accepted", "in-progress"])
        let booking = try #require(try store.read { try $0.subtasks(of: ers.id) }.first)
        #expect(booking.status == .completed)
        let appointmentRef = try #require(try store.read { try $0.resource(type: "Task", id: booking.id) }?["output"]?[0]?["valueReference"]?["reference"]?.string)
        let appointment = try #require(try store.read { try $0.resource(type: "Appointment", id: String(appointmentRef.dropFirst(12))) })
        #expect(appointment["basedOn"]?[0]?["reference"]?.string == "ServiceRequest/" + (ers.focusRequestID ?? "-"))

        // The prescription: ordered with a nominated pharmacy, released to it, dispensed in part, then in full.
        let rx = try #require(try store.read { try $0.prescriptions() }.first)
        #expect(rx.id == "7C21A4-A83008-0001AW" && rx.nominated == "FA565" && rx.dispenser == "FA565" && rx.businessStatus == "0006")
        let rxTask = try #require(tasks.first { $0.id == rx.taskID })
        #expect(rxTask.status == .completed && rxTask.channel == "prescriptions")
        let rxHistory = try store.read { try $0.taskHistory(taskID: rx.taskID) }
        #expect(rxHistory.map(\.to) == ["requested", "accepted", "in-progress", "completed"])
        #expect(Set(rxHistory.compactMap(\.messageID)).count == 4)
        #expect(try store.read { try $0.prescriptionItems(prescriptionID: rx.id) }.map(\.status) == ["completed", "completed"])
        #expect(try store.read { try $0.dispenseNotifications(prescriptionID: rx.id) }.map(\.dispenses.count) == [2, 1])
        // The pharmacy got the Task at each step; the prescriber (A83008, routed to the broker's own outbox) each change.
        #expect(ws.files(in: "outbox/pharmacy").count == 4)
        #expect(ws.files(in: "outbox/prescriptions").filter { $0.hasPrefix("Task-") }.count == 3)

        // Archive: the fifteen accepted originals and a manifest.
        let archives = try ws.archives()
        #expect(archives.count == 1)
        let members = try #require(archives.values.first)
        #expect(members.count == 16)
        let manifest = try json(try #require(members["manifest.json"]))
        #expect(manifest["drops"]?.array?.count == 15)
        for entry in manifest["drops"]?.array ?? [] {
            let member = try #require(entry["member"]?.string)
            let original = try #require(members[member])
            let name = try #require(entry["name"]?.string)
            let channel = try #require(entry["channel"]?.string)
            #expect(original == [UInt8](FileManager.default.contents(atPath: repositoryRoot + "/inbox-sample/\(channel)/\(name)")!))
        }

        // Every FHIR file written and every resource stored is valid R4 by Postroom's own validator.
        let invalid = try fhirErrors(in: ws, channels: ["lab-orders", "lab-results", "referrals", "prescriptions", "pharmacy"])
        #expect(invalid.isEmpty, "\(invalid)")
        let bogus: JSONValue = ["resourceType": "Task", "status": "bogus"]
        let bogusErrors = FHIRValidator().validate(bogus).issues.filter(\.isError)
        #expect(!bogusErrors.isEmpty, "the validator must be able to fail")

        // Rejected originals in error/ with their reasons.
        let nhsSidecar = try json(ws.read("error/lab-orders/04-orm-o01-bad-nhs-number.hl7.error.json"))
        let codes = (nhsSidecar["messages"]?[0]?["issues"]?.array ?? []).compactMap { $0["code"]?.string }
        #expect(codes.contains("nhs-number-check-digit"))
        #expect(!ws.read("error/lab-orders/04-orm-o01-bad-nhs-number.hl7").isEmpty)
        let truncSidecar = try json(ws.read("error/lab-results/05-truncated-report.json.error.json"))
        #expect(truncSidecar["outcome"]?.string == "rejected")

        // The same files again: duplicates, their original acknowledgements byte for byte, nothing applied twice.
        let counts = { () throws -> [Int] in
            try store.read { r in
                [try r.requests(openOnly: false).count, try r.reports().count, try r.tasks().count,
                 try r.tasks().reduce(0) { $0 + (try r.taskHistory(taskID: $1.id).count) },
                 try r.resourceCounts().reduce(0) { $0 + $1.count }]
            }
        }
        let before = try counts()
        try ws.dropSample()
        let second = try ws.run()
        #expect(second.code == 65)
        #expect(try counts() == before)
        let secondSummary = try json(Array(second.stdout.utf8))
        #expect(secondSummary["channels"]?["lab-results"]?["duplicates"] == .number("4"))
        #expect(secondSummary["channels"]?["lab-orders"]?["duplicates"] == .number("3"))
        for ch in ["lab-orders", "lab-results", "referrals"] {
            let acks = ws.files(in: "outbox/" + ch)
            let byDrop = Dictionary(grouping: acks) { String($0.split(separator: ".").prefix(2).joined(separator: ".")) }
            for (drop, files) in byDrop where !drop.contains("bad-nhs") && !drop.contains("truncated") {
                #expect(files.count == 2, "\(drop)")
                #expect(Set(files.map { ws.read("outbox/\(ch)/\($0)") }).count == 1, "\(drop): the original acknowledgement again")
            }
        }
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func fixture(_ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: fixtures + "/" + name) ?? Data())
    }

    @Test func realCorpusFilesWrittenByOthersLinkOrderAndResult() throws {
        let ws = try Workspace()
        try ws.drop(Self.fixture("ti_003_1_ORM_O01_short_linked_to_002_ORU_R01_short.hl7"), as: "a-order.hl7", channel: "lab-orders")
        try ws.drop(Self.fixture("ti_002_1_ORU_R01_short_linked_to_003_ORM_O01_short.hl7"), as: "b-result.hl7", channel: "lab-results")
        let r = try ws.run()
        #expect(r.code == 0, "\(r.stdout)")
        let store = try ws.store()
        let report = try #require(try store.read { try $0.reports().first })
        #expect(report.state == .linked)
        #expect(try store.read { try $0.tasks().first?.status } == .completed)
        // The ACK of the result (enhanced mode: MSH-15/16 = AL) answers its MSH-10.
        let ack = try #require(ws.files(in: "outbox/lab-results").first)
        let segs = segments(ws.read("outbox/lab-results/" + ack))
        #expect(segs.contains { $0[0] == "MSA" && $0[2] == "20230607002849_0365" })
    }

    @Test func realCorpusFilesWithAnUnsupportedProcessingIDAreRejectedWithAReason() throws {
        let ws = try Workspace()
        try ws.drop(Self.fixture("ti_001_Staging_ORM_O01_short_linked_to_002_ORU.hl7"), as: "order.hl7", channel: "lab-orders")
        let r = try ws.run()
        #expect(r.code == 65)
        let ack = try #require(ws.files(in: "outbox/lab-orders").first)
        let segs = segments(ws.read("outbox/lab-orders/" + ack))
        #expect(segs.contains { $0[0] == "MSA" && $0[1] == "AR" && $0[2] == "001" })
        #expect(segs.contains { $0[0] == "ERR" && $0.count > 3 && $0[3].hasPrefix("202") })
        let sidecar = try json(ws.read("error/lab-orders/order.hl7.error.json"))
        #expect(sidecar["messages"]?[0]?["issues"]?.array?.contains { $0["code"]?.string == "unsupported-processing-id" } == true)
    }
}
