/// Checks raw XML bytes before any parser sees them (DOMAIN.md §7.5, SWIFT.md "XML is dangerous input").
///
/// Refused, in this order:
/// - files larger than `DecodeOptions.maxXMLBytes` (`xml-too-large`);
/// - anything that is not UTF-8: a UTF-16/UTF-32 byte order mark, any NUL byte (UTF-16/32 without
///   a BOM), an XML declaration naming an encoding other than UTF-8 or US-ASCII
///   (`xml-encoding-refused`). ISO-8859-1 and Windows-1252 declared documents are refused, not
///   transcoded: the bytes Postroom stores must be the bytes it parsed;
/// - invalid UTF-8 sequences (`xml-invalid-utf8`);
/// - the byte sequences `<!DOCTYPE` and `<!ENTITY` (ASCII case-insensitive) **anywhere** in the file,
///   also inside comments, CDATA sections or attribute values (`xml-doctype-refused`,
///   `xml-entity-refused`). This is deliberately context-free: CDA, ITK, SOAP and FHIR XML never
///   need a DTD, and a scan that understood comments could be fooled by a comment trick.
///
/// With no DTD, no entity can be declared, so external entities (XXE) and entity expansion
/// (billion laughs, quadratic blow-up) cannot reach the parser.
public enum XMLPreScan {
    /// The issues that refuse `bytes` before parsing; empty when the bytes may be parsed.
    public static func issues(_ bytes: [UInt8], maxBytes: Int) -> [Issue] {
        if bytes.count > maxBytes {
            return [.fatal(.xmlTooLarge, type: "too-long",
                           "The file is \(bytes.count) bytes; XML input is limited to \(maxBytes) bytes")]
        }
        return bytes.withUnsafeBufferPointer { buf -> [Issue] in
            if let issue = encodingIssue(buf) { return [issue] }
            if let issue = utf8Issue(buf) { return [issue] }
            var issues = declarationIssues(buf)
            if let issue = declaredEncodingIssue(buf) { issues.append(issue) }
            if let issue = emptyProcessingInstruction(buf) { issues.append(issue) }
            return issues
        }
    }

    /// A BOM other than UTF-8's, or a NUL byte: the content is not UTF-8.
    static func encodingIssue(_ buf: UnsafeBufferPointer<UInt8>) -> Issue? {
        let head = Array(buf.prefix(4))
        let boms: [([UInt8], String)] = [
            ([0x00, 0x00, 0xFE, 0xFF], "UTF-32"), ([0xFF, 0xFE, 0x00, 0x00], "UTF-32"),
            ([0xFE, 0xFF], "UTF-16"), ([0xFF, 0xFE], "UTF-16"),
        ]
        for (bom, name) in boms where head.starts(with: bom) {
            return .fatal(.xmlEncodingRefused, type: "not-supported", at: "byte 1",
                          "The file starts with a \(name) byte order mark; only UTF-8 XML is accepted")
        }
        if let nul = buf.firstIndex(of: 0) {
            return .fatal(.xmlEncodingRefused, type: "not-supported", at: position(of: nul, in: buf),
                          "The file contains NUL bytes (UTF-16 or UTF-32 text?); only UTF-8 XML is accepted")
        }
        return nil
    }

