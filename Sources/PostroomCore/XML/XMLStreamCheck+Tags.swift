/// Start tags, end tags and processing instructions of `XMLStreamCheck`, judged once gathered whole.
extension XMLStreamCheck {
    static let xmlPrefix = Array("xml".utf8), xmlns = Array("xmlns".utf8), xmlnsColon = Array("xmlns:".utf8)
    static let bodyName = Array("component".utf8), nonXMLBody = Array("nonXMLBody".utf8)

    /// One attribute of a start tag.
    struct Attribute {
        var name: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
    }

    /// `token` holds a start tag without its `<` and `>`.
    mutating func startTag() {
        let raw = token
        var end = raw.count
        let selfClosing = end > 0 && raw[end - 1] == UInt8(ascii: "/")
        if selfClosing { end -= 1 }
        if rootSeen && open.isEmpty { return malformed("content after the root element", at: tokenAt) }
        if elements >= limits.maxElements {
            finding = XMLLimitIssue.tooManyElements(limits.maxElements, at: XMLStreamPreScan.at(tokenAt.line, tokenAt.column))
            return
        }
        elements += 1
        var i = 0
        while i < end, !Self.isSpace(raw[i]) { i += 1 }
        let name = raw[0..<i]
        guard Self.isQName(name) else { return malformed("an element name is not a valid XML name", at: tokenAt) }
        guard let attributes = attributes(raw, from: i, to: end) else { return }
        var declared: [[UInt8]] = []
        for a in attributes where a.name.starts(with: Self.xmlnsColon) {
            guard !a.value.isEmpty else { return malformed("a namespace prefix is declared with an empty name", at: tokenAt) }
            declared.append(Array(a.name.dropFirst(Self.xmlnsColon.count)))
        }
        let prefixes = [Self.prefix(name)] + attributes.filter { $0.name != Self.xmlns[...] && !$0.name.starts(with: Self.xmlnsColon) }.map { Self.prefix($0.name) }
        for p in prefixes.compactMap({ $0 }) where p != Self.xmlPrefix[...] && !declared.contains(where: { $0[...] == p }) && !isDeclared(p) {
            return malformed("a namespace prefix is not declared", at: tokenAt)
        }
        let local = Array(name.split(separator: UInt8(ascii: ":")).last ?? name)
        let kept = keepsTag(local: local)
        if kept { keepAlways([Self.lt] + raw + [Self.gt]) }
        if open.isEmpty {
            rootName = String(decoding: name, as: UTF8.self)
            rootLocalName = String(decoding: local, as: UTF8.self)
        }
        rootSeen = true
        guard !selfClosing else { return }
        if open.count == 1, !bodyDone, bodyDepth == nil, local == Self.bodyName { bodyDepth = 2 }
        open.append(Open(name: Array(name), local: local, prefixes: declared, kept: kept))
        if open.count > limits.maxDepth {
            finding = XMLLimitIssue.tooDeep(limits.maxDepth, at: XMLStreamPreScan.at(tokenAt.line, tokenAt.column))
        }
    }

    /// Whether a start tag at the next level goes to the skeleton: always outside the body; inside
    /// it, the children of `component` and the children of a `nonXMLBody`.
    func keepsTag(local: [UInt8]) -> Bool {
        guard let body = bodyDepth else { return true }
        let level = open.count + 1
        if level == body + 1 { return true }
        guard level == body + 2, let parent = open.last else { return false }
        return parent.kept && parent.local == Self.nonXMLBody
    }

