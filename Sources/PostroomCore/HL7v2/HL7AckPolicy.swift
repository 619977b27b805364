/// The acknowledgement decisions in one place: AA/AE/AR, CA/CE/CR, and the table 0357 code of each issue.
public enum HL7AckPolicy {
    /// Issue codes that make an answer AR (and CR) rather than AE: not about content, or a
    /// file that arrived incomplete (a resend may succeed).
    public static let rejectCodes: Set<String> = Set([
        IssueCode.unsupportedMessageType, IssueCode.unsupportedEvent, IssueCode.unsupportedVersion,
        .unsupportedProcessingID, .batchTruncated, .batchCountMismatch,
    ].map(\.code))

    /// Postroom issue codes → HL7 table 0357 error codes (other codes go by their FHIR issue type).
    public static let errorCodes: [String: String] = {
        var map = unusedErrorCodes
        for (codes, err) in errorCodesByCatalogue {
            for code in codes { map[code.code] = err }
        }
        return map
    }()

    /// The table 0357 codes of the issue codes that have one of their own.
    static let errorCodesByCatalogue: [([IssueCode], String)] = [
        ([.segmentSequence, .segmentMissing, .segmentIDInvalid, .segmentOutsideMessage, .batchEnvelopeInvalid, .batchTruncated,
          .batchCountMismatch, .mshMissing], "100"),
        ([.requiredFieldMissing], "101"),
        ([.dataType, .mshInvalid, .encodingCharactersInvalid, .escapeSequence, .nhsNumberCheckDigit, .nhsNumberFormat,
          .characterSetMismatch, .characterSetFallback], "102"),
        ([.tableValue, .unsupportedCharacterSet], "103"),
        ([.unsupportedMessageType], "200"),
        ([.unsupportedEvent], "201"),
        ([.unsupportedProcessingID], "202"),
        ([.unsupportedVersion], "203"),
        ([.requestNotFound], "204"),
        ([.duplicateControlID], "205"),
    ]

    /// Mapped codes that no issue carries today (not in the catalogue); kept as they were.
    static let unusedErrorCodes: [String: String] = [
        "value-too-long": "104", "unknown-key": "204", "duplicate": "205", "record-locked": "206",
    ]

    /// The texts of table 0357.
    public static let errorTexts: [String: String] = [
        "0": "Message accepted", "100": "Segment sequence error", "101": "Required field missing", "102": "Data type error",
        "103": "Table value not found", "104": "Value too long", "200": "Unsupported message type", "201": "Unsupported event code",
        "202": "Unsupported processing id", "203": "Unsupported version id", "204": "Unknown key identifier",
        "205": "Duplicate key identifier", "206": "Application record locked", "207": "Application internal error",
    ]

    /// The table 0357 code of an issue (by code, then by FHIR issue type; 207 otherwise).
    public static func errorCode(for issue: Issue) -> String {
        if let code = errorCodes[issue.code] { return code }
        switch issue.type {
        case "structure": return "100"
        case "required": return "101"
        case "value", "invalid": return "102"
        case "code-invalid": return "103"
        case "not-supported": return "200"
        case "not-found": return "204"
        case "duplicate", "conflict": return "205"
        case "lock-error": return "206"
        default: return "207"
        }
    }

    /// Whether a rejection is for reasons other than content (AR / CR).
    static func isReject(_ result: MessageResult) -> Bool {
        result.transient || result.issues.contains { $0.isError && rejectCodes.contains($0.code) }
    }

    /// MSA-1 of the application (original-mode) acknowledgement: AA, AE or AR.
    public static func applicationCode(_ result: MessageResult) -> String {
        switch result.disposition {
        case .accepted, .held, .duplicate: "AA"
        case .rejected: isReject(result) ? "AR" : "AE"
        }
    }

    /// MSA-1 of the enhanced-mode commit acknowledgement: CA, CE (our failure) or CR (not supported / incomplete).
    public static func commitCode(_ result: MessageResult) -> String {
        guard result.disposition == .rejected else { return "CA" }
        if result.transient { return "CE" }
        return isReject(result) ? "CR" : "CA"
    }

    /// Whether an acknowledgement is due under a table 0155 condition (empty counts as AL).
    public static func isDue(_ condition: String, positive: Bool) -> Bool {
        switch condition {
        case "NE": false
        case "ER": !positive
        case "SU": positive
        default: true
        }
    }
}
