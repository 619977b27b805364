import Foundation
import PostroomCore
import Testing

/// Expected files through the real executable: `check`'s exit code, `status --json`, `metrics.prom`
/// and the log, across a daylight-saving change and a bank holiday.
@Suite struct ExpectationTests {
    func workspace(_ expect: String, holidays: String = "[]") throws -> Workspace {
        let ws = try Workspace()
        try """
            { "data": "data", "timeZone": "Europe/London", "holidays": \(holidays),
              "channels": [ { "name": "results", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" },
                              "expect": [\(expect)], "maxSilenceHours": 6 } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        return ws
    }

    @Test func aLateFileIsMissedAcrossTheClockChangeAndAHolidayExpectsNothing() throws {
        let ws = try workspace(#"{ "name": "daily pathology batch", "days": "Mon-Fri", "by": "07:00", "atLeast": 1 }"#)
        // Friday 27 March (GMT) at 06:30Z it is 06:30 in London: not due yet.
        let friday = try ws.postroom(["check", "--config", ws.config, "--at", "2026-03-27T06:30:00Z", "--json"])
        let fridayList = try #require(try json(Array(friday.stdout.utf8)).array)
        #expect(fridayList.first?["state"]?.string == "pending")
        // Monday 30 March (BST) at 06:30Z it is 07:30 in London: missed, and so is the 6-hour silence.
        let monday = try ws.postroom(["check", "--config", ws.config, "--at", "2026-03-30T06:30:00Z", "--json"])
        #expect(monday.code == 1)
        let mondayList = try #require(try json(Array(monday.stdout.utf8)).array)
        #expect(mondayList.map { $0["state"]?.string } == ["missed", "missed"])
        #expect(mondayList.first?["due"]?.string == "2026-03-30T06:00:00.000Z")
        let holiday = try workspace(#"{ "name": "daily pathology batch", "days": "Mon-Fri", "by": "07:00" }"#, holidays: #"["2026-03-30"]"#)
        let onHoliday = try holiday.postroom(["check", "--config", holiday.config, "--at", "2026-03-30T06:30:00Z", "--json"])
        #expect(try json(Array(onHoliday.stdout.utf8)).array?.first?["state"]?.string == "not-today")
    }

    @Test func aMissShowsInCheckStatusMetricsAndTheLogOnce() throws {
        // Due at local midnight every day: by now it is missed until a file comes.
        let ws = try workspace(#"{ "name": "daily batch", "days": "daily", "by": "00:00" }"#)
        let first = try ws.run()
        #expect(first.code == 0)
        #expect(first.stderr.components(separatedBy: "expected file missing").count - 1 == 2, "\(first.stderr)")
        let metrics = String(decoding: ws.read("metrics.prom"), as: UTF8.self)
        #expect(metrics.contains(#"postroom_expectation_missed{channel="results",name="daily batch"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"postroom_expectation_missed{channel="results",name="no file for 6 h"} 1"#))
        #expect(try ws.postroom(["check", "--config", ws.config]).code == 1)
        let status = try json(Array(try ws.postroom(["status", "--config", ws.config, "--json"]).stdout.utf8))
        #expect(status["expectations"]?.array?.first?["missed"] == .bool(true))
        // A second run logs no miss again.
        #expect(!(try ws.run()).stderr.contains("expected file missing"))
        // The file comes (late): no longer missed.
        try ws.drop(HL7WorkflowTests.oru("ORD7001", control: "X1", status: "F"), as: "late.hl7", channel: "results")
        _ = try ws.run()
        let after = try ws.postroom(["check", "--config", ws.config, "--json"])
        #expect(after.code == 0, "\(after.stdout)")
        #expect(try json(Array(after.stdout.utf8)).array?.map { $0["state"]?.string } == ["late", "met"])
        let updated = String(decoding: ws.read("metrics.prom"), as: UTF8.self)
        #expect(updated.contains(#"postroom_expectation_missed{channel="results",name="daily batch"} 0"#))
        #expect(updated.contains(#"postroom_channel_last_file_timestamp_seconds{channel="results"}"#))
    }

    @Test func badSchedulesAreConfigErrorsNamingTheKey() throws {
        for (expect, key) in [(#"{ "name": "x", "days": "Mo-Fr", "by": "07:00" }"#, "channels[0].expect[0].days"),
                              (#"{ "name": "x", "by": "7am" }"#, "channels[0].expect[0].by"),
                              (#"{ "name": "x", "by": "07:00", "atLeast": 0 }"#, "channels[0].expect[0].atLeast")] {
            let ws = try workspace(expect)
            let r = try ws.postroom(["check", "--config", ws.config])
            #expect(r.code == 78 && r.stderr.contains(key), "\(key): \(r.stderr)")
        }
    }
}
