/// Builds FHIR R4 OperationOutcome resources from issues.
public enum OperationOutcomeBuilder {
    /// An OperationOutcome listing `issues`; with no issues, a single `information` issue saying all is well.
    ///
    /// - Parameters:
    ///   - id: the resource id.
    ///   - issues: what to report; `location` goes into `expression` (FHIRPath) for FHIR
    ///     locations and into `location` otherwise; `code` goes into `details.coding`.
    ///   - okText: the text of the single issue used when `issues` is empty.
    public static func build(id: String, issues: [Issue], okText: String = "Accepted") -> JSONValue {
        var list: [JSONValue] = issues.map(issueJSON)
        if list.isEmpty {
            list = [.object(JSONObject([
                "severity": .string("information"),
                "code": .string("informational"),
                "diagnostics": .string(okText),
            ]))]
        }
        return .object(JSONObject([
            "resourceType": .string("OperationOutcome"),
            "id": .string(id),
            "issue": .array(list),
        ]))
    }

    /// The code system of Postroom's own issue codes (in `issue.details.coding`).
    public static let issueCodeSystem = "https://postroom.example.org/CodeSystem/issue-code"

    static func issueJSON(_ issue: Issue) -> JSONValue {
        var o = JSONObject([
            "severity": .string(issue.severity.rawValue),
            "code": .string(issue.type),
            "details": .object(JSONObject([
                "coding": .array([.object(JSONObject([
                    "system": .string(issueCodeSystem),
                    "code": .string(issue.code),
                ]))]),
                "text": .string(issue.text),
            ])),
        ])
        if let loc = issue.location {
            if looksLikeFHIRPath(loc) {
                o["expression"] = .array([.string(loc)])
            } else {
                o["location"] = .array([.string(loc)])
            }
        }
        return .object(o)
    }

    static func looksLikeFHIRPath(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        return first.properties.isUppercase && !s.contains("-") && !s.hasPrefix("/")
    }
}
