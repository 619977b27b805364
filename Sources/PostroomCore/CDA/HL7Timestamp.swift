import Foundation

/// An HL7 v3 `TS` value (`YYYY[MM[DD[HH[MM[SS[.S{1,4}]]]]]][+|-ZZzz]`) and its FHIR forms.
public struct HL7Timestamp: Sendable, Hashable {
    /// The year (four digits).
    public var year: Int
    /// The month (1–12), nil when not sent.
    public var month: Int?
    /// The day of the month, nil when not sent.
    public var day: Int?
    /// The hour (0–23), nil when not sent.
    public var hour: Int?
    /// The minute, nil when not sent.
    public var minute: Int?
    /// The second, nil when not sent.
    public var second: Int?
    /// Fraction-of-second digits as sent (without the dot).
    public var fraction: String?
    /// The UTC offset in minutes, nil when the value carries none.
    public var offsetMinutes: Int?
    /// True when the offset was written with hours only (`+00`), as some NHS systems send it.
    public var hourOnlyOffset = false

    /// Parses a TS value; nil when it does not follow the format or a field is out of range.
    public static func parse(_ text: String) -> HL7Timestamp? {
        let chars = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= chars.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard chars[k] >= 48 && chars[k] <= 57 else { return nil }
                v = v * 10 + Int(chars[k] - 48)
            }
            i += n
            return v
        }
        func atDigit() -> Bool { i < chars.count && chars[i] >= 48 && chars[i] <= 57 }
        guard let year = digits(4) else { return nil }
        var ts = HL7Timestamp(year: year)
        if atDigit() { guard let v = digits(2), (1...12).contains(v) else { return nil }; ts.month = v }
        if ts.month != nil, atDigit() {
            guard let v = digits(2), v >= 1, v <= daysIn(month: ts.month ?? 1, year: year) else { return nil }
            ts.day = v
        }
        if ts.day != nil, atDigit() { guard let v = digits(2), v <= 23 else { return nil }; ts.hour = v }
        if ts.hour != nil, atDigit() { guard let v = digits(2), v <= 59 else { return nil }; ts.minute = v }
        if ts.minute != nil, atDigit() { guard let v = digits(2), v <= 60 else { return nil }; ts.second = v }
        if ts.second != nil, i < chars.count, chars[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while atDigit() { i += 1 }
            guard (1...4).contains(i - start) else { return nil }
            ts.fraction = String(decoding: chars[start..<i], as: UTF8.self)
        }
        if i < chars.count, chars[i] == UInt8(ascii: "+") || chars[i] == UInt8(ascii: "-") {
            let sign = chars[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let hh = digits(2), hh <= 14 else { return nil }
            var mm = 0
            if i == chars.count {
                ts.hourOnlyOffset = true
            } else {
                guard let m = digits(2), m <= 59 else { return nil }
                mm = m
            }
            ts.offsetMinutes = sign * (hh * 60 + mm)
        }
        guard i == chars.count else { return nil }
        return ts
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether the value is precise to the day or better.
    public var hasDay: Bool { day != nil }

    /// A FHIR `instant` (`YYYY-MM-DDThh:mm:ss[.fff]±hh:mm`) when the value is precise to the hour
    /// or better (missing minutes and seconds are written as zero); `zone` (an IANA name) gives the
    /// offset of values that carry none, daylight saving included.
    public func fhirInstant(defaultZone zone: String) -> String? {
        guard let month, let day, let hour else { return nil }
        let minute = minute ?? 0, second = second ?? 0
        let offset = offsetMinutes ?? localOffset(zone: zone, month: month, day: day, hour: hour, minute: minute, second: second)
        var s = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second)
        if let fraction { s += "." + fraction }
        return s + Self.formatOffset(offset)
    }

    /// A FHIR `dateTime`: partial dates stay partial (`2014`, `2014-09`, `2014-09-01`); times are
    /// written as for `fhirInstant`.
    public func fhirDateTime(defaultZone zone: String) -> String {
        if hour != nil, let instant = fhirInstant(defaultZone: zone) { return instant }
        return fhirDate
    }

    /// A FHIR `date` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    public var fhirDate: String {
        var s = String(format: "%04d", year)
        if let month { s += String(format: "-%02d", month) }
        if month != nil, let day { s += String(format: "-%02d", day) }
        return s
    }

    private func localOffset(zone: String, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int {
        let tz = TimeZone(identifier: zone) ?? TimeZone(identifier: "Europe/London") ?? .gmt
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tz
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components) else { return 0 }
        return tz.secondsFromGMT(for: date) / 60
    }

    static func formatOffset(_ minutes: Int) -> String {
        let sign = minutes < 0 ? "-" : "+"
        let m = abs(minutes)
        return sign + String(format: "%02d:%02d", m / 60, m % 60)
    }
}
