import Testing
@testable import PostroomCore

/// One timestamp type reads v2 DTM/TS and v3 TS; the two readings differ only where the standards do.
@Suite struct HL7TimestampSyntaxTests {
    @Test func v2StopsAtTheComponentSeparatorAndV3DoesNot() {
        #expect(HL7Timestamp("20240115103000^S")?.minute == 30)
        #expect(HL7Timestamp("20240115103000^S", syntax: .v3) == nil)
    }

    @Test func onlyV3TakesALeapSecondOrAnOffsetOfHoursOnly() {
        #expect(HL7Timestamp("20161231235960", syntax: .v3)?.second == 60)
        #expect(HL7Timestamp("20161231235960") == nil)
        let hours = HL7Timestamp("201701012000+01", syntax: .v3)
        #expect(hours?.hourOnlyOffset == true)
        #expect(hours?.offsetMinutes == 60)
        #expect(HL7Timestamp("201701012000+01") == nil)
    }

    @Test func bothWriteTheSameFieldsTheSameWayButForHowUTCIsNamed() throws {
        let t = try #require(HL7Timestamp("20240115103000.1234"))
        let u = try #require(HL7Timestamp("20240115103000.1234", syntax: .v3))
        #expect(t == u)
        #expect(t.fhirDateTime(zone: HL7TimeZone(identifier: "Europe/London")) == "2024-01-15T10:30:00.1234Z")
        #expect(u.fhirDateTime(defaultZone: "Europe/London") == "2024-01-15T10:30:00.1234+00:00")
        #expect(t.fhirDate == "2024-01-15")
        #expect(HL7Timestamp("2024")?.fhirDateTime(zone: HL7TimeZone(identifier: "UTC")) == "2024")
    }

    /// A local time without an offset means the same instant in a v2 message and a CDA document,
    /// in the hour the clocks go forward (a time that does not exist) and back (one that exists twice).
    @Test(arguments: ["20260329013000", "20261025013000", "20260329023000", "20261025003000", "20260715120000"])
    func v2AndCDAResolveALocalTimeToTheSameInstant(_ value: String) throws {
        let v2 = try #require(HL7Timestamp(value)).fhirDateTime(zone: HL7TimeZone(identifier: "Europe/London"))
        let v3 = try #require(HL7Timestamp(value, syntax: .v3)).fhirDateTime(defaultZone: "Europe/London")
        // The two spell UTC differently (`Z`, `+00:00`); the offsets agree.
        #expect(v2.replacingOccurrences(of: "Z", with: "+00:00") == v3, "\(v2) vs \(v3)")
    }

    @Test func daysInAMonthFollowTheGregorianLeapYears() {
        #expect(CivilDate.daysIn(month: 2, year: 2024) == 29)
        #expect(CivilDate.daysIn(month: 2, year: 1900) == 28)
        #expect(CivilDate.daysIn(month: 2, year: 2000) == 29)
        #expect(CivilDate.daysIn(month: 4, year: 2025) == 30)
        #expect(HL7Timestamp("20240229") != nil)
        #expect(HL7Timestamp("20230229") == nil)
    }
}
