import Testing
@testable import PostroomCore

/// REF^I12 and RRI^I12 as eRS referrals: RF1-6 in the UBRN namespace (checked), the rejection reason
/// from NTE, the referral's Task named by RF1-11.
@Suite struct ReferralMappingTests {
    @Test func aUBRNInRF1_6IsCheckedAndStoredWithTheNHSSystem() throws {
        let ref = HL7Samples.message([HL7Samples.msh("REF^I12^REF_I12"), "RF1|P|R^Routine|CARD^Cardiology|||000049295712^UBRN",
                                      "PRD|RP|WHO^JOHN", HL7Samples.pid])
        #expect(ref.issues.filter(\.isError).isEmpty)
        let r = try #require(ref.requests.first)
        #expect(r.keys == ["plac|UBRN|000049295712"])
        #expect(r.resource["identifier"]?[0]?["system"]?.string == "https://fhir.nhs.uk/Id/ubrn")
        let bad = HL7Samples.message([HL7Samples.msh("REF^I12^REF_I12"), "RF1|P|R^Routine|CARD^Cardiology|||4929571^UBRN", "PRD|RP|WHO^JOHN",
                                      HL7Samples.pid])
        #expect(bad.issues.contains { $0.code == "ubrn-format" && $0.location == "RF1-6" })
        #expect(bad.requests.isEmpty)
    }

    @Test func aRejectionsReasonComesFromNTEAndRF1_3IsNotAReason() throws {
        let withNote = HL7Samples.message([HL7Samples.msh("RRI^I12^RRI_I12"), "MSA|AA|MSG001", "RF1|R||CARD^Cardiology|||000049295712^UBRN",
                                           "PRD|RT|HEART", HL7Samples.pid, "NTE|1||No capacity"])
        #expect(withNote.requests.first?.event == .rejected(reason: "No capacity"))
        let without = HL7Samples.message([HL7Samples.msh("RRI^I12^RRI_I12"), "MSA|AA|MSG001", "RF1|R||CARD^Cardiology|||000049295712^UBRN",
                                          "PRD|RT|HEART", HL7Samples.pid])
        #expect(without.requests.first?.event == .rejected(reason: nil))
    }

    @Test func rf1_11AloneNamesTheTaskByItsBusinessIdentifier() throws {
        let m = HL7Samples.message([HL7Samples.msh("RRI^I12^RRI_I12"), "MSA|AA|MSG001",
                                    "RF1|A||||||||||0f8a-task^^https://postroom.example/Id/task^URI", "PRD|RT|HEART", HL7Samples.pid])
        #expect(m.issues.filter(\.isError).isEmpty, "\(m.issues)")
        let keys = try #require(m.requests.first?.keys)
        #expect(IdentityNamespaces.standard.canonical(keys) == ["ns|https://postroom.example/Id/task|0f8a-task"])
        let neither = HL7Samples.message([HL7Samples.msh("RRI^I12^RRI_I12"), "MSA|AA|MSG001", "RF1|A", "PRD|RT|HEART", HL7Samples.pid])
        #expect(neither.issues.contains { $0.code == "required-field-missing" })
    }
}
