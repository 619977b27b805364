import Testing
@testable import PostroomCore

/// HL7AckPolicy now names catalogue codes; its mapping is what it was when it named strings.
@Suite struct HL7AckPolicyCatalogueTests {
    @Test func errorCodesAreUnchanged() {
        let before: [String: String] = [
            "segment-sequence": "100", "segment-missing": "100", "segment-id-invalid": "100", "segment-outside-message": "100",
            "batch-envelope-invalid": "100", "batch-truncated": "100", "batch-count-mismatch": "100", "msh-missing": "100",
            "required-field-missing": "101",
            "data-type": "102", "msh-invalid": "102", "encoding-characters-invalid": "102", "escape-sequence": "102",
            "nhs-number-check-digit": "102", "nhs-number-format": "102", "character-set-mismatch": "102", "character-set-fallback": "102",
            "table-value": "103", "unsupported-character-set": "103",
            "value-too-long": "104",
            "unsupported-message-type": "200", "unsupported-event": "201", "unsupported-processing-id": "202", "unsupported-version": "203",
            "request-not-found": "204", "unknown-key": "204",
            "duplicate-control-id": "205", "duplicate": "205",
            "record-locked": "206",
        ]
        #expect(HL7AckPolicy.errorCodes == before)
    }

    @Test func rejectCodesAreUnchangedAndCatalogued() {
        #expect(HL7AckPolicy.rejectCodes == [
            "unsupported-message-type", "unsupported-event", "unsupported-version", "unsupported-processing-id",
            "batch-truncated", "batch-count-mismatch",
        ])
        #expect(HL7AckPolicy.rejectCodes.allSatisfy { IssueCode.named($0) != nil })
    }
}
