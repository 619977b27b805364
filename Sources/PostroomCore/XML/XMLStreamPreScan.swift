/// `XMLPreScan`'s rules applied to bytes that arrive in pieces (a large file read in chunks), so a
/// document is never held whole: size, UTF-16/32 byte order marks and NUL bytes, invalid UTF-8,
/// `<!DOCTYPE` / `<!ENTITY` anywhere (context-free, as the whole-file scan), and an XML declaration
/// naming another encoding. The first finding of each rule is kept with its `line L, column C`;
/// `issues` reports them in the whole-file scan's order, so both paths refuse a file with the same codes.
///
/// Empty processing instructions (`<?x?>`) are refused by `XMLStreamCheck` where a processing
/// instruction really is; the bytes Foundation's parser sees (the header, `XMLStreamCheck.skeleton`)
/// go through `XMLPreScan` itself.
struct XMLStreamPreScan {
    let maxBytes: Int
    /// The first 256 bytes (byte order mark and XML declaration).
    var head: [UInt8] = []
    var count = 0
    private var nul: Issue?
    private var utf8: Issue?
    private var doctype: Issue?
    private var entity: Issue?
    // UTF-8 decoding state: bytes still expected, and the bounds of the next one.
    private var need = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    private var sequenceAt = (line: 1, column: 1)
    /// The last eight bytes, ASCII upper-cased (for `<!ENTITY` and `!DOCTYPE`), and the byte before them.
    private var window: UInt64 = 0
    private var before: UInt8 = 0

    static let entityWord = word("<!ENTITY")
    static let doctypeWord = word("!DOCTYPE")

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    static func word(_ s: String) -> UInt64 { s.utf8.reduce(0) { $0 << 8 | UInt64($1) } }

    /// One byte at (`line`, `column`).
    mutating func push(_ b: UInt8, line: Int, column: Int) {
        if count < 256 { head.append(b) }
        count += 1
        if b == 0, nul == nil { nul = .fatal(.xmlEncodingRefused, type: "not-supported", at: Self.at(line, column),
                                            "The file contains NUL bytes (UTF-16 or UTF-32 text?); only UTF-8 XML is accepted") }
        decode(b, line: line, column: column)
        let upperCased = b >= 0x61 && b <= 0x7A ? b - 32 : b
        before = UInt8(truncatingIfNeeded: window >> 56)
        window = window << 8 | UInt64(upperCased)
        if window == Self.entityWord, entity == nil {
            entity = .fatal(.xmlEntityRefused, type: "security", at: Self.at(line, column - 7),
                            "An entity declaration (<!ENTITY) is not allowed: entities are never declared, resolved or expanded")
        }
        if window == Self.doctypeWord, before == UInt8(ascii: "<"), doctype == nil {
            doctype = .fatal(.xmlDoctypeRefused, type: "security", at: Self.at(line, column - 8),
                             "A document type declaration (<!DOCTYPE) is not allowed: DTDs and entities are refused before parsing")
        }
    }

    /// The UTF-8 decoder: the first invalid sequence is kept.
    private mutating func decode(_ b: UInt8, line: Int, column: Int) {
        guard utf8 == nil else { return }
        if need > 0 {
            guard b >= lower && b <= upper else { return invalid() }
            need -= 1
            lower = 0x80
            upper = 0xBF
            return
        }
        if b < 0x80 { return }
        sequenceAt = (line, column)
        guard let lead = XMLPreScan.utf8Lead(b) else { return invalid() }
        (need, lower, upper) = (lead.need, lead.lower, lead.upper)
    }

    private mutating func invalid() {
        utf8 = .fatal(.xmlInvalidUtf8, type: "invalid", at: Self.at(sequenceAt.line, sequenceAt.column), "The file is not valid UTF-8")
    }

    /// The issues that refuse the file, in `XMLPreScan.issues`' order; empty when it may be parsed.
    func issues() -> [Issue] {
        if count > maxBytes {
            return [.fatal(.xmlTooLarge, type: "too-long", "The file is \(count) bytes; XML input is limited to \(maxBytes) bytes")]
        }
        let found: [Issue]? = head.withUnsafeBufferPointer { buf in
            if let bom = XMLPreScan.encodingIssue(UnsafeBufferPointer(rebasing: buf.prefix(4))) { return [bom] }
            return nil
        }
        if let found { return found }
        if let nul { return [nul] }
        if let utf8 { return [utf8] }
        if need > 0 { return [.fatal(.xmlInvalidUtf8, type: "invalid", at: Self.at(sequenceAt.line, sequenceAt.column), "The file is not valid UTF-8")] }
        var issues = [doctype, entity].compactMap { $0 }
        if let declared = head.withUnsafeBufferPointer({ XMLPreScan.declaredEncodingIssue($0) }) { issues.append(declared) }
        return issues
    }

    static func at(_ line: Int, _ column: Int) -> String { "line \(line), column \(max(column, 1))" }
}
