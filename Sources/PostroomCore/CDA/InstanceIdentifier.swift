/// An HL7 v3 instance identifier (II): a `root` (OID or UUID) with an optional `extension`.
public struct InstanceIdentifier: Sendable, Hashable {
    /// The root as sent.
    public var root: String
    /// The extension, nil when absent or empty.
    public var ext: String?

    /// An identifier of `root` and `ext` (an empty extension counts as none).
    public init(root: String, ext: String? = nil) {
        self.root = root
        self.ext = (ext?.isEmpty ?? true) ? nil : ext
    }

    /// Reads `@root` / `@extension` of an element; nil when it has no root.
    init?(_ element: XMLTreeElement?) {
        guard let element, let root = element[attribute: "root"], !root.isEmpty else { return nil }
        self.init(root: root, ext: element[attribute: "extension"])
    }

    /// The root as compared and keyed: UUIDs in lower case, OIDs as sent.
    public var normalizedRoot: String { Self.isUUID(root) ? root.lowercased() : root }

    /// `<root>|<extension>` (the extension empty when absent), the shape used in keys.
    public var keyPart: String { "\(normalizedRoot)|\(ext ?? "")" }

    /// The root as a URI: `urn:uuid:…` or `urn:oid:…`.
    public var rootURI: String { Self.isUUID(root) ? "urn:uuid:" + root.lowercased() : "urn:oid:" + root }

    /// `root` or `root^extension`, as acknowledgements echo a document id.
    public var display: String { ext.map { "\(root)^\($0)" } ?? root }

    /// The FHIR Identifier: `{system: urn:oid:<root>, value: <extension>}`, or, without an
    /// extension, `{system: urn:ietf:rfc:3986, value: urn:oid:<root>}` (the usual CDA → FHIR rule).
    public var fhirIdentifier: JSONValue {
        if let ext {
            return .object(JSONObject(["system": .string(rootURI), "value": .string(ext)]))
        }
        return .object(JSONObject(["system": .string("urn:ietf:rfc:3986"), "value": .string(rootURI)]))
    }

    /// Whether the root is a well-formed OID or UUID.
    public var hasValidRoot: Bool { Self.isOID(root) || Self.isUUID(root) }

    /// A dotted OID: arcs of digits without leading zeros, the first 0, 1 or 2.
    /// Bytes, not characters (an ASCII digit is one byte; anything else fails either way).
    public static func isOID(_ s: String) -> Bool {
        let digit = UInt8(ascii: "0")...UInt8(ascii: "9")
        let arcs = s.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard arcs.count >= 2, let first = arcs.first, first.count == 1,
              (UInt8(ascii: "0")...UInt8(ascii: "2")).contains(first[first.startIndex]) else { return false }
        for arc in arcs {
            guard !arc.isEmpty, arc.allSatisfy({ digit.contains($0) }) else { return false }
            if arc.count > 1 && arc.first == UInt8(ascii: "0") { return false }
        }
        return true
    }

    /// A UUID in 8-4-4-4-12 hexadecimal form (either case).
    public static func isUUID(_ s: String) -> Bool { UUIDSyntax.matches(s) }
}
