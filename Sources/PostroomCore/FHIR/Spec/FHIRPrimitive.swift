/// The FHIR R4 primitive types, each with the JSON type it is written as and a hand-written
/// matcher for its lexical form (the spec's regexes, without a regex engine on the hot path).
public enum FHIRPrimitive: String, Sendable, CaseIterable {
    case base64Binary, boolean, canonical, code, date, dateTime, decimal, id, instant, integer
    case markdown, oid, positiveInt, string, time, unsignedInt, uri, url, uuid, xhtml

    /// The JSON type a primitive is written as in FHIR JSON.
    public enum JSONKind: Sendable {
        case string, number, boolean
    }

    /// The JSON type of this primitive's values.
    public var jsonKind: JSONKind {
        switch self {
        case .boolean: .boolean
        case .integer, .decimal, .positiveInt, .unsignedInt: .number
        default: .string
        }
    }

    /// Why a value does not match its primitive type, or nil when it matches.
    ///
    /// `text` is the JSON string's content or the JSON number's source text; the JSON type
    /// itself has already been checked against `jsonKind`.
    public func formatProblem(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes in
            FHIRPrimitiveMatcher(bytes: bytes).problem(for: self)
        }
    }

    /// A short description of the expected form, for issue texts.
    public var expectation: String {
        switch self {
        case .base64Binary: "base64 data"
        case .boolean: "true or false"
        case .canonical, .uri, .url: "a URI without whitespace"
        case .code: "a code without leading, trailing or repeated whitespace"
        case .date: "a date YYYY, YYYY-MM or YYYY-MM-DD"
        case .dateTime: "a date, or a date and time with seconds and a time zone"
        case .decimal: "a decimal number"
        case .id: "1–64 characters A–Z, a–z, 0–9, '-' and '.'"
        case .instant: "a date and time with seconds and a time zone"
        case .integer: "a 32-bit integer"
        case .markdown, .string, .xhtml: "a non-empty string"
        case .oid: "urn:oid: followed by an OID"
        case .positiveInt: "an integer of 1 or more"
        case .time: "a time hh:mm:ss"
        case .unsignedInt: "an integer of 0 or more"
        case .uuid: "urn:uuid: followed by a lower-case UUID"
        }
    }
}
