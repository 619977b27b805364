/// The acknowledgement decisions in one place: AA/AE/AR, CA/CE/CR, and the table 0357 code of each issue.
public enum HL7AckPolicy {
    /// Issue codes that make an answer AR (and CR) rather than AE: not about content, or a
    /// file that arrived incomplete (a resend may succeed).
    public static let rejectCodes: Set<String> = [
        "unsupported-message-type", "unsupported-event", "unsupported-version", "unsupported-processing-id",
        "batch-truncated", "batch-count-mismatch",
    ]

    /// Postroom issue codes → HL7 table 0357 error codes.
    public static let errorCodes: [String: String] = [
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
