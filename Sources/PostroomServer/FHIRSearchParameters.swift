/// The FHIR resource types and search parameters `postroom serve` supports — the one list the
/// parser, the CapabilityStatement and the README agree on.
enum FHIRSearchParameters {
    /// A search parameter's kind.
    enum Kind: String {
        case token, reference, date
        /// A reference parameter searched with the `:identifier` modifier (`subject:identifier=system|value`).
        case referenceIdentifier
    }

    /// One supported search parameter.
    struct Parameter {
        /// The name as written in a URL, modifier included (`subject:identifier`).
        var name: String
        var kind: Kind
        /// For references: the resource types an id-only value may name.
        var targets: [String] = []
        /// For tokens: a code (`status`), whose system is implied, rather than an identifier.
        var codeOnly = false
        /// The FHIRPath expression (for the CapabilityStatement's documentation).
        var expression: String
        /// The canonical SearchParameter of the base specification.
        var definition: String

        /// The parameter's name without its modifier (as the CapabilityStatement lists it).
        var baseName: String { name.split(separator: ":").first.map(String.init) ?? name }
    }

    /// An `_include` a type supports, with the reference it follows.
    struct Include {
        var value: String
        /// The JSON path of the reference element(s) in the resource.
        var element: String
    }

    static let requestTargets = ["ServiceRequest", "CarePlan", "ImmunizationRecommendation", "MedicationRequest", "NutritionOrder",
                                 "DeviceRequest"]
    static let anyTarget = ["ServiceRequest", "Task", "DiagnosticReport", "Observation", "DocumentReference", "Patient", "MedicationRequest",
                            "MedicationDispense", "Appointment"]

    static func spec(_ code: String) -> String { "http://hl7.org/fhir/SearchParameter/" + code }

    /// The supported types, in the order the CapabilityStatement lists them.
    static let types = ["ServiceRequest", "Task", "DiagnosticReport", "Observation", "DocumentReference", "Patient", "MedicationRequest",
                        "MedicationDispense", "Appointment"]

    /// Above this many matches a search's `total` is left out unless `_total=accurate` asks for it.
    static let totalBound = 10_000

