/// Random (version 4) UUIDs in lower case, drawn from the system's random source (`getrandom` on
/// Linux). Foundation's `UUID()` opens, reads and closes `/dev/urandom` for every id here, and an
/// acknowledgement takes one id per message: three system calls per message on the writer thread.
public enum RandomUUID {
    /// A new id such as `1b4e28ba-2fa1-41d2-883f-0016d3cca427` (RFC 9562 version 4, variant 10).
    public static func string() -> String {
        var g = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: g.next() as UInt64) { for i in 0..<8 { bytes[i] = $0[i] } }
        withUnsafeBytes(of: g.next() as UInt64) { for i in 0..<8 { bytes[8 + i] = $0[i] } }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            Hex.append(b, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
