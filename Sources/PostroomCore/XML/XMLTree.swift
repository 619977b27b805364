/// A parsed XML document: its root element plus what is needed to cut an element's original
/// bytes out of it.
public struct XMLTree: Sendable {
    /// The document element.
    public let root: XMLTreeElement
    /// How many elements the document has.
    public let elementCount: Int
    let bytes: [UInt8]
    let starts: [Int]
    let ends: [Int]

    init(root: XMLTreeElement, elementCount: Int, bytes: [UInt8], starts: [Int], ends: [Int]) {
        self.root = root
        self.elementCount = elementCount
        self.bytes = bytes
        self.starts = starts
        self.ends = ends
    }

    /// The bytes of `element` exactly as sent, made standalone: namespace declarations that it
    /// inherits from its ancestors (`inherited`, prefix → URI, empty prefix for the default
    /// namespace) and does not make itself are added to its start tag. Nil when the element's
    /// span is unknown.
    ///
    /// This is how a CDA document is taken out of an ITK or SOAP envelope: every byte of the
    /// document is kept, so what is stored is what was sent, and it parses on its own.
    public func standaloneBytes(of element: XMLTreeElement, inheriting inherited: [String: String]) -> [UInt8]? {
        let ordinal = element.ordinal
        guard starts.indices.contains(ordinal), ends.indices.contains(ordinal) else { return nil }
        let start = starts[ordinal], end = ends[ordinal]
        guard start >= 0, end > start, end <= bytes.count else { return nil }
        var slice = Array(bytes[start..<end])
        let missing = inherited.filter { element.namespaceDeclarations[$0.key] == nil }.sorted { $0.key < $1.key }
        guard !missing.isEmpty else { return slice }
        // Insert after the qualified name of the start tag.
        var nameEnd = 1
        while nameEnd < slice.count, ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/")].contains(slice[nameEnd]) {
            nameEnd += 1
        }
        var insert: [UInt8] = []
        for (prefix, uri) in missing {
            insert += Array((prefix.isEmpty ? " xmlns=\"" : " xmlns:\(prefix)=\"").utf8)
            insert += Array(Self.escapeAttribute(uri).utf8)
            insert.append(UInt8(ascii: "\""))
        }
        slice.insert(contentsOf: insert, at: nameEnd)
        return slice
    }

    static func escapeAttribute(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