    /// The search parameters of each type.
    static let parameters: [String: [Parameter]] = [
        "ServiceRequest": [
            Parameter(name: "identifier", kind: .token, expression: "ServiceRequest.identifier", definition: spec("clinical-identifier")),
            Parameter(name: "status", kind: .token, codeOnly: true, expression: "ServiceRequest.status", definition: spec("ServiceRequest-status")),
            Parameter(name: "subject:identifier", kind: .referenceIdentifier, expression: "ServiceRequest.subject",
                      definition: spec("ServiceRequest-subject")),
            Parameter(name: "authored", kind: .date, expression: "ServiceRequest.authoredOn", definition: spec("ServiceRequest-authored")),
        ],
        "Task": [
            Parameter(name: "focus", kind: .reference, targets: anyTarget, expression: "Task.focus", definition: spec("Task-focus")),
            Parameter(name: "focus:identifier", kind: .referenceIdentifier, expression: "Task.focus", definition: spec("Task-focus")),
            Parameter(name: "status", kind: .token, codeOnly: true, expression: "Task.status", definition: spec("Task-status")),
            Parameter(name: "owner:identifier", kind: .referenceIdentifier, expression: "Task.owner", definition: spec("Task-owner")),
            Parameter(name: "requester:identifier", kind: .referenceIdentifier, expression: "Task.requester",
                      definition: spec("Task-requester")),
            Parameter(name: "part-of", kind: .reference, targets: ["Task"], expression: "Task.partOf", definition: spec("Task-part-of")),
            Parameter(name: "modified", kind: .date, expression: "Task.lastModified", definition: spec("Task-modified")),
        ],
        "DiagnosticReport": [
            Parameter(name: "based-on", kind: .reference, targets: requestTargets, expression: "DiagnosticReport.basedOn",
                      definition: spec("DiagnosticReport-based-on")),
            Parameter(name: "based-on:identifier", kind: .referenceIdentifier, expression: "DiagnosticReport.basedOn",
                      definition: spec("DiagnosticReport-based-on")),
            Parameter(name: "status", kind: .token, codeOnly: true, expression: "DiagnosticReport.status",
                      definition: spec("DiagnosticReport-status")),
            Parameter(name: "subject:identifier", kind: .referenceIdentifier, expression: "DiagnosticReport.subject",
                      definition: spec("DiagnosticReport-subject")),
        ],
        "Observation": [
            Parameter(name: "based-on", kind: .reference, targets: requestTargets, expression: "Observation.basedOn",
                      definition: spec("Observation-based-on")),
            Parameter(name: "subject:identifier", kind: .referenceIdentifier, expression: "Observation.subject",
                      definition: spec("Observation-subject")),
        ],
        "DocumentReference": [
            Parameter(name: "related", kind: .reference, targets: anyTarget, expression: "DocumentReference.context.related",
                      definition: spec("DocumentReference-related")),
            Parameter(name: "related:identifier", kind: .referenceIdentifier, expression: "DocumentReference.context.related",
                      definition: spec("DocumentReference-related")),
            Parameter(name: "subject:identifier", kind: .referenceIdentifier, expression: "DocumentReference.subject",
                      definition: spec("DocumentReference-subject")),
        ],
        "Patient": [
            Parameter(name: "identifier", kind: .token, expression: "Patient.identifier", definition: spec("Patient-identifier")),
        ],
        "MedicationRequest": [
            Parameter(name: "identifier", kind: .token, expression: "MedicationRequest.identifier", definition: spec("clinical-identifier")),
            // The EPS short-form prescription id (no base SearchParameter: NHS England's EPS API searches by it).
            Parameter(name: "group-identifier", kind: .token, expression: "MedicationRequest.groupIdentifier",
                      definition: "https://fhir.nhs.uk/SearchParameter/MedicationRequest-group-identifier"),
            Parameter(name: "status", kind: .token, codeOnly: true, expression: "MedicationRequest.status", definition: spec("medications-status")),
            Parameter(name: "subject:identifier", kind: .referenceIdentifier, expression: "MedicationRequest.subject",
                      definition: spec("MedicationRequest-subject")),
        ],
        "MedicationDispense": [
            Parameter(name: "prescription", kind: .reference, targets: ["MedicationRequest"], expression: "MedicationDispense.authorizingPrescription",
                      definition: spec("MedicationDispense-prescription")),
            Parameter(name: "status", kind: .token, codeOnly: true, expression: "MedicationDispense.status", definition: spec("medications-status")),
            Parameter(name: "subject:identifier", kind: .referenceIdentifier, expression: "MedicationDispense.subject",
                      definition: spec("MedicationDispense-subject")),
        ],
        "Appointment": [
            Parameter(name: "based-on", kind: .reference, targets: ["ServiceRequest"], expression: "Appointment.basedOn",
                      definition: spec("Appointment-based-on")),
            Parameter(name: "based-on:identifier", kind: .referenceIdentifier, expression: "Appointment.basedOn",
                      definition: spec("Appointment-based-on")),
            Parameter(name: "identifier", kind: .token, expression: "Appointment.identifier", definition: spec("clinical-identifier")),
            Parameter(name: "status", kind: .token, codeOnly: true, expression: "Appointment.status", definition: spec("Appointment-status")),
        ],
    ]

    /// The `_include` values of each type.
    static let includes: [String: [Include]] = [
        "DiagnosticReport": [Include(value: "DiagnosticReport:result", element: "result")],
        "Task": [Include(value: "Task:focus", element: "focus")],
    ]

    /// Parameters every search accepts besides the type's own.
    static let control = ["_count", "_offset", "_include", "_format"]

    /// The page size when `_count` is not given, and the largest page.
    static let defaultCount = 20
    static let maxCount = 100

    /// The largest `_offset` (and `_count` before it is clamped to `maxCount`): paging arithmetic never overflows.
    static let maxOffset = 1_000_000_000

    /// Alternatives (comma-separated values, counted across every parameter) one search may hold: each
    /// becomes bound variables and a branch of the SQL, which SQLite bounds (variables, expression depth).
    static let maxAlternatives = 400
}
