/// Reads ASCII digits from bytes, for the timestamp and date parsers.
struct DigitReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    var atEnd: Bool { i == bytes.count }
    var atDigit: Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
    func at(_ b: UInt8) -> Bool { i < bytes.count && bytes[i] == b }

    /// Exactly `n` digits as a number (advancing past them), or nil.
    mutating func digits(_ n: Int) -> Int? {
        guard i + n <= bytes.count else { return nil }
        var v = 0
        for k in i..<(i + n) {
            let b = bytes[k]
            guard b >= 0x30, b <= 0x39 else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        i += n
        return v
    }
}
