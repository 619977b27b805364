import Foundation
import Testing
@testable import PostroomCore

/// Every file of the FHIR corpus (`Fixtures/fhir/corpus`, from /work/shared/corpus/fhir) has a defined outcome.
@Suite struct FHIRCorpusTests {
    enum Outcome: CustomStringConvertible {
        /// Decoded with no error.
        case accepted
        /// Rejected; the issue code is among the message's (or the drop's) errors.
        case rejected(String)

        var description: String {
            switch self {
            case .accepted: "accepted"
            case .rejected(let code): "rejected(\(code))"
            }
        }
    }

    static let expected: [String: Outcome] = [
        "bars_MessageDefinition_ServiceRequest-request_CaseTransfer.json": .rejected("cardinality-max"),  // useContext.code given as an array
        "bars_bad-request.json": .accepted,  // a valid OperationOutcome (BaRS's own "bad request" answer)
        "bars_document_reference_GET-success.json": .rejected("json-syntax"),  // upstream defect: missing comma
        "bars_request_Booking_POST.json": .accepted,
        "bars_request_ValidationRequest_POST.json": .rejected("nhs-number-check-digit"),  // 3478526985 fails Modulus 11
        "bars_request_ValidationResponse_POST.json": .rejected("nhs-number-check-digit"),
        "bars_response_Booking_HTTP_Response.json": .rejected("required-element-missing"),  // template placeholders
        "bars_service_request_PATCH-body.json": .rejected("code-not-in-required-binding"),  // status "inactive"
        "bars_service_request_PUT-body.json": .rejected("json-array-expected"),  // basedOn not an array
        "eps_1-Process-Request-Cancel-200_OK.json": .accepted,
        "eps_1-Process-Request-Send-200_OK.json": .accepted,
        "eps_1-Process-Request-Send-400_INVALID_CHECKSUM.json": .rejected("eps-prescription-id-checksum"),
        "eps_1-Process-Response-Send-200_OK.json": .accepted,
        "eps_1-Process-Response-Send-400_INVALID_CHECKSUM.json": .accepted,
        "eps_1-Task-Request-Release-200_OK.json": .accepted,
        "eps_2-Process-Response-Cancel-200_OK.json": .accepted,
        "eps_4-Process-Request-Send-400_invalid_intent.json": .rejected("eps-medication-request-intent"),
        "eps_R-0008-Cancellation.json": .accepted,
        "eps_cancellations_1-Process-Request-Send-200_OK.json": .accepted,
        "eps_dispense-notification_acute-primary-example-01-req.json": .accepted,
        "eps_prescription-order-update_bundle-error.json": .accepted,
        "eps_return_acute-primary-example-req.json": .accepted,
        "eps_task_success.json": .accepted,
        "eps_withdraw_acute-primary-example-req.json": .accepted,
        "ers_ResponseExampleEmpty.json": .accepted,
        "ers_ResponseExampleReferral.json": .accepted,
        "ers_ResponseExampleReferralAndAdvice.json": .accepted,
        "ers_stu3_createReferral_MinimalRequest.json": .rejected("fhir-stu3-not-supported"),
        "iops_Bundle-Transaction-ClinicalObservations.json": .rejected("nhs-number-check-digit"),  // 9378954317
        "iops_Bundle-message-dailyReport.json": .accepted,
        "iops_ServiceRequest-virtualWards.json": .rejected("ubrn-format"),  // a UUID given as a UBRN (e-Referral UBRNs are 12 digits)
        "iops_Task-formComplete-completed.json": .accepted,
        "iops_Task-formComplete.json": .accepted,
        "iops_UKCore-Bundle-MichaelJonesRequest-Example_minimal.json": .accepted,
        "iops_UKCore-Bundle-MichaelJonesRequest-Example_v3_message.json": .accepted,
        "mscvt_LAB-ORU-1-expected.json": .rejected("required-element-missing"),  // Provenance.agent.who
        "mscvt_ORM-O01-01-expected.json": .accepted,
        "nhs111_conformance-example-ic24-original-fhir-result.json": .rejected("fhir-stu3-not-supported"),
        "nhslab_multi_pathology_msg1.fhir.json": .rejected("fhir-stu3-not-supported"),
        "nhslab_pathology_2.fhir.json": .rejected("fhir-stu3-not-supported"),
        "r4ex_Bundle-10bb101f-a121-4264-a920-67be9cb82c74.json": .rejected("bundle-fullurl-id-mismatch"),  // Patient/pat12 vs id pat2
        "r4ex_Bundle-3a0707d3-549e-4467-b8b8-5a2ab3800efe.json": .rejected("bundle-fullurl-id-mismatch"),
        "r4ex_Bundle-bundle-response.json": .accepted,
        "r4ex_Bundle-bundle-transaction.json": .accepted,
        "r4ex_Bundle-f001.json": .accepted,
        "r4ex_Bundle-father.json": .accepted,
        "r4ex_Bundle-lipids.json": .accepted,
        "r4ex_Bundle-lri-example.json": .rejected("bundle-fullurl-id-mismatch"),  // lri-gramstain1 vs gramstain1
        "r4ex_Bundle-micro.json": .accepted,
        "r4ex_DiagnosticReport-example-pgx.json": .accepted,
        "r4ex_DiagnosticReport-f201.json": .accepted,
        "r4ex_DiagnosticReport-ultrasound.json": .accepted,
        "r4ex_MessageHeader-1cbdfb97-5859-48a4-8301-d54eab818d68.json": .accepted,
        "r4ex_Observation-f001.json": .accepted,
        "r4ex_OperationOutcome-validationfail.json": .accepted,
        "r4ex_ServiceRequest-example-pgx.json": .accepted,
        "r4ex_ServiceRequest-ft4.json": .accepted,
        "r4ex_ServiceRequest-lipid.json": .accepted,
        "r4ex_ServiceRequest-subrequest.json": .accepted,
        "r4ex_Specimen-101.json": .accepted,
        "r4ex_Task-example1.json": .accepted,
        "r4ex_Task-example2.json": .accepted,
        "r4ex_Task-example3.json": .accepted,
        "r4ex_Task-example4.json": .accepted,
        "r4ex_Task-example5.json": .accepted,
        "r4ex_Task-example6.json": .accepted,
        "ti_001_OML_O21_short.fhir": .accepted,
        "ti_002_2_ORU_R01_short_linked_to_003_ORM_O01_short.fhir": .rejected("ext-1"),
        "ti_003_2_ORM_O01_short_linked_to_002_ORU_R01_short.fhir": .rejected("required-element-missing"),  // ServiceRequest.intent
        "ti_006_CA_ORU_R01_one_diagnostic_report_without_basedOn.fhir": .rejected("required-element-missing"),
        "ukcore_UKCore-Bundle-BatchPOST-Example.xml": .rejected("fhir-xml-not-supported"),
        "ukcore_UKCore-DiagnosticReport-Lab-DiagnosticStudiesReport-Example.xml": .rejected("fhir-xml-not-supported"),
        "ukcore_UKCore-MessageHeader-Discharge-Example.xml": .rejected("fhir-xml-not-supported"),
        "ukcore_UKCore-Observation-Lab-Albumin-Example.xml": .rejected("fhir-xml-not-supported"),
        "ukcore_UKCore-ServiceRequest-ColonoscopyRequest-Example.xml": .rejected("fhir-xml-not-supported"),
        "ukcore_UKCore-ServiceRequest-Lab-CReactiveProtein-Example.xml": .rejected("fhir-xml-not-supported"),
        "ukcore_UKCore-Specimen-BloodSpecimen-Example.xml": .rejected("fhir-xml-not-supported"),
        "ukcore_UKCore-Task-Colonoscopy-Example.xml": .rejected("fhir-xml-not-supported"),
    ]

