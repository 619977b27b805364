import Foundation

/// Proleptic Gregorian dates as day counts since 1970-01-01 (Howard Hinnant's civil-date
/// algorithms): the one conversion the HL7 v2 time zones, the acknowledgement timestamps, the FHIR
/// instants and the store's search index share, without Foundation calendars on the hot path.
public enum CivilDate {
    /// Days since 1970-01-01 of a civil date.
    @inlinable public static func days(year y0: Int, month m: Int, day d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    @inlinable public static func date(days z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension CivilDate {
    /// The number of days in a month of a year (proleptic Gregorian).
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Whether `text` is a real calendar date written `YYYY-MM-DD`.
    public static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1 else { return false }
        return date(days: days(year: y, month: m, day: d)) == (y, m, d)
    }
}

extension CivilDate {
    /// `YYYY-MM-DDThh:mm:ss.sssZ` of milliseconds since 1970-01-01 UTC (the store's sortable form).
    public static func utcText(milliseconds ms: Int) -> String {
        let day = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let rest = ms - day * 86_400_000
        let (y, m, d) = date(days: day)
        let s = rest / 1000, msec = rest % 1000
        // By hand: String(format:) goes through Foundation's formatter, a few per cent of a run's CPU.
        var out = [UInt8]()
        out.reserveCapacity(24)
        digits(y, 4, &out); out.append(0x2D); digits(m, 2, &out); out.append(0x2D); digits(d, 2, &out)
        out.append(0x54); digits(s / 3600, 2, &out); out.append(0x3A); digits((s / 60) % 60, 2, &out)
        out.append(0x3A); digits(s % 60, 2, &out); out.append(0x2E); digits(msec, 3, &out); out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` in decimal, zero-padded to `width` digits (wider values keep all their digits, a
    /// negative year its sign, as `%0Nd` does).
    static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        if value < 0 { out.append(0x2D); digits(-value, width - 1, &out); return }
        var count = 1, v = value
        while v >= 10 { v /= 10; count += 1 }
        if width > count { out.append(contentsOf: repeatElement(0x30, count: width - count)) }
        let start = out.count
        out.append(contentsOf: repeatElement(0x30, count: count))
        v = value
        for i in stride(from: start + count - 1, through: start, by: -1) {
            out[i] = UInt8(0x30 + v % 10)
            v /= 10
        }
    }

    /// A moment's wall-clock time in a zone, to the second, with the zone's offset then.
    public struct LocalTime: Sendable {
        public var year, month, day, hour, minute, second: Int
        /// Seconds east of UTC.
        public var offsetSeconds: Int
    }

    /// The wall-clock time of `date` in `zone` (by hand: no calendar on the hot path).
    public static func local(_ date: Date, in zone: TimeZone) -> LocalTime {
        let offset = zone.secondsFromGMT(for: date)
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secs = local - days * 86_400
        let (y, m, d) = self.date(days: days)
        return LocalTime(year: y, month: m, day: d, hour: secs / 3600, minute: secs / 60 % 60, second: secs % 60, offsetSeconds: offset)
    }
}
