import Foundation
import HummingbirdTesting
import PostroomCore
import PostroomServer
import Testing

/// Issue 13's eRS gaps through the FHIR query API, beside the sample: the corpus's advice request
/// under its referral's UBRN is found on its own, and a booked then cancelled appointment answers
/// with its status and the referral Task's APPT_CANCELLED_BY_PATIENT state.
@Suite struct ReferralGapSearchTests {
    static let upper = "https://fhir.nhs.uk/Id/UBRN"
    static let sampleUBRN = "000049295720"
    static let ubrn = "000049295740"

    static func referral() -> [UInt8] {
        let text = String(decoding: SampleData.sample("referrals/02-ers-referral-message.json"), as: UTF8.self)
            .replacingOccurrences(of: sampleUBRN, with: ubrn)
            .replacingOccurrences(of: "1b3d5f7a-9c0e-4b2d-8f4a-6c8e0a2b4d63", with: "1b3d5f7a-9c0e-4b2d-8f4a-6c8e0a2b4d90")
            .replacingOccurrences(of: "0a2c4e6b-8d9f-4b1c-9e3a-5c7e9b1d3f54", with: "0a2c4e6b-8d9f-4b1c-9e3a-5c7e9b1d3f90")
            .replacingOccurrences(of: "2c4e6a8b-0d1f-4a3b-9c5d-7e9f1a3b5c72", with: "2c4e6a8b-0d1f-4a3b-9c5d-7e9f1a3b5c90")
        return Array(text.utf8)
    }

    static func appointment(_ status: String, extra: String = "") -> [UInt8] {
        Array("""
            {"resourceType": "Appointment", "id": "appt-gap-1", "status": "\(status)", "start": "2026-12-10T10:30:00+00:00",
             "end": "2026-12-10T10:50:00+00:00", "basedOn": [{"identifier": {"system": "\(upper)", "value": "\(ubrn)"}}],
             "participant": [{"actor": {"identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000018"}}, "status": "accepted"}]\(extra)}
            """.utf8)
    }

    @Test func theAdviceRequestAndACancelledAppointmentAnswerTheirQueries() async throws {
        let accept = Array("""
            {"resourceType": "Task", "status": "accepted", "intent": "order",
             "focus": {"identifier": {"system": "\(Self.upper)", "value": "\(Self.ubrn)"}}}
            """.utf8)
        let advice = [UInt8](try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Tests/PostroomCoreTests/Fixtures/fhir/corpus/ers_ResponseExampleReferralAndAdvice.json")))
        let cancelled = Self.appointment("cancelled", extra: #", "cancelationReason": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason", "code": "pat"}]}"#)
        var extra: [(channel: String, name: String, bytes: [UInt8])] = []
        for (name, bytes) in [("20-advice.json", advice), ("21-referral.json", Self.referral()), ("22-accept.json", accept),
                              ("23-booked.json", Self.appointment("booked")), ("24-cancelled.json", cancelled)] {
            extra += [("referrals", name, bytes), ("referrals", name + ".done", [])]
        }
        let data = try SampleData(extra: extra)
        try await withServer(data) { (c) async throws in
            func search(_ uri: String) async throws -> JSONValue {
                let r = try await c.get(uri)
                #expect(r.status == .ok, "\(uri): \(r.text)")
                return try r.json()
            }
            // The referral and the advice request share UBRN 000000070002: both found, each read by its own id.
            let both = try await search("/ServiceRequest?identifier=\(Self.upper)|000000070002").ids
            #expect(both == ["r.832db7fa-ebdd-44b6-ab3b-8329c2d43149", "a.832db7fa-ebdd-44b6-ab3b-8329c2d43149"])
            #expect(try await c.get("/ServiceRequest/a.832db7fa-ebdd-44b6-ab3b-8329c2d43149").status == .ok)
            #expect(try await search("/Task?focus=ServiceRequest/a.832db7fa-ebdd-44b6-ab3b-8329c2d43149").ids.isEmpty)
            #expect(try await search("/Task?focus=ServiceRequest/r.832db7fa-ebdd-44b6-ab3b-8329c2d43149").ids.count == 1)

            // The cancelled appointment: by status, by the UBRN; the referral's Task in progress, APPT_CANCELLED_BY_PATIENT.
            let appointments = try await search("/Appointment?based-on:identifier=\(Self.upper)|\(Self.ubrn)")
            #expect(appointments.ids == ["appt-gap-1"])
            #expect(appointments.entries().first?["status"]?.string == "cancelled")
            #expect(try await search("/Appointment?status=cancelled").ids == ["appt-gap-1"])
            let tasks = try await search("/Task?focus:identifier=\(Self.upper)|\(Self.ubrn)").entries()
            let own = try #require(tasks.first { $0["partOf"] == nil })
            #expect(own["status"]?.string == "in-progress")
            #expect(ReferralPlanner.businessStatus(of: own) == "APPT_CANCELLED_BY_PATIENT")
            #expect(tasks.filter { $0["partOf"] != nil }.compactMap { $0["status"]?.string }.sorted() == ["completed", "requested"])
        }
    }
}
