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

@Suite struct CorrelationKeyTests {
    @Test func namespacesFromDifferentFormatsMeet() {
        let v2 = CorrelationKey.placer(namespace: "2.16.840.1.113883.2.1.3.2.99.1", value: "RAD3001")
        let fhir = CorrelationKey.placer(namespace: "urn:oid:2.16.840.1.113883.2.1.3.2.99.1", value: "RAD3001")
        #expect(v2 == fhir)
        #expect(CorrelationKey.placer(namespace: "GPSYSTEM", value: "1") == "plac|GPSYSTEM|1")
        #expect(CorrelationKey.identifier(system: "1A2B3C4D-0000-4000-8000-00000000000A", value: "x")
            == "id|urn:uuid:1a2b3c4d-0000-4000-8000-00000000000a|x")
        #expect(CorrelationKey.normalize("1.2..3") == "1.2..3")
    }

    /// Spaces, tabs and other Unicode spaces around a namespace are trimmed, whichever end they are at;
    /// a namespace with plain ends is kept as it is (the fast path).
    @Test func whitespaceAroundANamespaceIsTrimmed() {
        #expect(CorrelationKey.normalize(" 1.2.3 ") == "urn:oid:1.2.3")
        #expect(CorrelationKey.normalize("\t1.2.3") == "urn:oid:1.2.3")
        #expect(CorrelationKey.normalize("LAB\u{00A0}") == "LAB")
        #expect(CorrelationKey.normalize("\u{3000}LAB") == "LAB")
        #expect(CorrelationKey.normalize("LAB A") == "LAB A")
        #expect(CorrelationKey.normalize("") == "")
        #expect(CorrelationKey.normalize("   ") == "")
        #expect(CorrelationKey.normalize(" URN:UUID:1A2B3C4D-0000-4000-8000-00000000000A") == "urn:uuid:1a2b3c4d-0000-4000-8000-00000000000a")
        #expect(CorrelationKey.normalize("Urn:Uuid:x") == "urn:uuid:x")
        #expect(CorrelationKey.normalize("urn:oid:1.2") == "urn:oid:1.2")
        #expect(CorrelationKey.normalize("É") == "É")
    }
}
