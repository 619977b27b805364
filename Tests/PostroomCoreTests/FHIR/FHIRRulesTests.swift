import Testing
@testable import PostroomCore

@Suite struct FHIRRulesTests {
    func patient(system: String, value: String) -> String {
        #"{"resourceType":"Patient","identifier":[{"system":"\#(system)","value":"\#(value)"}]}"#
    }

    @Test func nhsNumbersAreCheckedWithModulus11WhereverTheyAppear() {
        #expect(FHIRFixtures.codes(patient(system: NHSNumber.system, value: "9434765919")).isEmpty)
        let issues = FHIRFixtures.issues(patient(system: NHSNumber.system, value: "9434765918"))
        #expect(issues.map(\.code) == ["nhs-number-check-digit"])
        #expect(issues.first?.location == "Patient.identifier[0].value")
        #expect(FHIRFixtures.codes(patient(system: NHSNumber.system, value: "94347659")) == ["nhs-number-format"])
        let reference = #"{"resourceType":"Task","status":"requested","intent":"order","for":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765918"}}}"#
        #expect(FHIRFixtures.issues(reference).first?.location == "Task.for.identifier.value")
    }

    @Test(arguments: [("A83008", true), ("X26", true), ("RBA", true), ("a83008", false), ("AB", false), ("A830081", false), ("A8-30", false)])
    func odsOrganisationCodes(_ code: String, _ valid: Bool) {
        let codes = FHIRFixtures.codes(patient(system: FHIRIdentifierRules.odsOrganizationSystem, value: code))
        #expect(codes == (valid ? [] : ["ods-code-format"]))
    }

    @Test func odsSiteCodesMayBeLonger() {
        #expect(FHIRFixtures.codes(patient(system: FHIRIdentifierRules.odsSiteSystem, value: "R0A0912345")).isEmpty)
        #expect(FHIRFixtures.codes(patient(system: FHIRIdentifierRules.odsSiteSystem, value: "R0A09123456")) == ["ods-code-format"])
    }

    @Test func uuidBusinessIdentifiersMustBeUUIDs() {
        #expect(FHIRFixtures.codes(patient(system: FHIRIdentifierRules.uuidSystem, value: "0C3151BD-1cbf-4d64-b04d-cd9187a4c6e0")).isEmpty)
        #expect(FHIRFixtures.codes(patient(system: FHIRIdentifierRules.uuidSystem, value: "not-a-uuid")) == ["uuid-identifier-format"])
        #expect(FHIRIdentifierRules.normalisedValue("0C3151BD-1CBF-4D64-B04D-CD9187A4C6E0", system: "x") == "0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0")
        #expect(FHIRIdentifierRules.normalisedValue("943 476 5919", system: NHSNumber.system) == "9434765919")
    }

    @Test(arguments: ["24F5DA-A83008-7EFE6Z", "315A44-A83008-4C9BB1", "CDF34E-A99968-4FF3BQ"])
    func epsPrescriptionIdsWithAValidCheckCharacter(_ id: String) {
        #expect(FHIRIdentifierRules.prescriptionIDProblem(id) == nil)
    }

    @Test func epsPrescriptionIdChecksumAndFormat() {
        #expect(FHIRIdentifierRules.prescriptionIDProblem("269CA9-A99968-4577BP")?.code == "eps-prescription-id-checksum")
        #expect(FHIRIdentifierRules.prescriptionIDProblem("269CA9A99968-4577BP")?.code == "eps-prescription-id-format")
        // A check value of 36 is written '+'.
        var found = false
        for n in 0..<2000 where !found {
            let body = String(format: "%06X-A83008-%05X", n, n)
            let candidates = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+".map { body + String($0) }
            let valid = candidates.filter { FHIRIdentifierRules.prescriptionIDProblem($0) == nil }
            #expect(valid.count == 1, "exactly one check character per body")
            if valid.first?.hasSuffix("+") == true { found = true }
        }
        #expect(found)
    }

    // MARK: EPS message rules