    /// The attributes of a start tag (`raw[from..<to]`), or nil with `finding` set.
    mutating func attributes(_ raw: [UInt8], from: Int, to end: Int) -> [Attribute]? {
        var out: [Attribute] = []
        var i = from
        while true {
            let spaced = i < end && Self.isSpace(raw[i])
            while i < end, Self.isSpace(raw[i]) { i += 1 }
            if i == end { return out }
            guard spaced else { malformed("attributes must be separated by white space", at: tokenAt); return nil }
            let start = i
            while i < end, !Self.isSpace(raw[i]), raw[i] != UInt8(ascii: "=") { i += 1 }
            let name = raw[start..<i]
            while i < end, Self.isSpace(raw[i]) { i += 1 }
            guard Self.isQName(name), i < end, raw[i] == UInt8(ascii: "=") else {
                malformed("an attribute without a valid name or a value", at: tokenAt)
                return nil
            }
            i += 1
            while i < end, Self.isSpace(raw[i]) { i += 1 }
            guard i < end, raw[i] == UInt8(ascii: "\"") || raw[i] == UInt8(ascii: "'") else {
                malformed("an attribute value is not quoted", at: tokenAt)
                return nil
            }
            let q = raw[i]
            let valueStart = i + 1
            i = valueStart
            while i < end, raw[i] != q { i += 1 }
            guard i < end else { malformed("an attribute value is not closed", at: tokenAt); return nil }
            let value = raw[valueStart..<i]
            i += 1
            if let problem = Self.valueProblem(value) { malformed(problem, at: tokenAt); return nil }
            if out.contains(where: { $0.name == name }) { malformed("an attribute is repeated in one element", at: tokenAt); return nil }
            out.append(Attribute(name: name, value: value))
            if out.count > limits.maxAttributes {
                finding = XMLLimitIssue.tooManyAttributes(limits.maxAttributes, at: XMLStreamPreScan.at(tokenAt.line, tokenAt.column))
                return nil
            }
        }
    }

    /// `<` or a bad reference in an attribute value.
    static func valueProblem(_ value: ArraySlice<UInt8>) -> String? {
        if value.contains(lt) { return "'<' is not allowed in an attribute value" }
        var i = value.startIndex
        while let a = value[i...].firstIndex(of: amp) {
            guard let s = value[a...].firstIndex(of: semicolon) else { return "an entity or character reference is not closed by ';'" }
            if let problem = referenceProblem(value[(a + 1)..<s]) { return problem }
            i = s + 1
        }
        return nil
    }

    /// `token` holds an end tag (`/name`, white space allowed after the name) without its `<` and `>`.
    mutating func endTag() {
        var end = token.count
        while end > 1, Self.isSpace(token[end - 1]) { end -= 1 }
        let name = token[1..<end]
        guard let top = open.last else { return malformed("an end tag with no element open", at: tokenAt) }
        guard top.name[...] == name else { return malformed("an end tag does not match the element open", at: tokenAt) }
        open.removeLast()
        if top.kept { keepAlways([Self.lt] + token + [Self.gt]) }
        if let body = bodyDepth, open.count + 1 == body {
            bodyDepth = nil
            bodyDone = true
        }
    }

    /// `token` holds `?target data?>`: the XML declaration only at the very start, `<?xml…` nowhere
    /// else, and a processing instruction without data refused as `XMLPreScan` refuses it.
    mutating func processingInstruction() {
        let inner = token[1..<(token.count - 2)]
        let target = inner.prefix { !Self.isSpace($0) }
        guard Self.isName(target), !target.contains(UInt8(ascii: ":")) else {
            return malformed("a processing instruction without a valid target", at: tokenAt)
        }
        let data = inner.dropFirst(target.count).drop(while: Self.isSpace)
        let start = pre.count - token.count - 1
        if target.count == 3, target.map({ $0 | 0x20 }) == Self.xmlPrefix {
            let atStart = start == 0 || (start == 3 && pre.head.starts(with: Self.bom))
            guard atStart, target.elementsEqual(Self.xmlPrefix), data.starts(with: Array("version".utf8)) else {
                return malformed("an XML declaration is only allowed, well-formed, at the very start", at: tokenAt)
            }
        } else if data.isEmpty {
            finding = .fatal(.xmlProcessingInstructionRefused, type: "security", at: XMLStreamPreScan.at(tokenAt.line, tokenAt.column),
                             "A processing instruction without data (<?name?>) is not allowed; it is refused before parsing")
            return
        }
        keep([Self.lt] + token)
    }

    /// A name with at most one colon, neither first nor last (namespace well-formedness).
    static func isQName(_ s: ArraySlice<UInt8>) -> Bool {
        guard isName(s) else { return false }
        let colons = s.filter { $0 == UInt8(ascii: ":") }.count
        return colons == 0 || (colons == 1 && s.first != UInt8(ascii: ":") && s.last != UInt8(ascii: ":"))
    }

    /// The prefix of a qualified name, or nil.
    static func prefix(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        s.firstIndex(of: UInt8(ascii: ":")).map { s[s.startIndex..<$0] }
    }

    /// Whether an open element declares `prefix`.
    func isDeclared(_ prefix: ArraySlice<UInt8>) -> Bool {
        open.contains { $0.prefixes.contains { $0[...] == prefix } }
    }
}
