/// The byte-by-byte states of `XMLStreamCheck`: text, references, markup being gathered, comments, CDATA.
extension XMLStreamCheck {
    static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), amp = UInt8(ascii: "&"), semicolon = UInt8(ascii: ";")
    static let bracket = UInt8(ascii: "]"), dash = UInt8(ascii: "-"), question = UInt8(ascii: "?")
    static let commentOpen = Array("!--".utf8), cdataOpen = Array("![CDATA[".utf8)
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    mutating func step(_ b: UInt8) {
        if pre.count <= 3, !rootSeen, pre.head.count == pre.count, Self.bom.starts(with: pre.head) {
            keep(b) // a UTF-8 byte order mark
            return
        }
        if b < 0x20, b != 0x09, b != 0x0A, b != 0x0D {
            return malformed("a control character (byte \(b)) is not allowed in XML")
        }
        switch mode {
        case .text: text(b)
        case .reference: reference(b)
        case .markup: markup(b)
        case .comment: comment(b)
        case .cdata: cdata(b)
        }
    }

    mutating func text(_ b: UInt8) {
        if b == Self.lt {
            run = 0
            mode = .markup
            token.removeAll(keepingCapacity: true)
            tokenAt = (line, column)
            quote = 0
            return
        }
        if open.isEmpty, !Self.isSpace(b) { return malformed("text outside the root element") }
        if b == Self.amp {
            mode = .reference
            token.removeAll(keepingCapacity: true)
            tokenAt = (line, column)
            return
        }
        if b == Self.gt, run >= 2 { return malformed("']]>' is not allowed in text") }
        run = b == Self.bracket ? run + 1 : 0
        keep(b)
    }

    mutating func reference(_ b: UInt8) {
        if b == Self.semicolon {
            if let problem = Self.referenceProblem(token[...]) { return malformed(problem, at: tokenAt) }
            if !inBody { keep([Self.amp] + token + [Self.semicolon]) }
            mode = .text
            run = 0
            return
        }
        token.append(b)
        let nameByte = b >= 0x80 || (b >= 0x30 && b <= 0x3A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: "#") || b == UInt8(ascii: "_") || b == Self.dash || b == UInt8(ascii: ".")
        if token.count > 32 || !nameByte { malformed("an entity or character reference is not closed by ';'", at: tokenAt) }
    }

    mutating func markup(_ b: UInt8) {
        token.append(b)
        if token.count > Self.maxTagBytes { return malformed("a tag is longer than \(Self.maxTagBytes) bytes", at: tokenAt) }
        let first = token[0]
        if first == UInt8(ascii: "!") { return declaration() }
        if first == Self.question {
            if b == Self.gt, token.count >= 3, token[token.count - 2] == Self.question {
                mode = .text
                processingInstruction()
            }
            return
        }
        if quote != 0 {
            if b == quote { quote = 0 }
            return
        }
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { quote = b; return }
        if b == Self.lt { return malformed("'<' inside a tag", at: tokenAt) }
        guard b == Self.gt else { return }
        token.removeLast()
        mode = .text
        run = 0
        if first == UInt8(ascii: "/") { endTag() } else { startTag() }
    }

    /// `<!--` or `<![CDATA[`: anything else after `<!` is malformed (a DOCTYPE was refused before).
    mutating func declaration() {
        if token.count <= 3 {
            guard Self.commentOpen.starts(with: token) || Self.cdataOpen.starts(with: token) else {
                return malformed("'<!' starts neither a comment nor a CDATA section", at: tokenAt)
            }
            if token == Self.commentOpen {
                mode = .comment
                run = 0
                keep([Self.lt] + token)
            }
            return
        }
        guard Self.cdataOpen.starts(with: token) else { return malformed("'<!' starts neither a comment nor a CDATA section", at: tokenAt) }
        guard token.count == Self.cdataOpen.count else { return }
        if open.isEmpty { return malformed("a CDATA section outside the root element", at: tokenAt) }
        mode = .cdata
        run = 0
        if !inBody { keep([Self.lt] + token) }
    }

    mutating func comment(_ b: UInt8) {
        if run >= 2 {
            guard b == Self.gt else { return malformed("'--' is not allowed inside a comment") }
            keep(b)
            mode = .text
            run = 0
            return
        }
        run = b == Self.dash ? run + 1 : 0
        keep(b)
    }

    mutating func cdata(_ b: UInt8) {
        if b == Self.gt, run >= 2 {
            keep(b)
            mode = .text
            run = 0
            return
        }
        run = b == Self.bracket ? run + 1 : 0
        keep(b)
    }

    /// What is wrong with the reference `&<bytes>;`, or nil: the five predefined entities and
    /// character references to XML characters are all a document without a DTD may use.
    static func referenceProblem(_ r: ArraySlice<UInt8>) -> String? {
        let predefined: [[UInt8]] = ["lt", "gt", "amp", "quot", "apos"].map { Array($0.utf8) }
        if predefined.contains(where: { $0.elementsEqual(r) }) { return nil }
        guard r.first == UInt8(ascii: "#") else {
            return isName(r) ? "the XML refers to an undeclared entity; entities are not supported" : "a malformed entity reference"
        }
        var digits = r.dropFirst()
        var radix: UInt32 = 10
        if digits.first == UInt8(ascii: "x") { radix = 16; digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 8, let value = UInt32(String(decoding: digits, as: UTF8.self), radix: Int(radix)) else {
            return "a malformed character reference"
        }
        let ok = value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
            || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
        return ok ? nil : "a character reference to a character XML does not allow"
    }

    /// An XML name (letters, digits, `_ - . :`, and any non-ASCII byte; not starting with a digit, `-` or `.`).
    static func isName(_ s: ArraySlice<UInt8>) -> Bool {
        guard let first = s.first else { return false }
        func letter(_ c: UInt8) -> Bool {
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c >= 0x80
        }
        guard letter(first) else { return false }
        return s.allSatisfy { letter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }
}
