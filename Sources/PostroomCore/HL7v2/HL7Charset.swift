/// The character sets of MSH-18 that Postroom decodes, and how bytes become text.
public enum HL7Charset: Sendable, Hashable {
    /// UTF-8 (`UNICODE UTF-8`); also used for plain ASCII text.
    case utf8
    /// ISO 8859-1 (`8859/1`): each byte is the Unicode scalar of the same value.
    case latin1
    /// Windows-1252: the fallback for high bytes that are not valid UTF-8 when MSH-18 is empty or ASCII.
    case windows1252

    /// What MSH-18 asked for and what the bytes turned out to need.
    struct Choice {
        var charset: HL7Charset
        var issue: Issue?
    }

    /// Chooses the charset of a message from MSH-18 (its first repetition) and the message bytes.
    static func choose(declared raw: String, bytes: UnsafeBufferPointer<UInt8>) -> Choice {
        let declared = raw.uppercased().trimmingSpaces
        var hasHigh = false
        for b in bytes where b >= 0x80 { hasHigh = true; break }
        switch declared {
        case "", "ASCII", "US-ASCII":
            guard hasHigh else { return Choice(charset: .utf8) }
            if isValidUTF8(bytes) {
                return Choice(charset: .utf8, issue: declared.isEmpty ? nil : .warning(.characterSetMismatch, type: "value", at: "MSH-18",
                    "MSH-18 declares ASCII but the message holds UTF-8 characters; read as UTF-8"))
            }
            return Choice(charset: .windows1252, issue: .warning(.characterSetFallback, type: "value", at: "MSH-18",
                "The message holds bytes that are not valid UTF-8 and MSH-18 names no character set that explains them; read as Windows-1252"))
        case "UNICODE UTF-8", "UTF-8", "UTF8", "UNICODE":
            if !hasHigh || isValidUTF8(bytes) { return Choice(charset: .utf8) }
            return Choice(charset: .windows1252, issue: .warning(.characterSetMismatch, type: "value", at: "MSH-18",
                "MSH-18 declares UTF-8 but the message is not valid UTF-8; read as Windows-1252"))
        case "8859/1", "ISO-8859-1", "ISO8859-1", "ISO_8859-1", "ISO IR100", "ISO-IR 100":
            return Choice(charset: .latin1)
        default:
            guard hasHigh else { return Choice(charset: .utf8) }
            return Choice(charset: .utf8, issue: .error(.unsupportedCharacterSet, type: "not-supported", at: "MSH-18",
                "MSH-18 names a character set Postroom does not decode (supported: ASCII, UNICODE UTF-8, 8859/1)"))
        }
    }

    /// Whether the bytes are well-formed UTF-8.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// The Unicode scalars of Windows-1252 bytes 0x80–0x9F (0 where undefined).
    static let cp1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// Decodes bytes in this charset.
    func string<C: Collection<UInt8>>(_ bytes: C) -> String {
        switch self {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .latin1, .windows1252:
            var allASCII = true
            for b in bytes where b >= 0x80 { allASCII = false; break }
            if allASCII { return String(decoding: bytes, as: UTF8.self) }
            var s = String.UnicodeScalarView()
            for b in bytes {
                var v = UInt32(b)
                if self == .windows1252, b >= 0x80, b < 0xA0 {
                    let mapped = Self.cp1252High[Int(b - 0x80)]
                    if mapped != 0 { v = mapped }
                }
                s.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            }
            return String(s)
        }
    }
}

extension String {
    /// The string without leading and trailing spaces.
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
