/// Lower-case hexadecimal: the one encoder (digests, ids, JSON `\u00XX` escapes).
public enum Hex {
    /// The sixteen digits, `0`–`9` then `a`–`f`, as ASCII bytes.
    public static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends the two digits of `byte` to `out`.
    @inlinable public static func append(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0xF)])
    }

    /// The lower-case hex text of `bytes` (inlinable: specialised where it is called, not a generic
    /// walk through protocol witnesses; it hashed a patient key on every message).
    @inlinable public static func lowercase(_ bytes: some Collection<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { append(b, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}
