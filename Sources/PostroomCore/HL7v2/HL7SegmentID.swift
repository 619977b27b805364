/// A segment id such as `MSH` or `OBX`, packed into an integer so comparisons cost nothing.
public struct HL7SegmentID: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The id's bytes, big-endian, in the low 24 bits (more than 3 bytes: only the first 3, and `isValid` is false).
    public let code: UInt32
    /// Whether the id is three upper-case letters or digits starting with a letter.
    public let isValid: Bool

    /// Reads an id from the first bytes of a segment (up to the field separator).
    init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        var c: UInt32 = 0
        var valid = range.count == 3
        for (k, i) in range.prefix(3).enumerated() {
            let b = bytes[i]
            c = (c << 8) | UInt32(b)
            let upper = b >= 0x41 && b <= 0x5A
            let digit = b >= 0x30 && b <= 0x39
            if !(upper || (digit && k > 0)) { valid = false }
        }
        code = c
        isValid = valid
    }

    /// An id from its text, e.g. `"OBX"`.
    public init(stringLiteral value: String) {
        var c: UInt32 = 0
        var n = 0
        var valid = true
        for b in value.utf8 {
            if n < 3 { c = (c << 8) | UInt32(b) }
            let upper = b >= 0x41 && b <= 0x5A
            let digit = b >= 0x30 && b <= 0x39
            if !(upper || (digit && n > 0)) { valid = false }
            n += 1
        }
        code = c
        isValid = valid && n == 3
    }

    static let msh: HL7SegmentID = "MSH"
    static let fhs: HL7SegmentID = "FHS"
    static let bhs: HL7SegmentID = "BHS"

    /// The id's text (invalid ids are shown with their first three bytes).
    public var description: String {
        let bytes = [UInt8(truncatingIfNeeded: code >> 16), UInt8(truncatingIfNeeded: code >> 8), UInt8(truncatingIfNeeded: code)]
        return String(decoding: bytes.drop { $0 == 0 }.map { $0 >= 0x20 && $0 < 0x7F ? $0 : 0x3F }, as: UTF8.self)
    }

    /// Whether this is a locally defined Z-segment.
    public var isZSegment: Bool { isValid && (code >> 16) == 0x5A }

    /// Whether this id starts a message or a batch envelope (its fields follow the MSH numbering).
    var isHeader: Bool { code == 0x4D5348 || code == 0x464853 || code == 0x424853 }
}
