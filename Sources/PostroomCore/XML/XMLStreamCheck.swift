/// Checks a large XML document that arrives in pieces, in memory bounded by its markup (never its
/// text): `XMLStreamPreScan`'s rules, the structural limits of `XMLStructureScan` (depth, elements,
/// attributes per element) and well-formedness — tags balanced and properly named, attributes
/// quoted and not repeated, namespace prefixes declared, no markup or stray `]]>` in text, entity and
/// character references well-formed and predefined, comments without `--`, CDATA only inside the
/// root, nothing but white space, comments and processing instructions outside it.
///
/// Foundation's `XMLParser` (libxml2) refuses a text node above 10 MB and builds every text node
/// whole, so a 50 MB CDA document with a base64 `nonXMLBody` cannot be read by it; this checker is
/// what judges such a document's body. It also keeps the document's **skeleton**: every byte but
/// the content of the root's first `component` (the CDA body), of which only the start and end tags
/// of `component`, its children and the children of a `nonXMLBody` are kept. The skeleton is a small
/// well-formed document (when the whole is) that `SafeXMLReader` and `CDAHeaderReader` read as they
/// read the whole file: same header, same body kind and media type.
///
/// Differences from the whole-file parser, by design: a tag longer than `maxTagBytes` is refused;
/// a document both malformed and over a limit later on is reported by the first finding; the
/// context-free `<?x?>` scan runs only over the skeleton (processing instructions in the body are
/// judged where they really are).
public struct XMLStreamCheck {
    /// Limits of the check (those of `DecodeOptions`).
    public struct Limits: Sendable {
        public var maxBytes: Int
        public var maxDepth: Int
        public var maxElements: Int
        public var maxAttributes: Int

        public init(_ options: DecodeOptions) {
            maxBytes = options.maxXMLBytes
            maxDepth = min(options.maxXMLDepth, SafeXMLReader.hardMaxDepth)
            maxElements = options.maxXMLElements
            maxAttributes = options.maxXMLAttributes
        }
    }

    /// A start tag, end tag or processing instruction longer than this is refused (1 MiB).
    public static let maxTagBytes = 1 << 20
    /// Beyond this many bytes the skeleton is given up (`skeletonOverflow`): 4 MiB.
    public static let maxSkeletonBytes = 4 << 20

    enum Mode { case text, reference, markup, comment, cdata }

    struct Open {
        var name: [UInt8]
        var local: [UInt8]
        /// Namespace prefixes this element declares.
        var prefixes: [[UInt8]]
        /// Whether its start tag went to the skeleton (its end tag goes too).
        var kept: Bool
    }

    let limits: Limits
    var pre: XMLStreamPreScan
    /// The skeleton (see above); empty and `skeletonOverflow` set when it grew past `maxSkeletonBytes`.
    public internal(set) var skeleton: [UInt8] = []
    public internal(set) var skeletonOverflow = false
    /// The root element's qualified and local names, once seen.
    public internal(set) var rootName: String?
    public internal(set) var rootLocalName: String?
    /// The byte count so far.
    public var byteCount: Int { pre.count }

    var mode = Mode.text
    var line = 1, column = 0
    var token: [UInt8] = []
    var tokenAt = (line: 1, column: 1)
    var quote: UInt8 = 0
    var run = 0
    var open: [Open] = []
    var elements = 0
    var rootSeen = false
    /// The first structural or well-formedness finding; checking stops there (the byte rules go on).
    var finding: Issue?
    /// The depth of the body `component` while inside it; set once it has closed.
    var bodyDepth: Int?
    var bodyDone = false

    public init(limits: Limits) {
        self.limits = limits
        pre = XMLStreamPreScan(maxBytes: limits.maxBytes)
    }

    /// Checks the next piece of the document.
    public mutating func push(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes {
            if b == 0x0A { line += 1; column = 0 } else { column += 1 }
            pre.push(b, line: line, column: max(column, 1))
            if finding == nil { step(b) }
        }
    }

    /// The issues that refuse the document (empty: well-formed and within every limit), once every piece was pushed.
    public mutating func finish() -> [Issue] {
        let refused = pre.issues()
        if !refused.isEmpty { return refused }
        if finding == nil {
            if mode != .text || !open.isEmpty {
                finding = .fatal(.xmlTruncated, type: "incomplete", at: XMLStreamPreScan.at(line, column),
                                 "The XML ends before its root element is closed (truncated or partly written file?)")
            } else if !rootSeen {
                finding = .fatal(.xmlMalformed, type: "structure", "The file holds no XML element")
            }
        }
        return finding.map { [$0] } ?? []
    }

    var inBody: Bool { bodyDepth != nil }

    mutating func keep(_ b: UInt8) {
        guard !inBody, !skeletonOverflow else { return }
        skeleton.append(b)
        if skeleton.count > Self.maxSkeletonBytes { dropSkeleton() }
    }

    mutating func keep(_ bytes: [UInt8]) {
        if !inBody { keepAlways(bytes) }
    }

    /// Bytes for the skeleton even inside the body (the tags kept of it).
    mutating func keepAlways(_ bytes: [UInt8]) {
        guard !skeletonOverflow else { return }
        skeleton += bytes
        if skeleton.count > Self.maxSkeletonBytes { dropSkeleton() }
    }

    mutating func dropSkeleton() {
        skeletonOverflow = true
        skeleton = []
    }

    mutating func malformed(_ text: String, at position: (line: Int, column: Int)? = nil) {
        let p = position ?? (line, column)
        finding = .fatal(.xmlMalformed, type: "structure", at: XMLStreamPreScan.at(p.line, p.column), "The XML is not well-formed: " + text)
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
}
