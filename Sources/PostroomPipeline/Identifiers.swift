import Foundation
import Synchronization

/// Makes sortable unique ids (ULIDs: 48-bit millisecond time + 80 random bits, Crockford base32),
/// monotonic within a process so ids made in the same millisecond still sort in order.
public final class IDGenerator: Sendable {
    private struct State {
        var lastMillis: UInt64 = 0
        var random: (UInt16, UInt64) = (0, 0)
    }

    private let state = Mutex(State())
    public static let shared = IDGenerator()

    public init() {}

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    static let lowerAlphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// A new 26-character id, in lower case (as resource ids are stored): `next().lowercased()` without the copy.
    public func nextLowercase() -> String { make(alphabet: Self.lowerAlphabet) }

    /// A new 26-character id.
    public func next() -> String { make(alphabet: Self.alphabet) }

    private func make(alphabet: [UInt8]) -> String {
        let (millis, hi, lo) = state.withLock { s -> (UInt64, UInt16, UInt64) in
            let now = UInt64(Date().timeIntervalSince1970 * 1000)
            if now > s.lastMillis {
                s.lastMillis = now
                s.random = (UInt16.random(in: 0...UInt16.max), UInt64.random(in: 0...(UInt64.max >> 1)))
            } else {
                // Same (or earlier) millisecond: increment the random part.
                s.random.1 &+= 1
                if s.random.1 == 0 { s.random.0 &+= 1 }
            }
            return (s.lastMillis, s.random.0, s.random.1)
        }
        // Written straight into the string's storage (no array to allocate and free: ~10 ids per ORU).
        return alphabet.withUnsafeBufferPointer { a in
            String(unsafeUninitializedCapacity: 26) { out in
                // 10 chars of time (50 bits, top 2 zero).
                var t = millis
                for i in stride(from: 9, through: 0, by: -1) {
                    out[i] = a[Int(t & 31)]
                    t >>= 5
                }
                // 16 chars after the time: 13 from lo (its 63 random bits), 3 from hi (14 of its bits; char
                // 12's last bit is always 0): 77 random bits. Ids made before are written the same way.
                var r = lo
                for i in stride(from: 25, through: 13, by: -1) {
                    out[i] = a[Int(r & 31)]
                    r >>= 5
                }
                var h = (UInt64(hi) << 1) | (r & 1)
                for i in stride(from: 12, through: 10, by: -1) {
                    out[i] = a[Int(h & 31)]
                    h >>= 5
                }
                return 26
            }
        }
    }
}
