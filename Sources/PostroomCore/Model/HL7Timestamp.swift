/// An HL7 timestamp — v2 DTM/TS/DT and v3 (CDA) `TS`, one format:
/// `YYYY[MM[DD[HH[MM[SS[.S{1,4}]]]]]][+|-ZZzz]` — with its fields as written.
public struct HL7Timestamp: Sendable, Hashable {
    /// The year (four digits).
    public var year: Int
    /// The month, 1–12, when given.
    public var month: Int?
    /// The day of the month, when given.
    public var day: Int?
    /// The hour, 0–23, when given.
    public var hour: Int?
    /// The minute, when given.
    public var minute: Int?
    /// The second, when given.
    public var second: Int?
    /// The fraction of a second as written (digits after the point).
    public var fraction: String?
    /// The offset in minutes east of UTC when the value carries one.
    public var offsetMinutes: Int?
    /// True when the offset was written with hours only (`+00`), as some NHS systems send it (v3 only).
    public var hourOnlyOffset = false

    /// Where the two standards' readings differ.
    public struct Syntax: Sendable {
        /// v2 reads up to the first `^` (TS.1 of a TS with components).
        var stopsAtComponent: Bool
        /// v3 allows a leap second (`60`).
        var leapSecond: Bool
        /// v3 allows an offset of hours only (`+00`) at the end, flagged in `hourOnlyOffset`.
        var hourOnlyOffset: Bool

        /// HL7 v2 DTM/TS/DT.
        public static let v2 = Syntax(stopsAtComponent: true, leapSecond: false, hourOnlyOffset: false)
        /// HL7 v3 `TS` (CDA).
        public static let v3 = Syntax(stopsAtComponent: false, leapSecond: true, hourOnlyOffset: true)
    }

    public init(year: Int) { self.year = year }

    /// Parses a value; nil when it does not follow the format or a field is out of range.
    public init?(_ text: String, syntax: Syntax = .v2) {
        var s = text
        guard let v = s.withUTF8({ HL7Timestamp(bytes: $0, syntax: syntax) }) else { return nil }
        self = v
    }

    /// Parses a value from its bytes.
    init?(bytes all: UnsafeBufferPointer<UInt8>, syntax: Syntax = .v2) {
        var n = 0
        if syntax.stopsAtComponent { while n < all.count, all[n] != 0x5E { n += 1 } } else { n = all.count }
        var r = DigitReader(bytes: UnsafeBufferPointer(rebasing: all[0..<n]))
        guard let y = r.digits(4) else { return nil }
        self.init(year: y)
        guard readDate(&r), readTime(&r, syntax: syntax), readOffset(&r, syntax: syntax), r.atEnd else { return nil }
    }

    private mutating func readDate(_ r: inout DigitReader) -> Bool {
        if r.atDigit { guard let m = r.digits(2), (1...12).contains(m) else { return false }; month = m }
        if let month, r.atDigit {
            guard let d = r.digits(2), d >= 1, d <= CivilDate.daysIn(month: month, year: year) else { return false }
            day = d
        }
        return true
    }

    private mutating func readTime(_ r: inout DigitReader, syntax: Syntax) -> Bool {
        if day != nil, r.atDigit { guard let h = r.digits(2), h < 24 else { return false }; hour = h }
        if hour != nil, r.atDigit { guard let m = r.digits(2), m < 60 else { return false }; minute = m }
        if minute != nil, r.atDigit {
            guard let s = r.digits(2), s < (syntax.leapSecond ? 61 : 60) else { return false }
            second = s
        }
        if second != nil, r.at(0x2E) {
            r.i += 1
            let start = r.i
            while r.atDigit { r.i += 1 }
            guard (1...4).contains(r.i - start) else { return false }
            fraction = String(decoding: r.bytes[start..<r.i], as: UTF8.self)
        }
        return true
    }

    private mutating func readOffset(_ r: inout DigitReader, syntax: Syntax) -> Bool {
        guard r.at(0x2B) || r.at(0x2D) else { return true }
        let sign = r.at(0x2D) ? -1 : 1
        r.i += 1
        guard let hh = r.digits(2), hh <= 14 else { return false }
        if syntax.hourOnlyOffset, r.atEnd {
            hourOnlyOffset = true
            offsetMinutes = sign * hh * 60
            return true
        }
        guard let mm = r.digits(2), mm < 60 else { return false }
        offsetMinutes = sign * (hh * 60 + mm)
        return true
    }

    /// Whether the value is precise to the day or better.
    public var hasDay: Bool { day != nil }

    /// Whether the value has a time of day (to the minute at least).
    public var hasTime: Bool { minute != nil }
}
