/// The text form of a UUID: `8-4-4-4-12` hexadecimal digits, in either case (RFC 9562 §4).
public enum UUIDSyntax {
    /// Whether `s` is a UUID in its text form (no `urn:uuid:` prefix, no braces).
    public static func matches(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u in
            guard u.count == 36 else { return false }
            for (i, b) in u.enumerated() {
                if i == 8 || i == 13 || i == 18 || i == 23 {
                    if b != UInt8(ascii: "-") { return false }
                } else if !((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)) {
                    return false
                }
            }
            return true
        }
    }
}
