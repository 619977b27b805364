/// A linear byte-level pass over XML markup, run after `XMLPreScan` and before the parser.
///
/// It enforces the structural limits (nesting depth, element count, attributes per element,
/// namespace declarations included) on the bytes, so libxml2 never sees a document that would
/// cost it quadratic work (10,000 attributes on one element) or deep nesting; the parser's
/// delegate enforces the same limits again while parsing. It also records where every element
/// starts and ends (byte offsets, in document order), so a document can be cut out of an
/// envelope byte for byte.
///
/// It understands comments, CDATA sections, processing instructions and quoted attribute
/// values, which is all a DTD-free document can contain. It does not judge well-formedness:
/// the parser does; on malformed input the spans are meaningless but the pass still ends in
/// linear time.
struct XMLStructureScan {
    /// Byte offset of each element's `<`, in document order.
    var starts: [Int] = []
    /// Byte offset just past each element's end (`/>` or its end tag's `>`); -1 while open.
    var ends: [Int] = []
    /// The first limit passed, if any.
    var issue: Issue?

    static func scan(_ bytes: [UInt8], maxDepth: Int, maxElements: Int, maxAttributes: Int) -> XMLStructureScan {
        var result = XMLStructureScan()
        bytes.withUnsafeBufferPointer { buf in
            result.run(buf, maxDepth: maxDepth, maxElements: maxElements, maxAttributes: maxAttributes)
        }
        return result
    }

    private mutating func run(_ buf: UnsafeBufferPointer<UInt8>, maxDepth: Int, maxElements: Int, maxAttributes: Int) {
        let n = buf.count
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
        let bang = UInt8(ascii: "!"), question = UInt8(ascii: "?")
        var open: [Int] = []
        var i = 0
        while i < n {
            guard buf[i] == lt else { i += 1; continue }
            let next = i + 1 < n ? buf[i + 1] : 0
            if next == bang {
                if has(buf, at: i, "<!--") {
                    i = after(buf, from: i + 4, "-->")
                } else if has(buf, at: i, "<![CDATA[") {
                    i = after(buf, from: i + 9, "]]>")
                } else {
                    i = after(buf, from: i + 2, ">")
                }
                continue
            }
            if next == question { i = after(buf, from: i + 2, "?>"); continue }
            if next == slash {
                let end = after(buf, from: i + 2, ">")
                if let ordinal = open.popLast() { ends[ordinal] = end }
                i = end
                continue
            }
            // A start tag.
            let ordinal = starts.count
            if ordinal >= maxElements {
                issue = XMLLimitIssue.tooManyElements(maxElements, at: XMLPreScan.position(of: i, in: buf))
                return
            }
            starts.append(i)
            ends.append(-1)
            var j = i + 1
            while j < n && !isSpace(buf[j]) && buf[j] != gt && buf[j] != slash { j += 1 }
            var attributes = 0
            var selfClosing = false
            tag: while j < n {
                let b = buf[j]
                if isSpace(b) { j += 1; continue }
                if b == gt { j += 1; break tag }
                if b == slash { selfClosing = true; j += 1; continue }
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                    j += 1
                    while j < n && buf[j] != b { j += 1 }
                    j += 1
                    continue
                }
                if b == UInt8(ascii: "=") { j += 1; continue }
                // An attribute name.
                attributes += 1
                if attributes > maxAttributes {
                    issue = XMLLimitIssue.tooManyAttributes(maxAttributes, at: XMLPreScan.position(of: i, in: buf))
                    return
                }
                selfClosing = false
                while j < n && !isSpace(buf[j]) && buf[j] != UInt8(ascii: "=") && buf[j] != gt && buf[j] != slash { j += 1 }
            }
            if selfClosing {
                ends[ordinal] = j
            } else {
                open.append(ordinal)
                if open.count > maxDepth {
                    issue = XMLLimitIssue.tooDeep(maxDepth, at: XMLPreScan.position(of: i, in: buf))
                    return
                }
            }
            i = j
        }
    }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private func has(_ buf: UnsafeBufferPointer<UInt8>, at offset: Int, _ s: StaticString) -> Bool {
        let count = s.utf8CodeUnitCount
        guard offset + count <= buf.count else { return false }
        return s.withUTF8Buffer { word in
            for k in 0..<count where buf[offset + k] != word[k] { return false }
            return true
        }
    }

    /// The offset just past the first `terminator` at or after `from`, or the end of the buffer.
    private func after(_ buf: UnsafeBufferPointer<UInt8>, from: Int, _ terminator: StaticString) -> Int {
        let count = terminator.utf8CodeUnitCount
        var i = from
        while i + count <= buf.count {
            if has(buf, at: i, terminator) { return i + count }
            i += 1
        }
        return buf.count
    }
}

/// The issues raised when an XML document passes one of the limits of `DecodeOptions`.
enum XMLLimitIssue {
    static func tooDeep(_ limit: Int, at location: String?) -> Issue {
        .fatal(.xmlTooDeep, type: "too-costly", at: location,
               "Elements are nested more than \(limit) deep; the document is refused")
    }

    static func tooManyElements(_ limit: Int, at location: String?) -> Issue {
        .fatal(.xmlTooManyElements, type: "too-costly", at: location,
               "The document has more than \(limit) elements; it is refused")
    }

    static func tooManyAttributes(_ limit: Int, at location: String?) -> Issue {
        .fatal(.xmlTooManyAttributes, type: "too-costly", at: location,
               "An element has more than \(limit) attributes (namespace declarations included); the document is refused")
    }
}