    func epsMessage(event: String, status: String, intent: String, statusReason: Bool = false, group: String = "24F5DA-A83008-7EFE6Z") -> String {
        let reason = statusReason ? #","statusReason":{"text":"x"}"# : ""
        return #"""
        {"resourceType":"Bundle","type":"message","entry":[
          {"resource":{"resourceType":"MessageHeader","eventCoding":{"system":"https://fhir.nhs.uk/CodeSystem/message-event","code":"\#(event)"},"source":{"endpoint":"urn:x"}}},
          {"resource":{"resourceType":"MedicationRequest","status":"\#(status)","intent":"\#(intent)"\#(reason),"subject":{"display":"x"},"medicationCodeableConcept":{"text":"x"},
            "groupIdentifier":{"system":"https://fhir.nhs.uk/Id/prescription-order-number","value":"\#(group)"}}}]}
        """#
    }

    func epsCodes(_ text: String) -> [String] {
        EPSMessageRules.check(FHIRFixtures.json(text).object ?? JSONObject()).map(\.code)
    }

    @Test func prescriptionOrdersNeedActiveOrderIntentsAndOneGroup() {
        #expect(epsCodes(epsMessage(event: "prescription-order", status: "active", intent: "order")).isEmpty)
        #expect(epsCodes(epsMessage(event: "prescription-order", status: "active", intent: "plan")) == ["eps-medication-request-intent"])
        #expect(epsCodes(epsMessage(event: "prescription-order", status: "cancelled", intent: "reflex-order"))
                == ["eps-medication-request-intent", "eps-medication-request-status"])
        #expect(epsCodes(epsMessage(event: "dispense-notification", status: "active", intent: "plan")).isEmpty)
    }

    @Test func cancellationsNeedCancelledStatusAndAReason() {
        #expect(epsCodes(epsMessage(event: "prescription-order-update", status: "cancelled", intent: "order", statusReason: true)).isEmpty)
        #expect(epsCodes(epsMessage(event: "prescription-order-update", status: "active", intent: "order"))
                == ["eps-cancellation-status", "eps-cancellation-reason"])
    }

    // MARK: Other FHIR versions

    @Test func stu3ContentIsRecognised() {
        let referral = FHIRVersionDetector.evidence(in: FHIRFixtures.json(#"{"resourceType":"ReferralRequest"}"#))
        #expect(referral.map(\.code) == ["fhir-stu3-not-supported"])
        #expect(referral.first?.text.contains("STU3") == true)
        let profile = #"{"resourceType":"Patient","meta":{"profile":["https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Patient-1"]}}"#
        #expect(FHIRVersionDetector.evidence(in: FHIRFixtures.json(profile)).first?.location == "Patient.meta.profile[0]")
        let header = #"{"resourceType":"Bundle","type":"message","entry":[{"resource":{"resourceType":"MessageHeader","event":{"code":"x"}}}]}"#
        #expect(FHIRVersionDetector.evidence(in: FHIRFixtures.json(header)).first?.location == "Bundle.entry[0].resource.event")
        let capability = #"{"resourceType":"CapabilityStatement","fhirVersion":"3.0.2"}"#
        #expect(FHIRVersionDetector.evidence(in: FHIRFixtures.json(capability)).map(\.code) == ["fhir-stu3-not-supported"])
    }

    /// The same drop gets the same answer in every run: STU3's elements are named in a fixed order (a set's
    /// order changes from one process to the next, as its hashing is seeded per process).
    @Test func stu3ElementsAreReportedInAFixedOrder() {
        let header = #"{"resourceType":"MessageHeader","receiver":{},"timestamp":"2017-01-01","event":{"code":"x"}}"#
        #expect(FHIRVersionDetector.evidence(in: FHIRFixtures.json(header)).map(\.location)
            == ["MessageHeader.event", "MessageHeader.timestamp", "MessageHeader.receiver"])
    }

    @Test func dstu2ContentIsRecognised() {
        #expect(FHIRVersionDetector.evidence(in: FHIRFixtures.json(#"{"resourceType":"DiagnosticOrder"}"#)).map(\.code) == ["fhir-version-not-supported"])
    }

    @Test func r4ContentShowsNoOtherVersion() {
        let r4 = #"{"resourceType":"Patient","meta":{"profile":["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"]}}"#
        #expect(FHIRVersionDetector.evidence(in: FHIRFixtures.json(r4)).isEmpty)
    }

    @Test func stu3DropsAreRejectedAsSuch() {
        let drop = FHIRFixtures.decode(#"{"resourceType":"ProcedureRequest","status":"active"}"#)
        #expect(drop.messages.isEmpty)
        #expect(drop.issues.map(\.code) == ["fhir-stu3-not-supported"])
        #expect(drop.issues.first?.type == "not-supported")
    }
}