    @Test func theTableCoversTheWholeCorpus() {
        #expect(Set(FHIRFixtures.corpusNames()) == Set(Self.expected.keys))
        #expect(Self.expected.count == 78)
    }

    @Test(arguments: FHIRFixtures.corpusNames())
    func eachFileHasItsOutcome(_ name: String) throws {
        let outcome = try #require(Self.expected[name])
        let started = Date()
        let drop = Decoder.decode(FHIRFixtures.corpusBytes(name), accepting: [.fhir])
        #expect(Date().timeIntervalSince(started) < 1, "\(name) took too long")
        let errors = (drop.issues + drop.messages.flatMap(\.issues)).filter(\.isError)
        switch outcome {
        case .accepted:
            #expect(errors.isEmpty, "\(name): \(errors.map { "\($0.code) \($0.location ?? "")" })")
            #expect(drop.messages.count == 1)
        case .rejected(let code):
            #expect(errors.contains { $0.code == code }, "\(name): \(errors.map(\.code))")
        }
        for issue in errors { #expect(!issue.text.isEmpty && !issue.code.isEmpty) }
    }

    /// EPS "400" examples are refused for the reason of their paired OperationOutcome.
    @Test func epsInvalidChecksumIsRefusedForTheReasonEPSGives() throws {
        let answer = try JSONParser().parse(FHIRFixtures.corpusBytes("eps_1-Process-Response-Send-400_INVALID_CHECKSUM.json"))
        let display = try #require(answer["issue"]?[0]?["details"]?["coding"]?[0]?["display"]?.string)
        #expect(display.contains("prescriptionID has invalid checksum"))
        let m = try #require(FHIRDecoder.decode(FHIRFixtures.corpusBytes("eps_1-Process-Request-Send-400_INVALID_CHECKSUM.json"),
                                                options: DecodeOptions()).messages.first)
        #expect(m.issues.filter(\.isError).map(\.code) == ["eps-prescription-id-checksum"])
        #expect(m.issues.first?.location == "Bundle.entry[1].resource.groupIdentifier.value")
        // The same prescription with a valid check character is accepted.
        #expect(FHIRIdentifierRules.prescriptionIDProblem("269CA9-A99968-4577BF") == nil)
    }

    /// The invalid-intent example (no paired OperationOutcome in the corpus; its name gives the reason).
    @Test func epsInvalidIntentIsRefusedForItsIntent() throws {
        let m = try #require(FHIRDecoder.decode(FHIRFixtures.corpusBytes("eps_4-Process-Request-Send-400_invalid_intent.json"),
                                                options: DecodeOptions()).messages.first)
        #expect(m.issues.filter(\.isError).map(\.code) == ["eps-medication-request-intent"])
        #expect(m.issues.first?.location == "Bundle.entry[1].resource.intent")
    }

    /// FHIR XML is recognised by its namespace and refused as not supported, by the dispatcher and the FHIR decoder.
    @Test(arguments: FHIRFixtures.corpusNames().filter { $0.hasSuffix(".xml") })
    func fhirXMLIsRefused(_ name: String) {
        let bytes = FHIRFixtures.corpusBytes(name)
        let drop = Decoder.decode(bytes, accepting: [.fhir])
        #expect(drop.messages.isEmpty && drop.issues.map(\.code) == ["fhir-xml-not-supported"])
        #expect(drop.format == .fhir)
        #expect(FHIRDecoder.decode(bytes, options: DecodeOptions()).issues.map(\.code) == ["fhir-xml-not-supported"])
    }
}
