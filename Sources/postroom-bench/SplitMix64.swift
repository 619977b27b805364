/// A small seeded pseudo-random generator (SplitMix64): the same seed gives the same loads on
/// every machine and every run, unlike `SystemRandomNumberGenerator`.
struct SplitMix64: Sendable {
    private(set) var state: UInt64

    /// A generator whose whole sequence follows from `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// A generator for one item of a load: a pure function of the load's seed and the item's index,
    /// so any message can be made again on its own (an order and the result answering it).
    init(seed: UInt64, index: Int) {
        var mixer = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (`bound` must be positive; the modulo bias is negligible here).
    mutating func int(_ bound: Int) -> Int {
        Int(next() % UInt64(max(bound, 1)))
    }

    /// A number in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(range.count)
    }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T {
        items[int(items.count)]
    }

    /// `count` decimal digits as text (leading zeros kept).
    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(Unicode.Scalar(UInt8(48 + int(10)))) })
    }

    /// A random (version 4) UUID in lower case, as NHS FHIR messages carry them.
    mutating func uuid() -> String {
        let a = next(), b = next()
        let hex = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(36)
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append("-") }
            var nibble = Int(((i < 16 ? a : b) >> UInt64((i % 16) * 4)) & 0xF)
            if i == 12 { nibble = 4 }  // version 4
            if i == 16 { nibble = 8 | (nibble & 3) }  // RFC 4122 variant
            out.append(hex[nibble])
        }
        return out
    }

    /// A valid NHS number in the 999 test range (Modulus 11 check digit, never 10).
    mutating func nhsNumber() -> String {
        while true {
            var digits = [9, 9, 9]
            for _ in 0..<6 { digits.append(int(10)) }
            var sum = 0
            for (i, d) in digits.enumerated() { sum += d * (10 - i) }
            var check = 11 - sum % 11
            if check == 11 { check = 0 }
            if check == 10 { continue }
            return (digits + [check]).map(String.init).joined()
        }
    }

    /// A seed for one part of the benchmark, derived from the run's seed and a label (FNV-1a), so
    /// adding or dropping a load never changes the others.
    static func derive(_ seed: UInt64, _ label: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in label.utf8 {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01B3
        }
        var mixer = SplitMix64(seed: seed ^ h)
        return mixer.next()
    }
}
