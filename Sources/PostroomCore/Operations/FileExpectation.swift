import Foundation

/// A file a channel expects (`"expect": [{ "name", "days", "by", "atLeast" }]`): at least `atLeast`
/// drops on each of `days` before `by`, local time of the channel's zone — the most common silent
/// failure of file-drop integrations is the file that never came.
public struct FileExpectation: Sendable, Equatable {
    public var name: String
    /// ISO weekdays: 1 = Monday … 7 = Sunday.
    public var days: Set<Int>
    /// Minutes after local midnight.
    public var byMinutes: Int
    public var atLeast: Int

    public init(name: String, days: Set<Int>, byMinutes: Int, atLeast: Int = 1) {
        self.name = name
        self.days = days
        self.byMinutes = byMinutes
        self.atLeast = atLeast
    }

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// `Mon-Fri`, `Mon,Wed,Fri`, `Sat-Sun`, `Fri-Mon` (wrapping), `daily`.
    public static func parseDays(_ text: String) -> Set<Int>? {
        let t = text.lowercased().replacingOccurrences(of: " ", with: "")
        if t == "daily" || t == "*" || t == "every" { return Set(1...7) }
        var out: Set<Int> = []
        for part in t.split(separator: ",") {
            let ends = part.split(separator: "-").map { dayNames.firstIndex(of: String($0.prefix(3))) }
            guard !ends.isEmpty, ends.count <= 2, ends.allSatisfy({ $0 != nil }), part.split(separator: "-").allSatisfy({ $0.count >= 3 }) else {
                return nil
            }
            var d = ends[0]!
            let last = ends.last!!
            out.insert(d + 1)
            while d != last {
                d = (d + 1) % 7
                out.insert(d + 1)
            }
        }
        return out.isEmpty ? nil : out
    }

    /// `HH:MM` (24-hour) as minutes after midnight.
    public static func parseTime(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...23).contains(h), (0...59).contains(m) else { return nil }
        return h * 60 + m
    }
}

/// How an expectation stands at a moment (see `ExpectationClock`).
public enum ExpectationState: String, Sendable, Equatable {
    /// Not a day it applies (weekday not listed, or a holiday).
    case notToday = "not-today"
    /// Its time has not come; not yet met.
    case pending
    /// Met in time.
    case met
    /// Not met by its time, but files came afterwards.
    case late
    /// Not met by its time and nothing since: the operator must act.
    case missed

    public var isMissed: Bool { self == .missed }
}

/// The calendar arithmetic of expectations in a time zone, daylight-saving changes included.
public struct ExpectationClock: Sendable {
    public var zone: TimeZone
    /// Local dates (`YYYY-MM-DD`) on which no expectation applies (bank holidays).
    public var holidays: Set<String>

    public init(zone: TimeZone, holidays: Set<String> = []) {
        self.zone = zone
        self.holidays = holidays
    }

    var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        return c
    }

    /// The local date of `now` as `YYYY-MM-DD`.
    public func localDate(_ now: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// Today's window of an expectation: from local midnight to its `by` time, as instants; nil
    /// when it does not apply today. On a day the clocks change, `by` is the local time as it
    /// reads on the clock that day (a time the change skips moves forward by the gap).
    public func window(_ e: FileExpectation, at now: Date) -> (start: Date, by: Date)? {
        let cal = calendar
        let weekday = cal.component(.weekday, from: now)  // 1 = Sunday … 7 = Saturday
        let iso = weekday == 1 ? 7 : weekday - 1
        guard e.days.contains(iso), !holidays.contains(localDate(now)) else { return nil }
        let start = cal.startOfDay(for: now)
        var parts = cal.dateComponents([.year, .month, .day], from: now)
        parts.hour = e.byMinutes / 60
        parts.minute = e.byMinutes % 60
        let by = cal.nextDate(after: start.addingTimeInterval(-1), matching: DateComponents(hour: parts.hour, minute: parts.minute),
                              matchingPolicy: .nextTime) ?? start.addingTimeInterval(Double(e.byMinutes) * 60)
        return (start, by)
    }

    /// The state from the drops counted in the window (`inTime`: `[start, by)`) and after it
    /// (`afterwards`: `[by, now]`).
    public static func state(_ e: FileExpectation, window: (start: Date, by: Date)?, now: Date, inTime: Int, afterwards: Int) -> ExpectationState {
        guard let window else { return .notToday }
        if inTime >= e.atLeast { return .met }
        if now < window.by { return .pending }
        return afterwards > 0 ? .late : .missed
    }
}
