/// Values framed by a 4-byte little-endian length (or written as such a word): the framing of view
/// records (`ViewRecord`) and of the recipes they hold (`HL7ObservationRecipe`).
public enum LengthPrefixed {
    public static func putWord(_ n: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: n.littleEndian) { out.append(contentsOf: $0) }
    }

    /// A count or length as a word (lengths are below 4 GiB: values are bounded far lower).
    public static func putCount(_ n: Int, _ out: inout [UInt8]) {
        putWord(UInt32(truncatingIfNeeded: n), &out)
    }

    public static func put(_ s: String, _ out: inout [UInt8]) {
        putCount(s.utf8.count, &out)
        out.append(contentsOf: s.utf8)
    }

    /// Appends what `body` writes, after its length.
    public static func putFramed(_ out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        let at = out.count
        putWord(0, &out)
        body(&out)
        withUnsafeBytes(of: UInt32(out.count - at - 4).littleEndian) { n in
            for k in 0..<4 { out[at + k] = n[k] }
        }
    }

    /// Reads what the functions above write; every read is nil (or false) when the bytes run out.
    public struct Reader {
        public let bytes: ArraySlice<UInt8>
        public private(set) var offset: Int

        public init(_ bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            offset = bytes.startIndex
        }

        public var remaining: Int { bytes.endIndex - offset }

        public mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, n <= remaining else { return nil }
            defer { offset += n }
            return bytes[offset..<offset + n]
        }

        public mutating func word() -> UInt32? {
            guard let b = take(4) else { return nil }
            let i = b.startIndex
            return UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
        }

        /// Passes over the word `w` if it is next.
        public mutating func skip(word w: UInt32) -> Bool {
            var peek = self
            guard peek.word() == w else { return false }
            self = peek
            return true
        }

        public mutating func count() -> Int? {
            word().flatMap { Int(exactly: $0) }
        }

        /// A length-prefixed value, not copied.
        public mutating func slice() -> ArraySlice<UInt8>? {
            guard let n = count() else { return nil }
            return take(n)
        }

        public mutating func string() -> String? {
            slice().map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
