import Testing
@testable import PostroomCore

/// The referral workflow's decisions (DOMAIN.md §5.5), without a store.
@Suite struct ReferralPlannerTests {
    func plan(_ o: ReferralPlanner.Outcome, _ s: TaskStatus) -> ReferralPlanner.Plan? {
        if case .plan(let p) = ReferralPlanner.plan(o, current: s, machine: .nhs) { return p }
        return nil
    }

    func refusal(_ o: ReferralPlanner.Outcome, _ s: TaskStatus) -> String? {
        if case .refused(let i) = ReferralPlanner.plan(o, current: s, machine: .nhs) { return i.code }
        return nil
    }

    @Test func eachOutcomeMovesTheTaskAndSetsItsState() {
        #expect(plan(.accept, .requested).map { [$0.path, [$0.state.rawValue]] as [AnyHashable] } == [[TaskStatus.accepted], ["NOT_BOOKED"]])
        #expect(plan(.accept, .requested)?.subtask == .open)
        #expect(plan(.acceptBookLater, .requested)?.state == .providerToAction)
        #expect(plan(.reject(reason: "No capacity"), .requested)?.statusReason == "No capacity")
        #expect(plan(.reject(reason: "No capacity"), .received)?.path == [.rejected])
        let advice = plan(.returnWithAdvice(advice: "Try X first"), .requested)
        #expect(advice?.path == [.rejected] && advice?.state == .triageResponse && advice?.notes == ["Try X first"])
        // A booking before triage implies acceptance.
        let booked = plan(.booked(appointment: "Appointment/a1"), .requested)
        #expect(booked?.path == [.accepted, .inProgress] && booked?.subtask == .complete(output: "Appointment/a1"))
        #expect(plan(.booked(appointment: "Appointment/a2"), .inProgress)?.path == [])
        #expect(plan(.didNotAttend, .inProgress).map { ($0.path, $0.state) } ?? ([.failed], .booked) == ([], .didNotAttend))
        // Cancelled by the referrer: cancelled before work started, failed after (nothing leads from in-progress to cancelled).
        #expect(plan(.cancelled(reason: nil), .accepted).map { ($0.path, $0.statusReason ?? "") } ?? ([], "") == ([.cancelled], "Referral cancelled"))
        #expect(plan(.cancelled(reason: "Patient moved away"), .inProgress)?.path == [.failed])
        #expect(plan(.cancelled(reason: nil), .inProgress)?.subtask == .cancel)
    }

    @Test func refusalsSayWhy() {
        #expect(refusal(.reject(reason: nil), .requested) == "referral-reject-reason-missing")
        #expect(refusal(.reject(reason: "  \n"), .requested) == "referral-reject-reason-missing")
        #expect(refusal(.returnWithAdvice(advice: nil), .requested) == "referral-advice-missing")
        #expect(refusal(.didNotAttend, .accepted) == "referral-not-booked")
        #expect(refusal(.accept, .completed) == "task-invalid-transition")
        #expect(refusal(.reject(reason: "late"), .inProgress) == "task-invalid-transition")
    }

    @Test func outcomesAreReadFromEachFormat() {
        let accepted: JSONValue = ["resourceType": "Task", "status": "accepted"]
        #expect(ReferralPlanner.outcome(ofTask: accepted) == .accept)
        let later: JSONValue = ["status": "accepted", "businessStatus": ["coding": [["code": "TRIAGED_PROVIDER_TO_ACTION"]]]]
        #expect(ReferralPlanner.outcome(ofTask: later) == .acceptBookLater)
        let rejected: JSONValue = ["status": "rejected", "statusReason": ["coding": [["code": "X", "display": "Not appropriate"]]]]
        #expect(ReferralPlanner.outcome(ofTask: rejected) == .reject(reason: "Not appropriate"))
        let advice: JSONValue = ["status": "rejected", "businessStatus": ["text": "TRIAGE_RESPONSE"], "note": [["text": "Advice"]]]
        #expect(ReferralPlanner.outcome(ofTask: advice) == .returnWithAdvice(advice: "Advice"))
        #expect(ReferralPlanner.outcome(ofTask: ["status": "completed"]) == nil)
        #expect(ReferralPlanner.outcome(ofEvent: .rejected(reason: "R")) == .reject(reason: "R"))
        #expect(ReferralPlanner.outcome(ofEvent: .new) == nil)
        #expect(ReferralPlanner.outcome(ofAppointment: "booked", reference: "Appointment/1") == .booked(appointment: "Appointment/1"))
        #expect(ReferralPlanner.outcome(ofAppointment: "noshow", reference: "Appointment/1") == .didNotAttend)
        #expect(ReferralPlanner.outcome(ofAppointment: "proposed", reference: "Appointment/1") == nil)
    }

    @Test func ubrnsAreTwelveDigitsInEitherSpelling() {
        #expect(ReferralPlanner.isUBRN("000049295712"))
        for bad in ["00004929571", "0000492957123", "00004929571A", "b4a16b72-0403-4c2b-80e4-c57c7679b552", ""] {
            #expect(!ReferralPlanner.isUBRN(bad), "\(bad)")
        }
        #expect(FHIRIdentifierRules.problem(system: "https://fhir.nhs.uk/Id/ubrn", value: "12345")?.code == "ubrn-format")
        #expect(FHIRIdentifierRules.problem(system: "https://fhir.nhs.uk/Id/UBRN", value: "000049295712") == nil)
        let ids = IdentityNamespaces.standard
        #expect(ids.canonical("plac|UBRN|000049295712") == ids.canonical("id|https://fhir.nhs.uk/Id/ubrn|000049295712"))
        #expect(ReferralPlanner.hasUBRN(["plac|UBRN|000049295712"], identity: ids))
        #expect(!ReferralPlanner.hasUBRN(["plac|GPSYSTEM|000049295712"], identity: ids))
    }
}
