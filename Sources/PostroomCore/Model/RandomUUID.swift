#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Random (version 4) UUIDs in lower case, drawn from the system's random source (`/dev/urandom` on
/// Linux, the standard library's system generator elsewhere) 4 KiB at a time: 256 ids per three system
/// calls. Foundation's `UUID()` opens, reads and closes `/dev/urandom` for every id, and `getrandom` per
/// id cost two calls; an acknowledgement takes ids per message (a FHIR answer's three were a fifth of building it).
public enum RandomUUID {
    /// A new id such as `1b4e28ba-2fa1-41d2-883f-0016d3cca427` (RFC 9562 version 4, variant 10).
    public static func string() -> String {
        var bytes = pool.withLock { $0.take16() }
        bytes.6 = (bytes.6 & 0x0F) | 0x40
        bytes.8 = (bytes.8 & 0x3F) | 0x80
        return withUnsafeBytes(of: bytes) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var o = 0
                for i in 0..<16 {
                    if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = UInt8(ascii: "-"); o += 1 }
                    out[o] = Hex.digits[Int(raw[i] >> 4)]
                    out[o + 1] = Hex.digits[Int(raw[i] & 0x0F)]
                    o += 2
                }
                return o
            }
        }
    }

    private static let pool = Mutex(RandomPool())
}

/// Bytes from the system's random source, fetched in blocks and handed out once each.
struct RandomPool: ~Copyable {
    private var block = [UInt8](repeating: 0, count: 4096)
    private var next = 4096

    typealias Sixteen = (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)

    mutating func take16() -> Sixteen {
        if next + 16 > block.count { refill() }
        defer { next += 16 }
        return block.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: next, as: Sixteen.self) }
    }

    private mutating func refill() {
        var g = SystemRandomNumberGenerator()
        block.withUnsafeMutableBytes { buf in
            #if canImport(Glibc)
            // The kernel's source as a file (getrandom(2) is not in the Glibc module): 3 calls per 4 KiB.
            let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                defer { close(fd) }
                var filled = 0
                while filled < buf.count {
                    let n = read(fd, buf.baseAddress! + filled, buf.count - filled)
                    if n > 0 { filled += n } else if n < 0 && errno == EINTR { continue } else { break }
                }
                if filled == buf.count { return }
            }
            #endif
            // Elsewhere (or should /dev/urandom fail): the standard library's system generator, 8 bytes at a time.
            for i in stride(from: 0, to: buf.count, by: 8) { buf.storeBytes(of: g.next() as UInt64, toByteOffset: i, as: UInt64.self) }
        }
        next = 0
    }
}
