/// A FHIR `date`, `dateTime` or `instant` as written — `YYYY[-MM[-DD[Thh:mm[:ss[.f+]][Z|±hh:mm]]]]`
/// — and the period it covers, on the civil-date core. The validator, the search index and the
/// search `date` parameter all read dates with this one parser; each adds its own rules.
public struct FHIRDateTime: Sendable, Equatable {
    public var year: Int
    public var month: Int?
    public var day: Int?
    public var hour: Int?
    public var minute: Int?
    public var second: Int?
    /// The fraction of a second in milliseconds (its first three digits), when one was written.
    public var millisecond: Int?
    /// The offset in minutes east of UTC (`Z`: 0); nil when the value names no zone.
    public var offsetMinutes: Int?

    /// Why a text is not a date.
    public enum Problem: Error, Sendable {
        /// Not in the format, or a field out of its range.
        case syntax
        /// Year, month and day in the format, but no such day (`2026-02-30`).
        case notACalendarDay
    }

    /// Where the readers differ.
    public struct Grammar: Sendable {
        /// A space may stand for the `T` (RFC 3339 timestamps as SQLite writes them).
        var spaceBeforeTime: Bool
        /// A leap second (`:60`) is allowed.
        var leapSecond: Bool

        /// Values as FHIR R4 allows them (the validator adds: seconds and a zone with every time, zones up to 14:00).
        public static let fhir = Grammar(spaceBeforeTime: false, leapSecond: true)
        /// Values stored in resources and the store's own timestamps (the search index, `StoreTime`).
        public static let stored = Grammar(spaceBeforeTime: true, leapSecond: true)
        /// The value of a search `date` parameter (no leap second).
        public static let search = Grammar(spaceBeforeTime: false, leapSecond: false)
    }

    public init(year: Int) { self.year = year }

    /// Reads `text`; a time may come without seconds or zone (the caller decides whether it may).
    public static func parse(_ text: String, grammar: Grammar) -> Result<FHIRDateTime, Problem> {
        var s = text
        return s.withUTF8 { parse(bytes: $0, grammar: grammar) }
    }

    /// Reads a value from its bytes.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, grammar: Grammar) -> Result<FHIRDateTime, Problem> {
        var r = DigitReader(bytes: bytes)
        guard let year = r.digits(4), year >= 1 else { return .failure(.syntax) }
        var v = FHIRDateTime(year: year)
        if r.atEnd { return .success(v) }
        guard r.at(0x2D) else { return .failure(.syntax) }
        r.i += 1
        guard let month = r.digits(2), (1...12).contains(month) else { return .failure(.syntax) }
        v.month = month
        if r.atEnd { return .success(v) }
        guard r.at(0x2D) else { return .failure(.syntax) }
        r.i += 1
        guard let day = r.digits(2), day >= 1 else { return .failure(.syntax) }
        guard day <= CivilDate.daysIn(month: month, year: year) else { return .failure(.notACalendarDay) }
        v.day = day
        if r.atEnd { return .success(v) }
        guard r.at(0x54) || (grammar.spaceBeforeTime && r.at(0x20)) else { return .failure(.syntax) }
        r.i += 1
        guard v.readTime(&r, grammar: grammar), v.readZone(&r), r.atEnd else { return .failure(.syntax) }
        return .success(v)
    }

    /// `hh:mm[:ss[.f+]]`.
    private mutating func readTime(_ r: inout DigitReader, grammar: Grammar) -> Bool {
        guard let h = r.digits(2), h < 24, r.at(0x3A) else { return false }
        r.i += 1
        guard let m = r.digits(2), m < 60 else { return false }
        hour = h
        minute = m
        guard r.at(0x3A) else { return true }
        r.i += 1
        guard let s = r.digits(2), s < (grammar.leapSecond ? 61 : 60) else { return false }
        second = s
        guard r.at(0x2E) else { return true }
        r.i += 1
        var digits = 0, ms = 0
        while r.atDigit {
            if digits < 3 { ms = ms * 10 + Int(r.bytes[r.i] - 0x30) }
            digits += 1
            r.i += 1
        }
        guard digits > 0 else { return false }
        while digits < 3 { ms *= 10; digits += 1 }
        millisecond = ms
        return true
    }

    /// `Z`, `±hh:mm` (hh up to 14), or nothing.
    private mutating func readZone(_ r: inout DigitReader) -> Bool {
        if r.at(0x5A) {
            r.i += 1
            offsetMinutes = 0
            return true
        }
        guard r.at(0x2B) || r.at(0x2D) else { return true }
        let sign = r.at(0x2D) ? -1 : 1
        r.i += 1
        guard let hh = r.digits(2), hh <= 14, r.at(0x3A) else { return false }
        r.i += 1
        guard let mm = r.digits(2), mm < 60 else { return false }
        offsetMinutes = sign * (hh * 60 + mm)
        return true
    }

    /// The period `[lo, hi)` the value covers, in milliseconds since 1970-01-01 UTC: a year, month or
    /// day (UTC), or a time to its precision (minute, second, millisecond); a time without zone is UTC.
    public var period: (lo: Int, hi: Int) {
        let dayMs = 86_400_000
        guard let month else { return (CivilDate.days(year: year, month: 1, day: 1) * dayMs, CivilDate.days(year: year + 1, month: 1, day: 1) * dayMs) }
        guard let day else {
            let next = month == 12 ? (year + 1, 1) : (year, month + 1)
            return (CivilDate.days(year: year, month: month, day: 1) * dayMs, CivilDate.days(year: next.0, month: next.1, day: 1) * dayMs)
        }
        let start = CivilDate.days(year: year, month: month, day: day) * dayMs
        guard let hour, let minute else { return (start, start + dayMs) }
        let lo = start + ((hour * 60 + minute) * 60 + (second ?? 0)) * 1000 + (millisecond ?? 0) - (offsetMinutes ?? 0) * 60_000
        return (lo, lo + (millisecond != nil ? 1 : second != nil ? 1000 : 60_000))
    }
}
