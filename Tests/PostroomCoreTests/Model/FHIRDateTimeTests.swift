import Foundation
import Testing
@testable import PostroomCore

/// One reader of FHIR dates for the validator, the search index and the search `date` parameter.
@Suite struct FHIRDateTimeTests {
    func period(_ text: String, _ grammar: FHIRDateTime.Grammar = .stored) -> String? {
        guard case .success(let v) = FHIRDateTime.parse(text, grammar: grammar) else { return nil }
        return CivilDate.utcText(milliseconds: v.period.lo) + " " + CivilDate.utcText(milliseconds: v.period.hi)
    }

    @Test func eachPrecisionCoversItsPeriod() {
        #expect(period("2024") == "2024-01-01T00:00:00.000Z 2025-01-01T00:00:00.000Z")
        #expect(period("2024-12") == "2024-12-01T00:00:00.000Z 2025-01-01T00:00:00.000Z")
        #expect(period("2024-02-29") == "2024-02-29T00:00:00.000Z 2024-03-01T00:00:00.000Z")
        #expect(period("2024-03-02T09:15+01:00") == "2024-03-02T08:15:00.000Z 2024-03-02T08:16:00.000Z")
        #expect(period("2024-03-02T09:15:30Z") == "2024-03-02T09:15:30.000Z 2024-03-02T09:15:31.000Z")
        #expect(period("2024-03-02T09:15:30.1234-05:30") == "2024-03-02T14:45:30.123Z 2024-03-02T14:45:30.124Z")
        #expect(period("1969-12-31T23:59:59.5Z") == "1969-12-31T23:59:59.500Z 1969-12-31T23:59:59.501Z")
    }

    @Test func theGrammarsDifferOnlyWhereTheirReadersDo() {
        #expect(period("2024-03-02 09:15:30Z") != nil)
        #expect(period("2024-03-02 09:15:30Z", .search) == nil)
        #expect(period("2016-12-31T23:59:60Z") != nil)
        #expect(period("2016-12-31T23:59:60Z", .search) == nil)
        #expect(period("2016-12-31T23:59:60Z", .fhir) != nil)
    }

    @Test func aDayThatDoesNotExistIsToldApartFromAMalformedValue() {
        #expect(FHIRDateTime.parse("2026-02-30", grammar: .fhir) == .failure(.notACalendarDay))
        #expect(FHIRDateTime.parse("2026-02-30T25:00", grammar: .fhir) == .failure(.notACalendarDay))
        for bad in ["0000", "2026-13", "2026-1", "2026-01-01T", "2026-01-01T10", "2026-01-01T10:00:00.", "2026-01-01T10:00:00+15:00",
                    "2026-01-01T10:00:00Zx", "2026-01-01Z"] {
            #expect(FHIRDateTime.parse(bad, grammar: .stored) == .failure(.syntax), "\(bad)")
        }
    }

    @Test func theValidatorKeepsItsOwnRulesOnTop() {
        func check(_ s: String, _ primitive: String) -> String? {
            var t = s
            return t.withUTF8 { FHIRPrimitiveMatcher(bytes: $0).dateTime(allowTime: primitive != "date", requireTime: primitive == "instant") }
        }
        #expect(check("2026-02-30", "dateTime") == "is not a calendar date")
        #expect(check("2026-01-01T10:00Z", "dateTime") != nil)
        #expect(check("2026-01-01T10:00:00", "dateTime") != nil)
        #expect(check("2026-01-01T10:00:00+14:00", "instant") == nil)
        #expect(check("2026-01-01T10:00:00+14:30", "instant") != nil)
        #expect(check("2026-01-01T10:00:00-13:45", "instant") == nil)
        #expect(check("2026-01-01", "instant") != nil)
        #expect(check("2026-01-01T10:00:00Z", "date") != nil)
        #expect(check("2026", "date") == nil)
    }
}

/// `utcText` is written by hand (no `String(format:)` on the hot path): it must give what `%04d…` gives.
@Suite struct CivilDateUTCTextTests {
    @Test func itMatchesThePrintfFormOverAWideRange() {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        var samples: [Int] = [0, -1, 1, 86_399_999, -86_400_000, 253_402_300_799_999, -62_135_596_800_000, 1_733_300_000_123]
        for _ in 0..<2_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            samples.append(Int(Int64(bitPattern: x >> 1) % 300_000_000_000_000) - 150_000_000_000_000)
        }
        for ms in samples {
            let day = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
            let rest = ms - day * 86_400_000
            let (y, m, d) = CivilDate.date(days: day)
            let s = rest / 1000
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d, s / 3600, (s / 60) % 60, s % 60, rest % 1000)
            #expect(CivilDate.utcText(milliseconds: ms) == expected, "\(ms)")
        }
    }
}
