import Testing
import PostroomCore

@Suite struct CorrelatorTests {
    let alice: Set<String> = ["nhs|9434765919", "id|MRN|A1"]

    @Test func linksTheOnlyMatchingRequestForTheSamePatient() {
        let d = Correlator.decide(reportPatient: ["nhs|9434765919"], candidates: [.init(requestID: "r1", patientKeys: alice)])
        #expect(d == .link(requestID: "r1"))
    }

    @Test func holdsWhenNoRequestMatches() {
        #expect(Correlator.decide(reportPatient: alice, candidates: []) == .hold)
    }

    @Test func neverLinksAcrossPatients() {
        let d = Correlator.decide(reportPatient: ["nhs|9449305552"], candidates: [.init(requestID: "r1", patientKeys: alice)])
        guard case .refuse(let issue) = d else { Issue.record("expected a refusal"); return }
        #expect(issue.code == "patient-mismatch")
    }

    @Test func conflictingNHSNumbersWinOverSharedLocalIdentifiers() {
        let d = Correlator.decide(reportPatient: ["nhs|9449305552", "id|MRN|A1"], candidates: [.init(requestID: "r1", patientKeys: alice)])
        #expect(d != .link(requestID: "r1"))
    }

    @Test func refusesWhenSeveralRequestsMatch() {
        let d = Correlator.decide(reportPatient: alice, candidates: [.init(requestID: "r1", patientKeys: alice), .init(requestID: "r2", patientKeys: alice)])
        guard case .refuse(let issue) = d else { Issue.record("expected a refusal"); return }
        #expect(issue.code == "multiple-requests-match")
    }

    @Test func refusesWhenThePatientCannotBeVerified() {
        let d = Correlator.decide(reportPatient: [], candidates: [.init(requestID: "r1", patientKeys: alice)])
        guard case .refuse(let issue) = d else { Issue.record("expected a refusal"); return }
        #expect(issue.code == "patient-unverifiable")
    }
}
