import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// `_total` modes, keyset paging by cursor and `_offset`, on the one-value path (read straight
/// from the index) and on the general path (several criteria) alike.
@Suite struct SearchPagingTests {
    typealias F = SearchFixture
    let t: TempStore
    init() throws {
        t = try TempStore()
        try F.load(t)
    }

    /// One criterion (the index-driven path) and the same matches through two criteria (the general path).
    var oneValue: [SearchCriterion] { [F.status("active")] }
    var general: [SearchCriterion] { [F.status("active", "draft"), F.token("identifier", .exact("urn:lab"), nil)] }

    @Test(arguments: [true, false]) func totalsCountAsAsked(driven: Bool) throws {
        let c = driven ? oneValue : general
        #expect(try t.search("ServiceRequest", c, total: .accurate).total == 4)
        #expect(try t.search("ServiceRequest", c, total: .none).total == nil)
        #expect(try t.search("ServiceRequest", c, total: .bounded(4)).total == 4)
        #expect(try t.search("ServiceRequest", c, total: .bounded(3)).total == nil, "above the bound: not counted")
        let countOnly = try t.search("ServiceRequest", c, limit: 0)
        #expect(countOnly.total == 4)
        #expect(countOnly.resources.isEmpty)
    }

    @Test(arguments: [true, false]) func aCursorPagesThroughEveryMatchOnce(driven: Bool) throws {
        let c = driven ? oneValue : general
        let first = try t.search("ServiceRequest", c, limit: 2, total: .none)
        #expect(F.ids(first) == ["sr01", "sr02"])
        #expect(first.nextAfter == "sr02")
        let second = try t.search("ServiceRequest", c, start: .after("sr02"), limit: 2, total: .none)
        #expect(F.ids(second) == ["sr04", "sr05"])
        #expect(second.nextAfter == nil, "the last page")
        #expect(F.ids(try t.search("ServiceRequest", c, start: .after("sr05"), limit: 2)) == [])
        #expect(try t.search("ServiceRequest", c, start: .after("sr02"), limit: 2).total == 4, "the total counts every match")
    }

    @Test(arguments: [true, false]) func anOffsetSkipsMatches(driven: Bool) throws {
        let c = driven ? oneValue : general
        let page = try t.search("ServiceRequest", c, start: .offset(1), limit: 2)
        #expect(F.ids(page) == ["sr02", "sr04"])
        #expect(page.nextAfter == "sr04")
        #expect(F.ids(try t.search("ServiceRequest", c, start: .offset(3), limit: 2)) == ["sr05"])
        #expect(F.ids(try t.search("ServiceRequest", c, start: .offset(9), limit: 2)) == [])
    }

    @Test func theOffsetOnlyEntryPointCountsAccurately() throws {
        let page = try t.read { try $0.search(type: "ServiceRequest", criteria: [F.status("active")], offset: 3, limit: 10) }
        #expect(page.total == 4)
        #expect(F.ids(page) == ["sr05"])
    }
}
