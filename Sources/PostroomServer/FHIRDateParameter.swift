import Foundation
import PostroomStore

/// A FHIR date search value (`ge2026-11`, `2026-11-20T10:00:00+01:00`) as a prefix and a UTC period `[lo, hi)`.
enum FHIRDateParameter {
    /// Parses one value; nil when the prefix is not supported or the date is not a valid FHIR date.
    static func parse(_ text: String) -> Result<SearchCriterion.DateBound, DateProblem> {
        var s = Substring(text)
        var prefix = SearchCriterion.DateBound.Prefix.eq
        if s.count >= 2, s.prefix(2).allSatisfy({ $0.isLetter }) {
            let p = String(s.prefix(2))
            guard let known = SearchCriterion.DateBound.Prefix(rawValue: p) else {
                return .failure(["sa", "eb", "ap"].contains(p) ? .unsupportedPrefix : .badPrefix)
            }
            prefix = known
            s = s.dropFirst(2)
        }
        guard let (lo, hi) = period(String(s)) else { return .failure(.badDate) }
        return .success(SearchCriterion.DateBound(prefix: prefix, lo: StoreTime.string(lo), hi: StoreTime.string(hi)))
    }

    /// What is wrong with a date value.
    enum DateProblem: Error {
        case unsupportedPrefix, badPrefix, badDate
    }

    static var utc: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        return c
    }

    /// The period a FHIR date/dateTime/instant covers: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`,
    /// `YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm]` (no zone: UTC).
    static func period(_ s: String) -> (Date, Date)? {
        let u = Array(s.utf8)
        func digits(_ from: Int, _ n: Int) -> Int? {
            guard from + n <= u.count else { return nil }
            var v = 0
            for i in from..<(from + n) {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                v = v * 10 + Int(u[i] - 48)
            }
            return v
        }
        func at(_ i: Int, _ c: Character) -> Bool { i < u.count && u[i] == c.asciiValue }
        guard let year = digits(0, 4), year >= 1 else { return nil }
        var parts = DateComponents(calendar: utc, timeZone: utc.timeZone, year: year, month: 1, day: 1, hour: 0, minute: 0, second: 0)
        var step = DateComponents(year: 1)
        var i = 4
        if u.count > 4 {
            guard at(4, "-"), let month = digits(5, 2), (1...12).contains(month) else { return nil }
            parts.month = month
            step = DateComponents(month: 1)
            i = 7
        }
        if u.count > 7 {
            guard at(7, "-"), let day = digits(8, 2), (1...31).contains(day) else { return nil }
            parts.day = day
            step = DateComponents(day: 1)
            i = 10
        }
        var offsetSeconds = 0
        var fraction = 0.0
        if u.count > 10 {
            guard at(10, "T"), let hour = digits(11, 2), hour < 24, at(13, ":"), let minute = digits(14, 2), minute < 60 else { return nil }
            parts.hour = hour
            parts.minute = minute
            step = DateComponents(minute: 1)
            i = 16
            if at(16, ":") {
                guard let second = digits(17, 2), second < 60 else { return nil }
                parts.second = second
                step = DateComponents(second: 1)
                i = 19
                if at(19, ".") {
                    var j = 20
                    var scale = 0.1
                    while j < u.count, u[j] >= 48, u[j] <= 57 {
                        fraction += Double(u[j] - 48) * scale
                        scale /= 10
                        j += 1
                    }
                    guard j > 20 else { return nil }
                    step = DateComponents(nanosecond: 1_000_000)
                    i = j
                }
            }
            if at(i, "Z") {
                i += 1
            } else if at(i, "+") || at(i, "-") {
                guard let oh = digits(i + 1, 2), oh <= 14, at(i + 3, ":"), let om = digits(i + 4, 2), om < 60 else { return nil }
                offsetSeconds = (oh * 3600 + om * 60) * (at(i, "-") ? -1 : 1)
                i += 6
            }
        }
        guard i == u.count, let start = utc.date(from: parts) else { return nil }
        // Reject dates the calendar rolled over (2026-02-30).
        let back = utc.dateComponents([.year, .month, .day], from: start)
        guard back.year == parts.year, back.month == parts.month, back.day == parts.day else { return nil }
        let lo = start.addingTimeInterval(fraction - Double(offsetSeconds))
        guard let hi = utc.date(byAdding: step, to: lo) else { return nil }
        return (lo, hi)
    }
}