    /// What a UTF-8 lead byte (≥ 0x80) asks of what follows: how many continuation bytes, and the range
    /// of the first of them (which excludes overlong forms, surrogates and values above U+10FFFF); nil
    /// for a byte that cannot start a sequence.
    static func utf8Lead(_ b: UInt8) -> (need: Int, lower: UInt8, upper: UInt8)? {
        switch b {
        case 0xC2...0xDF: (1, 0x80, 0xBF)
        case 0xE0: (2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (2, 0x80, 0xBF)
        case 0xED: (2, 0x80, 0x9F)
        case 0xF0: (3, 0x90, 0xBF)
        case 0xF1...0xF3: (3, 0x80, 0xBF)
        case 0xF4: (3, 0x80, 0x8F)
        default: nil
        }
    }

    /// The first invalid UTF-8 sequence (overlong forms, surrogates and values above U+10FFFF included).
    static func utf8Issue(_ buf: UnsafeBufferPointer<UInt8>) -> Issue? {
        var i = 0
        let n = buf.count
        while i < n {
            let b = buf[i]
            if b < 0x80 { i += 1; continue }
            guard let lead = utf8Lead(b) else { return invalidUTF8(at: i, buf) }
            let (need, lower, upper) = lead
            guard i + need < n else { return invalidUTF8(at: i, buf) }
            let second = buf[i + 1]
            guard second >= lower && second <= upper else { return invalidUTF8(at: i, buf) }
            var k = 2
            while k <= need {
                guard buf[i + k] & 0xC0 == 0x80 else { return invalidUTF8(at: i, buf) }
                k += 1
            }
            i += need + 1
        }
        return nil
    }

    private static func invalidUTF8(at offset: Int, _ buf: UnsafeBufferPointer<UInt8>) -> Issue {
        .fatal(.xmlInvalidUtf8, type: "invalid", at: position(of: offset, in: buf),
               "The file is not valid UTF-8")
    }

    /// `<!DOCTYPE` and `<!ENTITY` anywhere, whatever surrounds them; one issue per kind.
    static func declarationIssues(_ buf: UnsafeBufferPointer<UInt8>) -> [Issue] {
        let doctype = Array("DOCTYPE".utf8)
        let entity = Array("ENTITY".utf8)
        var doctypeAt: Int?
        var entityAt: Int?
        var i = 0
        let n = buf.count
        while i + 1 < n {
            if buf[i] == UInt8(ascii: "<") && buf[i + 1] == UInt8(ascii: "!") {
                if doctypeAt == nil && matches(buf, at: i + 2, doctype) { doctypeAt = i }
                if entityAt == nil && matches(buf, at: i + 2, entity) { entityAt = i }
                if doctypeAt != nil && entityAt != nil { break }
            }
            i += 1
        }
        var issues: [Issue] = []
        if let at = doctypeAt {
            issues.append(.fatal(.xmlDoctypeRefused, type: "security", at: position(of: at, in: buf),
                                 "A document type declaration (<!DOCTYPE) is not allowed: DTDs and entities are refused before parsing"))
        }
        if let at = entityAt {
            issues.append(.fatal(.xmlEntityRefused, type: "security", at: position(of: at, in: buf),
                                 "An entity declaration (<!ENTITY) is not allowed: entities are never declared, resolved or expanded"))
        }
        return issues
    }

    /// A processing instruction with a target and no data (`<?xm?>`, `<?x ?>`) anywhere: Foundation's
    /// XMLParser on Linux reads its missing data as a C string and crashes the process (found by
    /// `make fuzz`), so one such file would stop every run. Refused before parsing, context-free like
    /// the DOCTYPE scan; a stylesheet PI (`<?xml-stylesheet href="…"?>`) has data and passes.
    static func emptyProcessingInstruction(_ buf: UnsafeBufferPointer<UInt8>) -> Issue? {
        let n = buf.count
        var i = 0
        while i + 1 < n {
            defer { i += 1 }
            guard buf[i] == UInt8(ascii: "<"), buf[i + 1] == UInt8(ascii: "?") else { continue }
            var j = i + 2
            while j < n, !isSpace(buf[j]), buf[j] != UInt8(ascii: "?") { j += 1 }
            while j < n, isSpace(buf[j]) { j += 1 }
            if j + 1 < n, buf[j] == UInt8(ascii: "?"), buf[j + 1] == UInt8(ascii: ">") {
                return .fatal(.xmlProcessingInstructionRefused, type: "security", at: position(of: i, in: buf),
                              "A processing instruction without data (<?name?>) is not allowed; it is refused before parsing")
            }
        }
        return nil
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// An XML declaration that names an encoding other than UTF-8 or US-ASCII.
    static func declaredEncodingIssue(_ buf: UnsafeBufferPointer<UInt8>) -> Issue? {
        var start = 0
        if buf.count >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF { start = 3 }
        let head = Array(buf[start..<min(buf.count, start + 256)])
        guard head.starts(with: Array("<?xml".utf8)), let end = firstIndex(of: Array("?>".utf8), in: head) else { return nil }
        let decl = String(decoding: head[0..<end], as: UTF8.self)
        guard let range = decl.range(of: "encoding") else { return nil }
        let rest = decl[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }.lowercased()
        let accepted: Set<String> = ["utf-8", "utf8", "us-ascii", "ascii"]
        if accepted.contains(value) { return nil }
        return .fatal(.xmlEncodingRefused, type: "not-supported", at: "line 1",
                      "The XML declaration names an encoding other than UTF-8 or US-ASCII; only UTF-8 XML is accepted")
    }

    private static func matches(_ buf: UnsafeBufferPointer<UInt8>, at offset: Int, _ word: [UInt8]) -> Bool {
        guard offset + word.count <= buf.count else { return false }
        for (k, w) in word.enumerated() {
            // ASCII upper-casing of the input byte.
            var b = buf[offset + k]
            if b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") { b -= 32 }
            if b != w { return false }
        }
        return true
    }

    private static func firstIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }

    /// `line L, column C` (1-based, columns in bytes) of a byte offset.
    static func position(of offset: Int, in buf: UnsafeBufferPointer<UInt8>) -> String {
        var line = 1
        var lineStart = 0
        var i = 0
        while i < offset && i < buf.count {
            if buf[i] == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }
        return "line \(line), column \(offset - lineStart + 1)"
    }
}
