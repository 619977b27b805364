import Foundation
import PostroomCore
import PostroomStore
import Testing

/// The gaps left in the eRS workflow (issue 13 items 2 and 3): an advice request under the
/// referral's UBRN is a request of its own, a cancelled Appointment moves the referral's Task, and a
/// referral declaring a UUID as its UBRN is refused where it says so.
@Suite struct ReferralGapTests {
    typealias W = ReferralWorkflowTests
    static let corpus = repositoryRoot + "/Tests/PostroomCoreTests/Fixtures/fhir/corpus/"

    static func file(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: corpus + name)))
    }

    /// `ers_ResponseExampleReferralAndAdvice.json`: a referral and an advice-and-guidance request
    /// sharing UBRN 000000070002. Both are stored, each by its own id; only the referral gets a Task.
    @Test func anAdviceRequestUnderTheReferralsUBRNIsStoredOnItsOwn() throws {
        let w = W()
        let ws = try w.workspace()
        #expect(try w.drop(ws, Self.file("ers_ResponseExampleReferralAndAdvice.json"), "1-advice.json") == 0)
        let store = try ws.store()
        let referral = try #require(try store.read { try $0.resource(type: "ServiceRequest", id: "r.832db7fa-ebdd-44b6-ab3b-8329c2d43149") })
        let advice = try #require(try store.read { try $0.resource(type: "ServiceRequest", id: "a.832db7fa-ebdd-44b6-ab3b-8329c2d43149") })
        #expect(referral["status"]?.string == "active")
        #expect(advice["status"]?.string == "completed")
        #expect(advice["code"]?["coding"]?[0]?["code"]?.string == "advice-and-guidance")
        #expect(try store.read { try $0.requests(openOnly: false) }.count == 2)
        let tasks = try store.read { try $0.tasks() }
        #expect(tasks.count == 1)
        let t = try w.referralTask(ws)
        #expect(t.record.status == .requested && ReferralPlanner.businessStatus(of: t.resource) == "AWAITING_TRIAGE")
        #expect(t.record.focusRequestID == "r.832db7fa-ebdd-44b6-ab3b-8329c2d43149")
        #expect(t.history.count == 1)
        // Triage by the UBRN reaches the referral, not the advice request.
        #expect(try w.drop(ws, ReferralMessages.triage(id: "acc", ubrn: "000000070002", status: "accepted"), "2-accept.json") == 0)
        #expect(try w.referralTask(ws).record.status == .accepted)
        #expect(try store.read { try $0.tasks() }.count == 2)  // the referral's Task and its booking sub-task
    }

    /// Booked, then the Appointment again as `cancelled`: by the patient (`pat`) the eRS state
    /// APPT_CANCELLED_BY_PATIENT, by the provider APPT_CANCELLED_BY_PROVIDER; the Task stays
    /// `in-progress`, a new booking sub-task opens to rebook, the referrer hears of it; booked again, BOOKED.
    @Test func aCancelledAppointmentMovesTheReferralToRebooking() throws {
        let w = W()
        let ws = try w.workspace()
        try w.referred(ws)
        #expect(try w.drop(ws, ReferralMessages.triage(id: "acc", ubrn: W.ubrn, status: "accepted"), "2-accept.json") == 0)
        let appointmentID = "40000000-0000-4000-8000-000000000051"
        let book = ReferralMessages.booking(ubrn: W.ubrn, bundleID: "30000000-0000-4000-8000-000000000052", appointmentID: appointmentID)
        #expect(try w.drop(ws, book, "3-booking.json") == 0)
        var t = try w.referralTask(ws)
        #expect(t.record.status == .inProgress && ReferralPlanner.businessStatus(of: t.resource) == "BOOKED")

        var cancelled = try json(book)
        cancelled = Self.cancelling(cancelled, bundleID: "30000000-0000-4000-8000-000000000053", reason: "pat")
        #expect(try w.drop(ws, ReferralMessages.bytes(cancelled), "4-cancelled.json") == 0)
        t = try w.referralTask(ws)
        #expect(t.record.status == .inProgress)
        #expect(ReferralPlanner.businessStatus(of: t.resource) == "APPT_CANCELLED_BY_PATIENT")
        #expect(t.history.map(\.to) == ["requested", "accepted", "in-progress", "in-progress"])
        #expect(t.history.last?.reason.contains("APPT_CANCELLED_BY_PATIENT") == true)
        #expect(t.history.last?.reason.contains("Appointment/" + appointmentID) == true)
        let stored = try #require(try ws.store().read { try $0.resource(type: "Appointment", id: appointmentID) })
        #expect(stored["status"]?.string == "cancelled")
        #expect(try ws.store().read { try $0.resourceVersion(type: "Appointment", id: appointmentID) } == 2)
        #expect(try w.subtasks(ws, of: t.record.id).map(\.status) == [.completed, .requested])
        #expect(try w.notices(ws).map { ReferralPlanner.businessStatus(of: $0) ?? "" } == ["NOT_BOOKED", "BOOKED", "APPT_CANCELLED_BY_PATIENT"])

        // Rebooked: a new Appointment completes the new sub-task.
        let rebook = ReferralMessages.booking(ubrn: W.ubrn, bundleID: "30000000-0000-4000-8000-000000000054",
                                              appointmentID: "40000000-0000-4000-8000-000000000055")
        #expect(try w.drop(ws, rebook, "5-rebook.json") == 0)
        t = try w.referralTask(ws)
        #expect(t.record.status == .inProgress && ReferralPlanner.businessStatus(of: t.resource) == "BOOKED")
        #expect(try w.subtasks(ws, of: t.record.id).map(\.status) == [.completed, .completed])

        // Cancelled by the provider (any other reason).
        let byProvider = Self.cancelling(try json(rebook), bundleID: "30000000-0000-4000-8000-000000000056", reason: "prov")
        #expect(try w.drop(ws, ReferralMessages.bytes(byProvider), "6-cancelled.json") == 0)
        #expect(ReferralPlanner.businessStatus(of: try w.referralTask(ws).resource) == "APPT_CANCELLED_BY_PROVIDER")
        let invalid = try fhirErrors(in: ws, channels: ["referrals", "gp"])
        #expect(invalid.isEmpty, "\(invalid)")
    }

    /// A cancelled Appointment for a referral not booked is refused (nothing to cancel), keeping nothing.
    @Test func aCancelledAppointmentNeedsABooking() throws {
        let w = W()
        let ws = try w.workspace()
        try w.referred(ws)
        let book = ReferralMessages.booking(ubrn: W.ubrn, bundleID: "30000000-0000-4000-8000-000000000061",
                                            appointmentID: "40000000-0000-4000-8000-000000000061")
        let cancelled = Self.cancelling(try json(book), bundleID: "30000000-0000-4000-8000-000000000062", reason: "pat")
        #expect(try w.drop(ws, ReferralMessages.bytes(cancelled), "2-cancelled.json") == 65)
        #expect(w.codes(try w.answer(ws, "2-cancelled.json")).contains("referral-not-booked"))
        #expect(try ws.store().read { try $0.resourceIDs(type: "Appointment") }.isEmpty)
        #expect(try w.referralTask(ws).record.status == .requested)
    }

    /// iops_ServiceRequest-virtualWards.json: a referral (SNOMED 3457005) whose identifier is declared
    /// with the UBRN system but carries a UUID. The system says UBRN, so the value is checked as one:
    /// refused with `ubrn-format` at that identifier, and nothing kept; with the UUID under its own
    /// system (RFC 4122) the same referral is accepted.
    @Test func aUUIDDeclaredAsAUBRNIsRefusedWhereItSaysSo() throws {
        let w = W()
        let ws = try w.workspace()
        let original = try Self.file("iops_ServiceRequest-virtualWards.json")
        #expect(try w.drop(ws, original, "1-wards.json") == 65)
        let answer = try w.answer(ws, "1-wards.json")
        #expect(w.codes(answer).contains("ubrn-format"))
        let issue = try #require(answer["issue"]?.array?.first { $0["details"]?["coding"]?[0]?["code"]?.string == "ubrn-format" })
        #expect(issue["expression"]?[0]?.string == "ServiceRequest.identifier[0].value")
        #expect(try ws.store().read { try $0.resourceIDs(type: "ServiceRequest") }.isEmpty)

        let fixed = String(decoding: original, as: UTF8.self)
            .replacingOccurrences(of: #""system": "https://fhir.nhs.uk/Id/UBRN""#, with: #""system": "https://tools.ietf.org/html/rfc4122""#)
        #expect(fixed != String(decoding: original, as: UTF8.self))
        #expect(try w.drop(ws, Array(fixed.utf8), "2-wards.json") == 0)
        #expect(try ws.store().read { try $0.resourceIDs(type: "ServiceRequest") } == ["b4a16b72-0403-4c2b-80e4-c57c7679b552"])
    }

    /// The booking message again under a new Bundle id, its Appointment `cancelled` with a cancelationReason code.
    static func cancelling(_ message: JSONValue, bundleID: String, reason: String) -> JSONValue {
        guard var o = message.object, var entries = o["entry"]?.array else { return message }
        o["id"] = .string(bundleID)
        for (i, e) in entries.enumerated() where e["resource"]?["resourceType"]?.string == "Appointment" {
            guard var entry = e.object, var a = entry["resource"]?.object else { continue }
            a["status"] = "cancelled"
            a["cancelationReason"] = ["coding": [["system": "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason",
                                                  "code": .string(reason)]]]
            entry["resource"] = .object(a)
            entries[i] = .object(entry)
        }
        for (i, e) in entries.enumerated() where e["resource"]?["resourceType"]?.string == "MessageHeader" {
            guard var entry = e.object, var h = entry["resource"]?.object else { continue }
            h["id"] = .string("50000000-0000-4000-8000-" + String(bundleID.suffix(12)))
            entry["resource"] = .object(h)
            entry["fullUrl"] = .string("urn:uuid:50000000-0000-4000-8000-" + String(bundleID.suffix(12)))
            entries[i] = .object(entry)
        }
        o["entry"] = .array(entries)
        return .object(o)
    }
}
