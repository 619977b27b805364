import Foundation
import HummingbirdTesting
import PostroomCore
import PostroomServer
import Testing

/// The sample's eRS referral (UBRN 000049295720, triaged and booked) through the FHIR query API:
/// the referral by its UBRN in either spelling, its Tasks by focus (or the UBRN) and part-of, and the
/// Appointment booked for it by based-on (or the UBRN).
@Suite struct ReferralSearchTests {
    static let ubrn = "000049295720"
    static let lower = "https://fhir.nhs.uk/Id/ubrn"
    static let upper = "https://fhir.nhs.uk/Id/UBRN"

    func search(_ c: any TestClientProtocol, _ uri: String) async throws -> JSONValue {
        let r = try await c.get(uri)
        #expect(r.status == .ok, "\(uri): \(r.text)")
        let b = try r.json()
        #expect(validationErrors(b) == [], "\(uri)")
        return b
    }

    @Test func theReferralItsTasksAndItsAppointmentAreFound() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            // The sample spells the UBRN …/Id/UBRN; either spelling finds the referral.
            let referral = try await search(c, "/ServiceRequest?identifier=\(Self.lower)|\(Self.ubrn)").ids
            #expect(referral.count == 1)
            #expect(try await search(c, "/ServiceRequest?identifier=\(Self.upper)|\(Self.ubrn)").ids == referral)
            let request = try #require(referral.first)

            // Its Tasks: the referral's own (in progress, BOOKED) and the booking sub-task (completed).
            let tasks = try await search(c, "/Task?focus=ServiceRequest/\(request)")
            #expect(tasks.ids.count == 2)
            #expect(try await search(c, "/Task?focus:identifier=\(Self.lower)|\(Self.ubrn)").ids == tasks.ids)
            let own = try #require(tasks.entries().first { $0["partOf"] == nil })
            #expect(own["status"]?.string == "in-progress")
            #expect(ReferralPlanner.businessStatus(of: own) == "BOOKED")
            // The triage note the provider wrote is kept on the referral's Task.
            #expect(own["note"]?[0]?["text"]?.string == "Triaged: accept, clinic to book within 2 weeks")
            let ownID = try #require(own["id"]?.string)
            let sub = try await search(c, "/Task?part-of=Task/\(ownID)").entries()
            #expect(sub.count == 1 && sub.first?["status"]?.string == "completed")
            #expect(try await search(c, "/Task?part-of=\(ownID)&status=completed").ids.count == 1)
            // The operator page shows the referral state and the booking sub-task.
            let page = try await c.get("/ui/tasks/\(ownID)").text
            #expect(page.contains("business status") && page.contains("BOOKED") && page.contains("Sub-tasks"))
            #expect(page.contains("[TRIAGED_PROVIDER_TO_ACTION]"))

            // The Appointment: by the request it is based on, by the UBRN, by status; and read by id.
            let appointments = try await search(c, "/Appointment?based-on=ServiceRequest/\(request)")
            #expect(appointments.ids.count == 1)
            #expect(try await search(c, "/Appointment?based-on=\(request)").ids == appointments.ids)
            #expect(try await search(c, "/Appointment?based-on:identifier=\(Self.lower)|\(Self.ubrn)").ids == appointments.ids)
            #expect(try await search(c, "/Appointment?based-on:identifier=\(Self.lower)|000000000000").ids.isEmpty)
            #expect(try await search(c, "/Appointment?status=booked").ids == appointments.ids)
            #expect(try await search(c, "/Appointment?status=noshow").ids.isEmpty)
            let id = try #require(appointments.ids.first)
            #expect(sub.first?["output"]?[0]?["valueReference"]?["reference"]?.string == "Appointment/" + id)
            let read = try await c.get("/Appointment/\(id)")
            #expect(read.status == .ok)
            #expect(try read.json()["basedOn"]?[0]?["reference"]?.string == "ServiceRequest/" + request)
        }
    }

    @Test func anUnknownAppointmentStatusIsABadRequest() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            #expect(try await c.get("/Appointment?status=sideways").status == .badRequest)
        }
    }
    /// Rejected and returned-with-advice referrals (dropped beside the sample) answer the same queries.
    @Test func rejectedAndAdvisedReferralsAnswerTheirQueries() async throws {
        func referral(_ ubrn: String, _ n: Int) -> [UInt8] {
            let text = String(decoding: SampleData.sample("referrals/02-ers-referral-message.json"), as: UTF8.self)
                .replacingOccurrences(of: Self.ubrn, with: ubrn)
                .replacingOccurrences(of: "1b3d5f7a-9c0e-4b2d-8f4a-6c8e0a2b4d63", with: "1b3d5f7a-9c0e-4b2d-8f4a-6c8e0a2b4d7\(n)")
                .replacingOccurrences(of: "0a2c4e6b-8d9f-4b1c-9e3a-5c7e9b1d3f54", with: "0a2c4e6b-8d9f-4b1c-9e3a-5c7e9b1d3f6\(n)")
                .replacingOccurrences(of: "2c4e6a8b-0d1f-4a3b-9c5d-7e9f1a3b5c72", with: "2c4e6a8b-0d1f-4a3b-9c5d-7e9f1a3b5c8\(n)")
            return Array(text.utf8)
        }
        func triage(_ ubrn: String, _ extra: String) -> [UInt8] {
            Array(("""
                {"resourceType": "Task", "status": "rejected", "intent": "order",
                 "focus": {"identifier": {"system": "\(Self.lower)", "value": "\(ubrn)"}}\(extra)}
                """).utf8)
        }
        let advice = "Manage in primary care; refer again if no better in 6 weeks"
        var extra: [(channel: String, name: String, bytes: [UInt8])] = []
        for (name, bytes) in [("10-referral-a.json", referral("000049295730", 1)), ("11-reject.json", triage("000049295730",
                                  #", "statusReason": {"text": "No capacity"}"#)),
                              ("12-referral-b.json", referral("000049295731", 2)), ("13-advice.json", triage("000049295731",
                                  #", "businessStatus": {"coding": [{"system": "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralState-1", "code": "TRIAGE_RESPONSE"}]}, "note": [{"text": "\#(advice)"}]"#))] {
            extra += [("referrals", name, bytes), ("referrals", name + ".done", [])]
        }
        let data = try SampleData(extra: extra)
        try await withServer(data) { (c) async throws in
            let rejected = try await search(c, "/Task?focus:identifier=\(Self.upper)|000049295730").entries()
            #expect(rejected.count == 1 && rejected.first?["status"]?.string == "rejected")
            #expect(rejected.first?["statusReason"]?["text"]?.string == "No capacity")
            #expect(ReferralPlanner.businessStatus(of: rejected.first) == "REJECTED")
            let advised = try await search(c, "/Task?focus:identifier=\(Self.lower)|000049295731&status=rejected").entries()
            #expect(advised.count == 1 && ReferralPlanner.businessStatus(of: advised.first) == "TRIAGE_RESPONSE")
            #expect(advised.first?["note"]?[0]?["text"]?.string == advice)
            #expect(try await search(c, "/Task?status=rejected").ids.count == 2)
            #expect(try await search(c, "/Appointment?based-on:identifier=\(Self.lower)|000049295730").ids.isEmpty)
        }
    }
}
