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
}
