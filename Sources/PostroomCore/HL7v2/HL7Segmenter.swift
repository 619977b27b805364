/// Splits HL7 v2 bytes into segments by the line-ending rule of DOMAIN.md §6.1.
///
/// When the input holds any CR, segments end at CR, an LF right after a CR belongs to the
/// terminator and any other LF is data. With no CR at all, segments end at LF. Blank
/// segments are skipped, and so are framing bytes: a UTF-8 BOM, MLLP start (0x0B) and
/// end (0x1C) bytes, and line breaks or spaces at the start of a segment.
public enum HL7Segmenter {
    /// How segments end.
    public enum Terminator: Sendable, Hashable {
        /// CR ends a segment; an LF right after it is dropped; other LFs are data.
        case carriageReturn
        /// LF ends a segment (the input holds no CR).
        case lineFeed
    }

    /// The terminator rule for a whole input: CR when it holds any CR, else LF.
    public static func terminator<C: Collection<UInt8>>(for bytes: C) -> Terminator {
        bytes.contains(0x0D) ? .carriageReturn : .lineFeed
    }

    /// Whether `byte` is framing or white space that may precede a segment.
    @inline(__always) static func isLeadingJunk(_ byte: UInt8) -> Bool {
        byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x1C || byte == 0x20 || byte == 0x09
    }

    /// The segments of `bytes` as ranges (without terminators), in order.
    public static func segments(_ bytes: UnsafeBufferPointer<UInt8>, terminator: Terminator) -> [Range<Int>] {
        var out: [Range<Int>] = []
        out.reserveCapacity(16)
        var i = 0
        let n = bytes.count
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        let term: UInt8 = terminator == .carriageReturn ? 0x0D : 0x0A
        while i < n {
            // Skip framing and blank lines before a segment.
            while i < n, isLeadingJunk(bytes[i]) { i += 1 }
            if i >= n { break }
            let start = i
            while i < n, bytes[i] != term { i += 1 }
            var end = i
            // Trailing MLLP end byte or stray CR/space (LF mode) is not content.
            while end > start, bytes[end - 1] == 0x1C || (terminator == .lineFeed && bytes[end - 1] == 0x0D) { end -= 1 }
            if end > start { out.append(start..<end) }
            if i < n { i += 1 }  // the terminator; an LF after CR is skipped as leading junk
        }
        return out
    }

    /// The segments of an array of bytes, with the terminator chosen by the §6.1 rule.
    public static func segments(_ bytes: [UInt8]) -> [Range<Int>] {
        bytes.withUnsafeBufferPointer { segments($0, terminator: terminator(for: $0)) }
    }
}
