import Foundation
import PostroomCore
import PostroomStore
import Testing

/// eRS-style referrals through real folders (DOMAIN.md §5.5): a referral keyed by its UBRN gets a
/// Task; triage (accept, reject with a reason, return with advice, accept and book later), booking
/// (a sub-task and a linked Appointment) and did-not-attend move it, whichever format says so; the
/// provider gets an answer to each of its messages, the referrer's channel each status change.
@Suite struct ReferralWorkflowTests {
    static let ubrn = "000049295712"

    func workspace() throws -> Workspace {
        let ws = try Workspace()
        try """
            { "data": "data", "endpoint": "https://postroom.test.example.nhs.uk/fhir", "channels": [
                { "name": "referrals", "formats": ["fhir", "hl7v2"], "role": "broker", "taskStateMachine": "nhs",
                  "completion": { "mode": "rename" }, "routes": { "A83008": "gp" } },
                { "name": "gp", "formats": ["fhir"], "role": "placer", "completion": { "mode": "rename" } } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        return ws
    }

    /// The referral's own Task (not a sub-task): its record, its resource and its history.
    func referralTask(_ ws: Workspace) throws -> (record: TaskRecord, resource: JSONValue, history: [TaskTransition]) {
        let store = try ws.store()
        let t = try #require(try store.read { try $0.tasks() }.first { $0.partOf == nil })
        let resource = try #require(try store.read { try $0.resource(type: "Task", id: t.id) })
        return (t, resource, try store.read { try $0.taskHistory(taskID: t.id) })
    }

    func subtasks(_ ws: Workspace, of id: String) throws -> [TaskRecord] {
        try ws.store().read { try $0.subtasks(of: id) }
    }

    /// The answer Postroom wrote for a drop (in the channel's outbox), as JSON.
    func answer(_ ws: Workspace, _ name: String, channel: String = "referrals") throws -> JSONValue {
        let file = try #require(ws.files(in: "outbox/" + channel).first { $0.hasPrefix(name + ".") }, "no answer for \(name)")
        return try json(ws.read("outbox/\(channel)/\(file)"))
    }

    /// Every issue code anywhere in a JSON answer (an OperationOutcome, or one inside a response message).
    func codes(_ v: JSONValue) -> [String] {
        var out: [String] = []
        func walk(_ v: JSONValue) {
            if let o = v.object {
                if o["resourceType"]?.string == "OperationOutcome" {
                    out += (o["issue"]?.array ?? []).compactMap { $0["details"]?["coding"]?[0]?["code"]?.string }
                }
                for m in o.members { walk(m.value) }
            } else if let a = v.array {
                a.forEach(walk)
            }
        }
        walk(v)
        return out
    }

    /// The Task notices sent to the referrer's channel, oldest first, as JSON.
    func notices(_ ws: Workspace) throws -> [JSONValue] {
        try ws.files(in: "outbox/gp").sorted { a, b in
            let va = Int(a.split(separator: ".").dropLast().last?.dropFirst() ?? "") ?? 0
            let vb = Int(b.split(separator: ".").dropLast().last?.dropFirst() ?? "") ?? 0
            return va < vb
        }.map { try json(ws.read("outbox/gp/" + $0)) }
    }

    func drop(_ ws: Workspace, _ bytes: [UInt8], _ name: String) throws -> Int32 {
        try ws.drop(bytes, as: name, channel: "referrals")
        return try ws.run().code
    }

    func referred(_ ws: Workspace) throws {
        #expect(try drop(ws, ReferralMessages.referral(ubrn: Self.ubrn, bundleID: "30000000-0000-4000-8000-000000000001"), "1-referral.json") == 0)
    }

    @Test func aReferralIsAcceptedBookedAndItsPatientDoesNotAttend() throws {
        let ws = try workspace()
        try referred(ws)
        var t = try referralTask(ws)
        #expect(t.record.status == .requested)
        #expect(ReferralPlanner.businessStatus(of: t.resource) == "AWAITING_TRIAGE")
        #expect(t.resource["code"]?["coding"]?[0]?["code"]?.string == "413292001")
        let request = try #require(try ws.store().read { try $0.requests(openOnly: false).first })
        #expect(request.isReferral && t.record.focusRequestID == request.id)
        #expect(codes(try answer(ws, "1-referral.json")).contains("task-created"))

        // Accepted by the provider (a Task naming the referral by its UBRN): a booking sub-task opens.
        let accept = ReferralMessages.triage(id: "triage-accept", ubrn: Self.ubrn, status: "accepted")
        #expect(try drop(ws, accept, "2-accept.json") == 0)
        t = try referralTask(ws)
        #expect(t.record.status == .accepted)
        #expect(ReferralPlanner.businessStatus(of: t.resource) == "NOT_BOOKED")
        #expect(codes(try answer(ws, "2-accept.json")).contains("referral-triaged"))
        let booking = try #require(try subtasks(ws, of: t.record.id).first)
        #expect(booking.status == .requested)
        let bookingResource = try #require(try ws.store().read { try $0.resource(type: "Task", id: booking.id) })
        #expect(bookingResource["partOf"]?[0]?["reference"]?.string == "Task/" + t.record.id)
        #expect(bookingResource["focus"]?["reference"]?.string == "ServiceRequest/" + request.id)

        // Booked (a BaRS booking-request whose Appointment is based on the UBRN).
        let appointmentID = "40000000-0000-4000-8000-000000000001"
        let book = ReferralMessages.booking(ubrn: Self.ubrn, bundleID: "30000000-0000-4000-8000-000000000002", appointmentID: appointmentID)
        #expect(try drop(ws, book, "3-booking.json") == 0)
        t = try referralTask(ws)
        #expect(t.record.status == .inProgress)
        #expect(ReferralPlanner.businessStatus(of: t.resource) == "BOOKED")
        let appointment = try #require(try ws.store().read { try $0.resource(type: "Appointment", id: appointmentID) })
        #expect(appointment["basedOn"]?[0]?["reference"]?.string == "ServiceRequest/" + request.id)
        #expect(appointment["participant"]?[0]?["actor"]?["reference"]?.string?.hasPrefix("Patient/") == true)
        let booked = try #require(try ws.store().read { try $0.task(id: booking.id) })
        #expect(booked.status == .completed)
        let bookedResource = try #require(try ws.store().read { try $0.resource(type: "Task", id: booking.id) })
        #expect(bookedResource["output"]?[0]?["valueReference"]?["reference"]?.string == "Appointment/" + appointmentID)
        #expect(codes(try answer(ws, "3-booking.json")).contains("appointment-linked"))

        // Did not attend: businessStatus only; the Task stays open.
        let dna = ReferralMessages.triage(id: "dna", ubrn: Self.ubrn, status: "in-progress", businessStatus: "DID_NOT_ATTEND")
        #expect(try drop(ws, dna, "4-dna.json") == 0)
        t = try referralTask(ws)
        #expect(t.record.status == .inProgress)
        #expect(ReferralPlanner.businessStatus(of: t.resource) == "DID_NOT_ATTEND")

        // The history names each step and the message behind it.
        #expect(t.history.map(\.to) == ["requested", "accepted", "in-progress", "in-progress"])
        #expect(t.history.map(\.reason).last?.contains("DID_NOT_ATTEND") == true)
        #expect(t.history[2].reason.contains("Appointment/" + appointmentID))
        #expect(Set(t.history.compactMap(\.messageID)).count == 4)
        #expect(try ws.store().read { try $0.taskHistory(taskID: booking.id) }.map(\.to) == ["requested", "accepted", "in-progress", "completed"])

        // The referrer's channel heard of each change of the referral's Task.
        let heard = try notices(ws)
        #expect(heard.map { $0["status"]?.string ?? "" } == ["accepted", "in-progress", "in-progress"])
        #expect(heard.map { ReferralPlanner.businessStatus(of: $0) ?? "" } == ["NOT_BOOKED", "BOOKED", "DID_NOT_ATTEND"])
        let invalid = try fhirErrors(in: ws, channels: ["referrals", "gp"])
        #expect(invalid.isEmpty, "\(invalid)")
    }

    @Test func aRejectionNeedsAReason() throws {
        let ws = try workspace()
        try referred(ws)
        #expect(try drop(ws, ReferralMessages.triage(id: "reject-1", ubrn: Self.ubrn, status: "rejected"), "2-reject.json") == 65)
        #expect(codes(try answer(ws, "2-reject.json")).contains("referral-reject-reason-missing"))
        #expect(!ws.read("error/referrals/2-reject.json").isEmpty)
        var t = try referralTask(ws)
        #expect(t.record.status == .requested && t.history.count == 1)
        #expect(try notices(ws).isEmpty)

        let reason = "No capacity in this clinic"
        #expect(try drop(ws, ReferralMessages.triage(id: "reject-2", ubrn: Self.ubrn, status: "rejected", reason: reason), "3-reject.json") == 0)
        t = try referralTask(ws)
        #expect(t.record.status == .rejected)
        #expect(ReferralPlanner.businessStatus(of: t.resource) == "REJECTED")
        #expect(t.resource["statusReason"]?["text"]?.string == reason)
        #expect(t.history.map(\.to) == ["requested", "rejected"])
        #expect(t.history.last?.reason.contains(reason) == true)
        #expect(try subtasks(ws, of: t.record.id).isEmpty)
        let heard = try notices(ws)
        #expect(heard.count == 1 && heard[0]["status"]?.string == "rejected")
        #expect(heard[0]["statusReason"]?["text"]?.string == reason)
    }

    @Test func aReferralReturnedWithAdviceCarriesTheAdvice() throws {
        let ws = try workspace()
        try referred(ws)
        let bare = ReferralMessages.triage(id: "advice-1", ubrn: Self.ubrn, status: "rejected", businessStatus: "TRIAGE_RESPONSE")
        #expect(try drop(ws, bare, "2-advice.json") == 65)
        #expect(codes(try answer(ws, "2-advice.json")).contains("referral-advice-missing"))
        #expect(try referralTask(ws).record.status == .requested)

        let advice = "Start a trial of bisoprolol; refer again if symptoms persist after 6 weeks"
        let returned = ReferralMessages.triage(id: "advice-2", ubrn: Self.ubrn, status: "rejected", businessStatus: "TRIAGE_RESPONSE", note: advice)
        #expect(try drop(ws, returned, "3-advice.json") == 0)
        let t = try referralTask(ws)
        #expect(t.record.status == .rejected)
        #expect(ReferralPlanner.businessStatus(of: t.resource) == "TRIAGE_RESPONSE")
        #expect(t.resource["note"]?.array?.last?["text"]?.string == advice)
        #expect(try notices(ws).last?["note"]?[0]?["text"]?.string == advice)
        #expect(t.history.map(\.to) == ["requested", "rejected"])
        #expect(t.history.last?.reason.contains("TRIAGE_RESPONSE") == true)
        #expect(Set(t.history.compactMap(\.messageID)).count == 2)
    }

    /// Accept and book later, addressed by the Task's business identifier (as told in the referral's answer).
    @Test func acceptAndBookLaterByTheTasksBusinessIdentifier() throws {
        let ws = try workspace()
        try referred(ws)
        let identifier = try #require(try referralTask(ws).resource["identifier"]?[0])
        let system = try #require(identifier["system"]?.string), value = try #require(identifier["value"]?.string)
        #expect(system == "https://postroom.test.example.nhs.uk/fhir/Id/task")
        let later = ReferralMessages.triage(id: "later", taskIdentifier: (system, value), status: "accepted",
                                            businessStatus: "TRIAGED_PROVIDER_TO_ACTION")
        #expect(try drop(ws, later, "2-later.json") == 0)
        let t = try referralTask(ws)
        #expect(t.record.status == .accepted)
        #expect(ReferralPlanner.businessStatus(of: t.resource) == "TRIAGED_PROVIDER_TO_ACTION")
        #expect(try subtasks(ws, of: t.record.id).map(\.status) == [.requested])
        // The referral's Task is still the only Task for it: the update was not taken for a new Task.
        #expect(try ws.store().read { try $0.tasks() }.count == 2)
    }

    /// HL7 v2: a REF^I12 keyed by its UBRN, an RRI^I12 rejection refused without a reason (AE) and
    /// applied with one (NTE); an RRI accepting a FHIR referral by its Task's business identifier (RF1-11).
    @Test func v2ReferralResponsesReachTheTaskByUBRNOrTaskIdentifier() throws {
        let ws = try workspace()
        let ubrn = "000049295713"
        #expect(try drop(ws, ReferralMessages.ref(ubrn: ubrn, control: "REF1"), "1-ref.hl7") == 0)
        var t = try referralTask(ws)
        #expect(t.record.status == .requested && ReferralPlanner.businessStatus(of: t.resource) == "AWAITING_TRIAGE")
        let sr = try #require(try ws.store().read { try $0.resource(type: "ServiceRequest", id: t.record.focusRequestID ?? "-") })
        #expect(sr["identifier"]?[0]?["system"]?.string == "https://fhir.nhs.uk/Id/ubrn" && sr["identifier"]?[0]?["value"]?.string == ubrn)
        #expect(try drop(ws, ReferralMessages.rri(status: "R", ubrn: ubrn, control: "RRI1"), "2-rri.hl7") == 65)
        let refusedName = try #require(ws.files(in: "outbox/referrals").first { $0.hasPrefix("2-rri.hl7.") })
        let refused = segments(ws.read("outbox/referrals/" + refusedName))
        #expect(refused[1][1] == "AE")
        #expect(refused.contains { $0[0] == "ERR" && $0.joined(separator: "|").contains("referral-reject-reason-missing") })
        #expect(try drop(ws, ReferralMessages.rri(status: "R", ubrn: ubrn, reason: "Not appropriate for this service", control: "RRI2"),
                         "3-rri.hl7") == 0)
        t = try referralTask(ws)
        #expect(t.record.status == .rejected)
        #expect(t.resource["statusReason"]?["text"]?.string == "Not appropriate for this service")

        // A FHIR referral, accepted by a v2 RRI that names only its Task's business identifier.
        let other = "000049295721"
        #expect(try drop(ws, ReferralMessages.referral(ubrn: other, bundleID: "30000000-0000-4000-8000-000000000011"), "4-referral.json") == 0)
        let fhirTask = try #require(try ws.store().read { try $0.tasks() }.first { $0.partOf == nil && $0.status == .requested })
        let identifier = try #require(try ws.store().read { try $0.resource(type: "Task", id: fhirTask.id) }?["identifier"]?[0])
        let key = (system: identifier["system"]!.string!, value: identifier["value"]!.string!)
        #expect(try drop(ws, ReferralMessages.rri(status: "A", ubrn: nil, task: key, control: "RRI3"), "5-rri.hl7") == 0)
        #expect(try ws.store().read { try $0.task(id: fhirTask.id) }?.status == .accepted)
        #expect(try subtasks(ws, of: fhirTask.id).count == 1)
    }

    @Test func aMalformedUBRNIsRefusedInEitherFormat() throws {
        let ws = try workspace()
        #expect(try drop(ws, ReferralMessages.referral(ubrn: "12345678901", bundleID: "30000000-0000-4000-8000-000000000021"), "1-bad.json") == 65)
        #expect(codes(try answer(ws, "1-bad.json")).contains("ubrn-format"))
        #expect(try drop(ws, ReferralMessages.ref(ubrn: "0000492957AB", control: "REFBAD"), "2-bad.hl7") == 65)
        let ack = String(decoding: ws.read("outbox/referrals/" + ws.files(in: "outbox/referrals").first { $0.hasPrefix("2-bad.hl7.") }!),
                         as: UTF8.self)
        #expect(ack.contains("ubrn-format"))
        #expect(try ws.store().read { try $0.tasks() }.isEmpty)
    }

    /// The corpus's BaRS booking request stores its Appointment (no referral known: unlinked); the
    /// eRS search results store their referrals, each with a Task awaiting triage.
    @Test func theCorpusBaRSAndERSExamplesRunThrough() throws {
        let ws = try workspace()
        let corpus = repositoryRoot + "/Tests/PostroomCoreTests/Fixtures/fhir/corpus/"
        func file(_ name: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: corpus + name)!) }
        #expect(try drop(ws, file("bars_request_Booking_POST.json"), "1-booking.json") == 0)
        let store = try ws.store()
        let appointments = try store.read { try $0.resourceIDs(type: "Appointment") }
        #expect(appointments.count == 1)
        let appointment = try #require(try store.read { try $0.resource(type: "Appointment", id: appointments[0]) })
        #expect(appointment["status"]?.string == "booked")
        #expect(codes(try answer(ws, "1-booking.json")).contains("appointment-referral-unknown"))
        #expect(try drop(ws, file("ers_ResponseExampleReferral.json"), "2-referral.json") == 0)
        let t = try referralTask(ws)
        #expect(t.record.status == .requested && ReferralPlanner.businessStatus(of: t.resource) == "AWAITING_TRIAGE")
        // Accepted by UBRN 000000070000 as the corpus spells it (…/Id/UBRN), in the other spelling (…/Id/ubrn).
        #expect(try drop(ws, ReferralMessages.triage(id: "acc", ubrn: "000000070000", status: "accepted"), "3-accept.json") == 0)
        #expect(try referralTask(ws).record.status == .accepted)
        // The eRS examples share one Bundle.id: a second one is another message under a used id, refused.
        #expect(try drop(ws, file("ers_ResponseExampleReferralAndAdvice.json"), "4-advice.json") == 65)
        #expect(codes(try answer(ws, "4-advice.json")).contains("bundle-id-reused"))
        // On their own: the referral with advice (UBRN 000000070002) gets a Task awaiting triage; an empty result stores nothing.
        let advice = try workspace()
        #expect(try drop(advice, file("ers_ResponseExampleReferralAndAdvice.json"), "1-advice.json") == 0)
        let adviceTask = try referralTask(advice)
        #expect(adviceTask.record.status == .requested && ReferralPlanner.businessStatus(of: adviceTask.resource) == "AWAITING_TRIAGE")
        let empty = try workspace()
        #expect(try drop(empty, file("ers_ResponseExampleEmpty.json"), "1-empty.json") == 0)
        #expect(try empty.store().read { try $0.tasks() }.isEmpty)
        // The corpus's faulty BaRS examples are refused with their reasons, changing nothing.
        for (n, (name, code)) in [("bars_request_ValidationRequest_POST.json", "nhs-number-check-digit"),
                                  ("bars_response_Booking_HTTP_Response.json", "required-element-missing"),
                                  ("bars_service_request_PUT-body.json", "json-array-expected")].enumerated() {
            #expect(try drop(ws, file(name), "\(n + 6)-bad.json") == 65, "\(name)")
            #expect(codes(try answer(ws, "\(n + 6)-bad.json")).contains(code), "\(name)")
        }
        #expect(try ws.store().read { try $0.resourceIDs(type: "Appointment") }.count == 1)
        let invalid = try fhirErrors(in: ws, channels: ["referrals", "gp"])
        #expect(invalid.isEmpty, "\(invalid)")
    }
    /// A bookable service: the referral and its Appointment (based on the referral's fullUrl) in one
    /// transaction; the Appointment sent again as `noshow` is a new version of it: did-not-attend.
    @Test func aReferralBookedInOneTransactionThenNotAttended() throws {
        let ws = try workspace()
        let referral = try json(ReferralMessages.referral(ubrn: Self.ubrn, bundleID: "30000000-0000-4000-8000-000000000031"))
        let srEntry = try #require(referral["entry"]?[1])
        let appointmentID = "40000000-0000-4000-8000-000000000031"
        func appointment(_ status: String, basedOn: JSONValue) -> JSONValue {
            ["resourceType": "Appointment", "id": .string(appointmentID), "status": .string(status),
             "start": "2026-12-10T10:30:00+00:00", "end": "2026-12-10T10:50:00+00:00", "basedOn": [basedOn],
             "participant": [["actor": ["identifier": ["system": "https://fhir.nhs.uk/Id/nhs-number", "value": .string(ReferralMessages.nhs)]],
                              "status": "accepted"]]]
        }
        let transaction: JSONValue = ["resourceType": "Bundle", "type": "transaction", "entry": [
            ["fullUrl": srEntry["fullUrl"]!, "resource": srEntry["resource"]!, "request": ["method": "POST", "url": "ServiceRequest"]],
            ["fullUrl": .string("urn:uuid:" + appointmentID),
             "resource": appointment("booked", basedOn: ["reference": srEntry["fullUrl"]!]),
             "request": ["method": "POST", "url": "Appointment"]],
            ["fullUrl": ReferralMessages.patientEntry["fullUrl"]!, "resource": ReferralMessages.patientEntry["resource"]!,
             "request": ["method": "POST", "url": "Patient"]],
        ]]
        #expect(try drop(ws, ReferralMessages.bytes(transaction), "1-transaction.json") == 0)
        let response = try answer(ws, "1-transaction.json")
        #expect(response["type"]?.string == "transaction-response")
        #expect(response["entry"]?[1]?["response"]?["location"]?.string == "Appointment/\(appointmentID)/_history/1")
        var t = try referralTask(ws)
        #expect(t.record.status == .inProgress && ReferralPlanner.businessStatus(of: t.resource) == "BOOKED")
        #expect(t.history.map(\.to) == ["requested", "accepted", "in-progress"])
        let stored = try #require(try ws.store().read { try $0.resource(type: "Appointment", id: appointmentID) })
        #expect(stored["basedOn"]?[0]?["reference"]?.string == "ServiceRequest/" + (t.record.focusRequestID ?? "-"))

        let noshow = appointment("noshow", basedOn: ["identifier": ["system": .string(ReferralMessages.ubrnSystem), "value": .string(Self.ubrn)]])
        #expect(try drop(ws, ReferralMessages.bytes(noshow), "2-noshow.json") == 0)
        t = try referralTask(ws)
        #expect(t.record.status == .inProgress && ReferralPlanner.businessStatus(of: t.resource) == "DID_NOT_ATTEND")
        #expect(try ws.store().read { try $0.resourceIDs(type: "Appointment") } == [appointmentID])
        #expect(try ws.store().read { try $0.resourceVersion(type: "Appointment", id: appointmentID) } == 2)
        let invalid = try fhirErrors(in: ws, channels: ["referrals", "gp"])
        #expect(invalid.isEmpty, "\(invalid)")
    }

    /// Did-not-attend before any booking is refused and changes nothing.
    @Test func didNotAttendNeedsABooking() throws {
        let ws = try workspace()
        try referred(ws)
        let dna = ReferralMessages.triage(id: "dna", ubrn: Self.ubrn, status: "requested", businessStatus: "DID_NOT_ATTEND")
        #expect(try drop(ws, dna, "2-dna.json") == 65)
        #expect(codes(try answer(ws, "2-dna.json")).contains("referral-not-booked"))
        let t = try referralTask(ws)
        #expect(t.record.status == .requested && ReferralPlanner.businessStatus(of: t.resource) == "AWAITING_TRIAGE")
    }
    /// The same booking sent again (another message, the same Appointment): a new version of the
    /// Appointment; no second booking sub-task, no new history line, no second notice.
    @Test func aBookingSentAgainChangesNothingMore() throws {
        let ws = try workspace()
        try referred(ws)
        let appointmentID = "40000000-0000-4000-8000-000000000041"
        for (n, bundle) in ["30000000-0000-4000-8000-000000000042", "30000000-0000-4000-8000-000000000043"].enumerated() {
            let book = ReferralMessages.booking(ubrn: Self.ubrn, bundleID: bundle, appointmentID: appointmentID)
            #expect(try drop(ws, book, "\(n + 2)-booking.json") == 0)
        }
        let t = try referralTask(ws)
        #expect(t.record.status == .inProgress && t.history.map(\.to) == ["requested", "accepted", "in-progress"])
        #expect(try subtasks(ws, of: t.record.id).map(\.status) == [.completed])
        #expect(try ws.store().read { try $0.resourceIDs(type: "Appointment") } == [appointmentID])
        #expect(try notices(ws).count == 1)
    }
    /// A triage outcome inside a transaction: the entry's answer names the referral's Task it updated.
    @Test func aTriageTaskInATransactionIsAnsweredWithTheReferralsTask() throws {
        let ws = try workspace()
        try referred(ws)
        let task = try json(ReferralMessages.triage(id: "tx-accept", ubrn: Self.ubrn, status: "accepted"))
        let transaction: JSONValue = ["resourceType": "Bundle", "type": "transaction", "entry": [
            ["fullUrl": "urn:uuid:50000000-0000-4000-8000-000000000001", "resource": task, "request": ["method": "POST", "url": "Task"]],
        ]]
        #expect(try drop(ws, ReferralMessages.bytes(transaction), "2-transaction.json") == 0)
        let t = try referralTask(ws)
        #expect(t.record.status == .accepted)
        let response = try answer(ws, "2-transaction.json")
        #expect(response["entry"]?[0]?["response"]?["location"]?.string == "Task/\(t.record.id)/_history/2")
    }
    /// The referrer cancels (the referral's ServiceRequest sent again `revoked`): before work started the
    /// Task is cancelled with its open booking sub-task; once booked it is failed (DOMAIN.md §2.2).
    @Test func aCancelledReferralCancelsItsTaskOrFailsItOnceBooked() throws {
        let ws = try workspace()
        try referred(ws)
        #expect(try drop(ws, ReferralMessages.triage(id: "acc", ubrn: Self.ubrn, status: "accepted"), "2-accept.json") == 0)
        let revoked = ReferralMessages.referral(ubrn: Self.ubrn, bundleID: "30000000-0000-4000-8000-000000000051", status: "revoked")
        #expect(try drop(ws, revoked, "3-cancel.json") == 0)
        var t = try referralTask(ws)
        #expect(t.record.status == .cancelled && ReferralPlanner.businessStatus(of: t.resource) == "CANCELLED_REFERRAL")
        #expect(try subtasks(ws, of: t.record.id).map(\.status) == [.cancelled])
        #expect(try ws.store().read { try $0.request(id: t.record.focusRequestID ?? "-") }?.status == "revoked")
        #expect(try notices(ws).last?["status"]?.string == "cancelled")

        let booked = try workspace()
        try referred(booked)
        let book = ReferralMessages.booking(ubrn: Self.ubrn, bundleID: "30000000-0000-4000-8000-000000000052",
                                            appointmentID: "40000000-0000-4000-8000-000000000052")
        #expect(try drop(booked, book, "2-booking.json") == 0)
        #expect(try drop(booked, revoked, "3-cancel.json") == 0)
        t = try referralTask(booked)
        #expect(t.record.status == .failed && ReferralPlanner.businessStatus(of: t.resource) == "CANCELLED_REFERRAL")
        #expect(t.resource["statusReason"]?["text"]?.string == "Referral cancelled")
        #expect(t.history.map(\.to) == ["requested", "accepted", "in-progress", "failed"])
    }
    /// The booking system completes the booking sub-task (named by its business identifier) with the
    /// Appointment as output, both in one transaction: the referral is booked once.
    @Test func theBookingSubtaskCompletedWithItsAppointmentBooksTheReferral() throws {
        let ws = try workspace()
        try referred(ws)
        #expect(try drop(ws, ReferralMessages.triage(id: "acc", ubrn: Self.ubrn, status: "accepted"), "2-accept.json") == 0)
        let parent = try referralTask(ws)
        let sub = try #require(try subtasks(ws, of: parent.record.id).first)
        let subIdentifier = try #require(try ws.store().read { try $0.resource(type: "Task", id: sub.id) }?["identifier"]?[0])
        let appointmentID = "40000000-0000-4000-8000-000000000061"
        let appointment: JSONValue = ["resourceType": "Appointment", "id": .string(appointmentID), "status": "booked",
                                      "start": "2026-12-11T09:00:00+00:00", "end": "2026-12-11T09:20:00+00:00",
                                      "basedOn": [["identifier": ["system": .string(ReferralMessages.ubrnSystem), "value": .string(Self.ubrn)]]],
                                      "participant": [["actor": ["display": "Cardiology clinic"], "status": "accepted"]]]
        let done: JSONValue = ["resourceType": "Task", "id": "booking-done", "identifier": [subIdentifier], "status": "completed",
                               "intent": "order", "partOf": [["reference": .string("Task/" + parent.record.id)]],
                               "output": [["type": ["text": "Appointment"], "valueReference": ["reference": .string("urn:uuid:" + appointmentID)]]]]
        let transaction: JSONValue = ["resourceType": "Bundle", "type": "transaction", "entry": [
            ["fullUrl": "urn:uuid:50000000-0000-4000-8000-000000000061", "resource": done, "request": ["method": "POST", "url": "Task"]],
            ["fullUrl": .string("urn:uuid:" + appointmentID), "resource": appointment, "request": ["method": "POST", "url": "Appointment"]],
        ]]
        #expect(try drop(ws, ReferralMessages.bytes(transaction), "3-booked.json") == 0)
        let t = try referralTask(ws)
        #expect(t.record.status == .inProgress && ReferralPlanner.businessStatus(of: t.resource) == "BOOKED")
        #expect(t.history.map(\.to) == ["requested", "accepted", "in-progress"])
        #expect(try subtasks(ws, of: parent.record.id).map(\.id) == [sub.id])
        let completed = try #require(try ws.store().read { try $0.resource(type: "Task", id: sub.id) })
        #expect(completed["status"]?.string == "completed")
        #expect(completed["output"]?.array?.count == 1)
        #expect(completed["output"]?[0]?["valueReference"]?["reference"]?.string == "Appointment/" + appointmentID)
        let stored = try #require(try ws.store().read { try $0.resource(type: "Appointment", id: appointmentID) })
        #expect(stored["basedOn"]?[0]?["reference"]?.string == "ServiceRequest/" + (t.record.focusRequestID ?? "-"))
        let response = try answer(ws, "3-booked.json")
        #expect(response["entry"]?[0]?["response"]?["location"]?.string?.hasPrefix("Task/\(sub.id)/_history/") == true)
    }
}
