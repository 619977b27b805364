import Foundation

/// The formats Postroom reads, as channels name them in `pipeline.json`.
public enum PayloadFormat: String, Sendable, Codable, CaseIterable {
    /// HL7 v2 (ER7, pipe-delimited), single messages or batches.
    case hl7v2
    /// FHIR R4 JSON: a resource or a Bundle.
    case fhir
    /// CDA R2 XML, bare or inside an ITK or SOAP envelope.
    case cda

    /// Detects the format from the first bytes of content, never from the file name.
    ///
    /// v2 starts with `MSH`/`FHS`/`BHS` (after an optional BOM, MLLP start byte or blank
    /// lines); FHIR JSON is an object; CDA is XML. Returns nil when nothing fits.
    public static func sniff<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> PayloadFormat? {
        var i = bytes.startIndex
        // Skip a UTF-8 BOM.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if bytes.starts(with: bom) { i = bytes.index(i, offsetBy: 3) }
        // Skip MLLP start byte and whitespace.
        while i < bytes.endIndex, [0x0B, 0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i = bytes.index(after: i) }
        guard i < bytes.endIndex else { return nil }
        let head = Array(bytes[i...].prefix(3))
        if head == Array("MSH".utf8) || head == Array("FHS".utf8) || head == Array("BHS".utf8) { return .hl7v2 }
        if head.first == UInt8(ascii: "{") { return .fhir }
        if head.first == UInt8(ascii: "<") {
            // FHIR XML names its namespace on the root element: it is FHIR (which refuses XML clearly), not CDA.
            let start = bytes.distance(from: bytes.startIndex, to: i)
            let window = Array(bytes.dropFirst(start).prefix(4096))
            return namesFHIRNamespace(window) ? .fhir : .cda
        }
        return nil
    }

    /// Whether the root element's start tag in `window` (the first `<`, a letter, then neither `!` nor `?`,
    /// up to its `>`) holds `"http://hl7.org/fhir"` or `'http://hl7.org/fhir'`; a window that is not
    /// UTF-8 (but for a character cut at its end) never does. Bytes, not a regular expression: this runs
    /// for every XML drop, and the regular expression took ~25 µs of each. Where the bytes up to the tag's
    /// end are not all ASCII (a combining mark may join a `>` or a quote into another character), the
    /// answer is the character-by-character one it always was (`namesFHIRNamespaceByCharacters`).
    static func namesFHIRNamespace(_ window: [UInt8]) -> Bool {
        let valid: ArraySlice<UInt8>
        if String(validating: window, as: UTF8.self) != nil {
            valid = window[...]
        } else if String(validating: window.dropLast(3), as: UTF8.self) != nil {
            valid = window.dropLast(3)
        } else {
            return false
        }
        guard let start = valid.indices.dropLast(2).first(where: { startsRootTag(valid, at: $0) }),
              let end = valid[start...].firstIndex(of: UInt8(ascii: ">")),
              !valid[...min(end + 1, valid.endIndex - 1)].contains(where: { $0 >= 0x80 }) else {
            return valid.contains(where: { $0 >= 0x80 }) ? namesFHIRNamespaceByCharacters(window) : false
        }
        let tag = valid[start..<end]
        return occurs("\"http://hl7.org/fhir\"", in: tag) || occurs("'http://hl7.org/fhir'", in: tag)
    }

    /// Whether `needle`'s UTF-8 occurs in `haystack`, compared byte by byte. The standard library's
    /// generic `contains(_:)` of one collection in another builds a searcher per call: it was 7% of a
    /// CDA run's writer thread (every XML drop is sniffed).
    static func occurs(_ needle: StaticString, in haystack: ArraySlice<UInt8>) -> Bool {
        let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        return haystack.withUnsafeBufferPointer { h in
            guard let first = n.first, h.count >= n.count else { return n.isEmpty }
            for i in 0...(h.count - n.count) where h[i] == first {
                if UnsafeBufferPointer(rebasing: h[i..<(i + n.count)]).elementsEqual(n) { return true }
            }
            return false
        }
    }

    /// Whether a root element's start tag begins at `i`: `<`, a letter, then neither `!` nor `?`.
    private static func startsRootTag(_ b: ArraySlice<UInt8>, at i: Int) -> Bool {
        let letter = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b[i + 1]) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b[i + 1])
        return b[i] == UInt8(ascii: "<") && letter && b[i + 2] != UInt8(ascii: "!") && b[i + 2] != UInt8(ascii: "?")
    }

    /// The same question asked of characters, through a regular expression (the rule's first form).
    static func namesFHIRNamespaceByCharacters(_ window: [UInt8]) -> Bool {
        guard let s = String(validating: window, as: UTF8.self) ?? String(validating: window.dropLast(3), as: UTF8.self),
              let rootStart = s.range(of: #"<[A-Za-z][^!?]"#, options: .regularExpression),
              let rootEnd = s[rootStart.lowerBound...].firstIndex(of: ">") else { return false }
        let tag = s[rootStart.lowerBound..<rootEnd]
        return tag.contains("\"http://hl7.org/fhir\"") || tag.contains("'http://hl7.org/fhir'")
    }
}
