/// One finding about an input: what is wrong, how bad, where, and a stable code to rely on.
///
/// `code` is Postroom's own machine-readable code (e.g. `nhs-number-check-digit`);
/// `type` is the FHIR IssueType it maps to in an OperationOutcome. Texts never carry
/// patient data: they name elements and rules, not values.
public struct Issue: Sendable, Hashable, Codable {
    /// How serious an issue is (FHIR `OperationOutcome.issue.severity`).
    public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
        case fatal, error, warning, information

        var rank: Int {
            switch self {
            case .fatal: 3
            case .error: 2
            case .warning: 1
            case .information: 0
            }
        }

        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var severity: Severity
    /// Postroom's stable code for the rule (kebab-case).
    public var code: String
    /// The FHIR IssueType code (`invalid`, `required`, `structure`, `business-rule`, …).
    public var type: String
    /// Where: `OBR-2.1`, `Bundle.entry[2].resource.status`, `/ClinicalDocument/id`.
    public var location: String?
    /// A human sentence.
    public var text: String

    public init(_ severity: Severity, _ code: String, type: String = "invalid", at location: String? = nil, _ text: String) {
        self.severity = severity
        self.code = code
        self.type = type
        self.location = location
        self.text = text
    }

    /// Whether the issue makes the message unacceptable.
    public var isError: Bool { severity >= .error }

    public static func error(_ code: String, type: String = "invalid", at location: String? = nil, _ text: String) -> Issue {
        Issue(.error, code, type: type, at: location, text)
    }

    public static func warning(_ code: String, type: String = "invalid", at location: String? = nil, _ text: String) -> Issue {
        Issue(.warning, code, type: type, at: location, text)
    }

    public static func fatal(_ code: String, type: String = "structure", at location: String? = nil, _ text: String) -> Issue {
        Issue(.fatal, code, type: type, at: location, text)
    }

    public static func information(_ code: String, type: String = "informational", at location: String? = nil, _ text: String) -> Issue {
        Issue(.information, code, type: type, at: location, text)
    }
}

extension Array where Element == Issue {
    /// Whether any issue is an error or worse.
    public var hasErrors: Bool { contains { $0.isError } }
}
