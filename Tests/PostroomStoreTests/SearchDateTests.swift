import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Dates are periods `[lo, hi)`: a day, a month or a second compare against the searched period.
@Suite struct SearchDateTests {
    typealias F = SearchFixture
    let t: TempStore
    init() throws {
        t = try TempStore()
        try F.load(t)
    }

    /// `authored` with one prefix against the period of `date` (a FHIR date such as `2026-03-01`).
    func authored(_ prefix: SearchCriterion.DateBound.Prefix, _ date: String) throws -> [String] {
        let p = try #require(SearchIndexer.period(date))
        return try t.ids("ServiceRequest", SearchCriterion(name: "authored", match: .date([.init(prefix: prefix, lo: p.lo, hi: p.hi)])))
    }

    @Test func periodsOfPartialDatesAndOffsets() throws {
        #expect(SearchIndexer.period("2026-02").map { "\($0.lo) \($0.hi)" } == "2026-02-01T00:00:00.000Z 2026-03-01T00:00:00.000Z")
        #expect(SearchIndexer.period("2026-03-02T09:00:00+01:00").map { "\($0.lo) \($0.hi)" }
                == "2026-03-02T08:00:00.000Z 2026-03-02T08:00:01.000Z")
        #expect(SearchIndexer.period("2026-13") == nil)
    }

    @Test func equalMeansInsideThePeriod() throws {
        #expect(try authored(.eq, "2026-03-01") == ["sr01", "sr02"])
        #expect(try authored(.eq, "2026-03") == ["sr01", "sr02", "sr04"])
        #expect(try authored(.eq, "2026-02-15") == [], "a month is not inside a day")
        #expect(try authored(.ne, "2026-03-01") == ["sr03", "sr04"], "a resource without the date is not matched")
    }

    @Test func comparisonsAgainstThePeriodsBounds() throws {
        #expect(try authored(.gt, "2026-03-01") == ["sr04"])
        #expect(try authored(.ge, "2026-03-01") == ["sr01", "sr02", "sr04"])
        #expect(try authored(.lt, "2026-03-01") == ["sr03"])
        #expect(try authored(.le, "2026-03-01") == ["sr01", "sr02", "sr03"])
        #expect(try authored(.lt, "2026") == [])
        #expect(try authored(.ge, "2027") == [])
    }

    @Test func boundsInOneCriterionAreAlternatives() throws {
        let feb = try #require(SearchIndexer.period("2026-02"))
        let second = try #require(SearchIndexer.period("2026-03-02"))
        let c = SearchCriterion(name: "authored", match: .date([.init(prefix: .eq, lo: feb.lo, hi: feb.hi),
                                                                .init(prefix: .eq, lo: second.lo, hi: second.hi)]))
        #expect(try t.ids("ServiceRequest", c) == ["sr03", "sr04"])
    }
}
