/// Issues made from catalogue codes: `.error(.patientMismatch, type: "business-rule", …)`.
extension Issue {
    public init(_ severity: Severity, _ code: IssueCode, type: String = "invalid", at location: String? = nil, _ text: String) {
        self.init(severity, code.code, type: type, at: location, text)
    }

    public static func error(_ code: IssueCode, type: String = "invalid", at location: String? = nil, _ text: String) -> Issue {
        Issue(.error, code.code, type: type, at: location, text)
    }

    public static func warning(_ code: IssueCode, type: String = "invalid", at location: String? = nil, _ text: String) -> Issue {
        Issue(.warning, code.code, type: type, at: location, text)
    }

    public static func fatal(_ code: IssueCode, type: String = "structure", at location: String? = nil, _ text: String) -> Issue {
        Issue(.fatal, code.code, type: type, at: location, text)
    }

    public static func information(_ code: IssueCode, type: String = "informational", at location: String? = nil,
                                   _ text: String) -> Issue {
        Issue(.information, code.code, type: type, at: location, text)
    }

    /// Whether this issue carries `code`.
    public func has(_ code: IssueCode) -> Bool { self.code == code.code }
}
