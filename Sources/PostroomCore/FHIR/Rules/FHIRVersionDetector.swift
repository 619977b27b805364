/// Recognises FHIR content of other versions (STU3 above all, common in NHS feeds: ITK3,
/// CareConnect, e-RS) so it is refused as such rather than as a flood of R4 errors.
public enum FHIRVersionDetector {
    /// A FHIR version other than R4: the issue code and a name for texts.
    public struct Version: Sendable, Equatable {
        /// The issue code (`fhir-stu3-not-supported`).
        public var code: String
        /// The version as texts name it (`FHIR STU3`).
        public var name: String
    }

    static let stu3 = Version(code: IssueCode.fhirSTU3NotSupported.code, name: "FHIR STU3")
    static let dstu2 = Version(code: IssueCode.fhirVersionNotSupported.code, name: "FHIR DSTU2")

    /// Resource types of STU3 that R4 removed or renamed.
    static let stu3Resources: Set<String> = [
        "BodySite", "DataElement", "DeviceComponent", "EligibilityRequest", "EligibilityResponse", "ExpansionProfile",
        "ImagingManifest", "ProcedureRequest", "ProcessRequest", "ProcessResponse", "ReferralRequest", "Sequence",
        "ServiceDefinition",
    ]
    /// Resource types of DSTU2 that later versions removed.
    static let dstu2Resources: Set<String> = [
        "Conformance", "DeviceUseRequest", "DiagnosticOrder", "MedicationOrder", "Order", "OrderResponse",
    ]
    /// Elements that exist in STU3 but not in R4, by resource type (in order: issues come out in this order).
    static let stu3Elements: [String: [String]] = [
        "MessageHeader": ["event", "timestamp", "receiver"],
        "Observation": ["comment", "context"],
        "DiagnosticReport": ["context", "codedDiagnosis", "image"],
        "Condition": ["context", "assertedDate"],
        "Procedure": ["context", "notDone", "notDoneReason", "definition"],
        "MedicationRequest": ["context", "definition"],
        "Patient": ["animal"],
        "Encounter": ["incomingReferral"],
    ]

    /// The other version a resource type belongs to, or nil (R4 types and unknown names).
    public static func otherVersion(ofResourceType type: String) -> Version? {
        if stu3Resources.contains(type) { return stu3 }
        if dstu2Resources.contains(type) { return dstu2 }
        return nil
    }

    /// Issues naming the evidence that a resource tree is not FHIR R4 (empty when none is found).
    ///
    /// Looks at the resource types (root, Bundle entries, contained, Parameters), `meta.profile`
    /// (STU3/CareConnect/DSTU2 profile URLs), `fhirVersion`, and elements that only STU3 has.
    public static func evidence(in root: JSONValue) -> [Issue] {
        var issues: [Issue] = []
        scan(root, path: root["resourceType"]?.string ?? "", into: &issues)
        return issues
    }

    static func scan(_ value: JSONValue, path: String, into issues: inout [Issue]) {
        guard issues.count < 5, let o = value.object, let type = o["resourceType"]?.string else { return }
        func add(_ v: Version, _ at: String, _ what: String) {
            issues.append(.error(v.code, type: "not-supported", at: at,
                                 "This is \(v.name) content (\(what)): Postroom accepts FHIR R4 (4.0.1) only"))
        }
        if let v = otherVersion(ofResourceType: type) {
            add(v, path + ".resourceType", "resource type \(type)")
        }
        for (i, p) in (o["meta"]?["profile"]?.array ?? []).enumerated() {
            guard let url = p.string else { continue }
            if url.contains("/STU3/") || url.contains("CareConnect-") {
                add(stu3, path + ".meta.profile[\(i)]", "an STU3 profile")
            } else if url.contains("/DSTU2/") {
                add(dstu2, path + ".meta.profile[\(i)]", "a DSTU2 profile")
            }
        }
        if let version = o["fhirVersion"]?.string {
            if version.hasPrefix("3.") { add(stu3, path + ".fhirVersion", "fhirVersion \(version)") }
            if version.hasPrefix("1.0") { add(dstu2, path + ".fhirVersion", "fhirVersion \(version)") }
        }
        for key in stu3Elements[type] ?? [] where o[key] != nil {
            add(stu3, path + "." + key, "element \(type).\(key)")
        }
        for (i, item) in (o["contained"]?.array ?? []).enumerated() {
            scan(item, path: path + ".contained[\(i)]", into: &issues)
        }
        if type == "Bundle" {
            for (i, entry) in (o["entry"]?.array ?? []).enumerated() {
                if let r = entry["resource"] { scan(r, path: path + ".entry[\(i)].resource", into: &issues) }
            }
        }
        if type == "Parameters" {
            for (i, parameter) in (o["parameter"]?.array ?? []).enumerated() {
                if let r = parameter["resource"] { scan(r, path: path + ".parameter[\(i)].resource", into: &issues) }
            }
        }
    }
}
