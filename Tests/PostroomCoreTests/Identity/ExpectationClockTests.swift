import Foundation
import PostroomCore
import Testing

/// Expected-file schedules in Europe/London: days, times, daylight-saving changes, bank holidays.
@Suite struct ExpectationClockTests {
    let london = ExpectationClock(zone: TimeZone(identifier: "Europe/London")!, holidays: ["2026-12-25"])
    let weekdays7 = FileExpectation(name: "daily pathology batch", days: FileExpectation.parseDays("Mon-Fri")!,
                                    byMinutes: FileExpectation.parseTime("07:00")!, atLeast: 1)

    func instant(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }

    @Test func daysAndTimesParse() {
        #expect(FileExpectation.parseDays("Mon-Fri") == [1, 2, 3, 4, 5])
        #expect(FileExpectation.parseDays("Mon,Wed,Fri") == [1, 3, 5])
        #expect(FileExpectation.parseDays("Fri-Mon") == [5, 6, 7, 1])
        #expect(FileExpectation.parseDays("daily") == Set(1...7))
        #expect(FileExpectation.parseDays("Monday-Friday") == [1, 2, 3, 4, 5])
        #expect(FileExpectation.parseDays("Mo-Fr") == nil)
        #expect(FileExpectation.parseDays("") == nil)
        #expect(FileExpectation.parseTime("07:00") == 420)
        #expect(FileExpectation.parseTime("24:00") == nil && FileExpectation.parseTime("7:00") == nil)
    }

    @Test func theDueTimeFollowsTheLocalClockAcrossDaylightSaving() {
        // Friday 27 March 2026 is GMT: 07:00 local is 07:00Z. Monday 30 March is BST: 07:00 local is 06:00Z.
        #expect(london.window(weekdays7, at: instant("2026-03-27T05:00:00Z"))?.by == instant("2026-03-27T07:00:00Z"))
        #expect(london.window(weekdays7, at: instant("2026-03-30T05:00:00Z"))?.by == instant("2026-03-30T06:00:00Z"))
        // Back to GMT on Sunday 25 October: Monday 26 October, 07:00 local is 07:00Z again.
        #expect(london.window(weekdays7, at: instant("2026-10-26T05:00:00Z"))?.by == instant("2026-10-26T07:00:00Z"))
        // On the day the clocks go forward, 01:30 does not exist: the file is due when the clock reads 02:00 (01:00Z).
        let early = FileExpectation(name: "x", days: Set(1...7), byMinutes: 90)
        #expect(london.window(early, at: instant("2026-03-29T00:10:00Z"))?.by == instant("2026-03-29T01:00:00Z"))
        // The window starts at local midnight: 23:00Z on a BST day belongs to the next local day.
        #expect(london.window(weekdays7, at: instant("2026-06-01T23:30:00Z"))?.start == instant("2026-06-01T23:00:00Z"))
    }

    @Test func weekendsAndBankHolidaysExpectNothing() {
        #expect(london.window(weekdays7, at: instant("2026-03-28T09:00:00Z")) == nil, "a Saturday")
        #expect(london.window(weekdays7, at: instant("2026-12-25T09:00:00Z")) == nil, "Christmas Day, listed as a holiday")
    }

    @Test func statesFromCounts() {
        let now = instant("2026-03-30T06:30:00Z")
        let window = london.window(weekdays7, at: now)
        #expect(ExpectationClock.state(weekdays7, window: window, now: now, inTime: 0, afterwards: 0) == .missed)
        #expect(ExpectationClock.state(weekdays7, window: window, now: now, inTime: 0, afterwards: 2) == .late)
        #expect(ExpectationClock.state(weekdays7, window: window, now: now, inTime: 1, afterwards: 0) == .met)
        let before = instant("2026-03-30T05:30:00Z")
        #expect(ExpectationClock.state(weekdays7, window: london.window(weekdays7, at: before), now: before, inTime: 0, afterwards: 0) == .pending)
        #expect(ExpectationClock.state(weekdays7, window: nil, now: now, inTime: 0, afterwards: 0) == .notToday)
    }
}
