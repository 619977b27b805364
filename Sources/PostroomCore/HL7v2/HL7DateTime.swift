/// HL7 v2 DTM/TS/DT values (`YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]`) and their FHIR forms.
public struct HL7DateTime: Sendable, Hashable {
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

    /// Parses a DTM/TS value (TS.1 when components are present); nil when it is not one.
    public init?(_ text: String) {
        var s = text
        guard let v = s.withUTF8({ HL7DateTime(bytes: $0) }) else { return nil }
        self = v
    }

    /// Parses a DTM/TS value from its bytes (up to a `^`).
    init?(bytes all: UnsafeBufferPointer<UInt8>) {
        var n = 0
        while n < all.count, all[n] != 0x5E { n += 1 }
        let bytes = UnsafeBufferPointer(rebasing: all[0..<n])
        var i = 0
        func digits(_ n: Int) -> Int? {
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
        func atDigit() -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        guard let y = digits(4) else { return nil }
        year = y
        if atDigit() { guard let m = digits(2), (1...12).contains(m) else { return nil }; month = m }
        if month != nil, atDigit() {
            guard let d = digits(2), d >= 1, d <= Self.daysIn(month: month ?? 1, year: y) else { return nil }
            day = d
        }
        if day != nil, atDigit() { guard let h = digits(2), h < 24 else { return nil }; hour = h }
        if hour != nil, atDigit() { guard let m = digits(2), m < 60 else { return nil }; minute = m }
        if minute != nil, atDigit() { guard let s = digits(2), s < 60 else { return nil }; second = s }
        if second != nil, i < bytes.count, bytes[i] == 0x2E {
            i += 1
            let start = i
            while atDigit() { i += 1 }
            guard i > start, i - start <= 4 else { return nil }
            fraction = String(decoding: bytes[start..<i], as: UTF8.self)
        }
        if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D {
            let sign = bytes[i] == 0x2D ? -1 : 1
            i += 1
            guard let hh = digits(2), let mm = digits(2), hh <= 14, mm < 60 else { return nil }
            offsetMinutes = sign * (hh * 60 + mm)
        }
        guard i == bytes.count else { return nil }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Whether the value has a time of day (to the minute at least).
    public var hasTime: Bool { minute != nil }

    /// Writes the value's FHIR form into `out` (which has room for 40 bytes); returns the length.
    func write(into out: UnsafeMutableBufferPointer<UInt8>, time: Bool, zone: HL7TimeZone) -> Int {
        var n = 0
        func put(_ b: UInt8) { out[n] = b; n += 1 }
        func put2(_ v: Int) { put(UInt8(0x30 + v / 10 % 10)); put(UInt8(0x30 + v % 10)) }
        put2(year / 100)
        put2(year % 100)
        if let month { put(0x2D); put2(month) }
        if let day { put(0x2D); put2(day) }
        guard time, let hour, let day, let month else { return n }
        put(0x54)
        put2(hour)
        put(0x3A)
        put2(minute ?? 0)
        put(0x3A)
        put2(second ?? 0)
        if let fraction {
            put(0x2E)
            for b in fraction.utf8.prefix(4) { put(b) }
        }
        let offset = offsetMinutes ?? zone.offsetMinutes(year: year, month: month, day: day, hour: hour, minute: minute ?? 0)
        if offset == 0 && offsetMinutes == nil {
            put(0x5A)
        } else {
            let a = abs(offset)
            put(offset < 0 ? 0x2D : 0x2B)
            put2(a / 60)
            put(0x3A)
            put2(a % 60)
        }
        return n
    }

    /// The FHIR `date` form (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    public var fhirDate: String {
        String(unsafeUninitializedCapacity: 40) { write(into: $0, time: false, zone: HL7TimeZone.utc) }
    }

    /// The FHIR `dateTime` form: a date alone, or a time with an offset (the value's own, or
    /// the time zone's offset at that local time, daylight saving included).
    public func fhirDateTime(zone: HL7TimeZone) -> String {
        String(unsafeUninitializedCapacity: 40) { write(into: $0, time: true, zone: zone) }
    }
}
