import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// A DiagnosticReport indexes `based-on` rows for every Observation it lists, stored or not. A search
/// shows stored resources only, so its count and its pages must agree on that, on either path.
@Suite struct SearchUnstoredTargetTests {
    let t: TempStore
    let basedOn = SearchCriterion(name: "based-on", match: .reference(["ServiceRequest/sr1"]))

    init() throws {
        t = try TempStore()
        try t.write { w in
            // o1 and o3 are stored; o2 is only named by the report.
            try w.putResource(type: "DiagnosticReport", id: "dr1", resource: json(#"""
                {"status":"final","basedOn":[{"reference":"ServiceRequest/sr1"}],
                 "result":[{"reference":"Observation/o1"},{"reference":"Observation/o2"},{"reference":"Observation/o3"}]}
                """#), messageID: nil, at: at(0))
            for id in ["o1", "o3"] {
                try w.putResource(type: "Observation", id: id, resource: json(#"{"status":"final"}"#), messageID: nil, at: at(0))
            }
        }
    }

    @Test func theTotalCountsStoredResourcesOnly() throws {
        #expect(try t.search("Observation", [basedOn], total: .accurate).total == 2)
        #expect(try t.search("Observation", [basedOn], total: .bounded(10)).total == 2)
        #expect(try t.search("Observation", [basedOn], total: .bounded(1)).total == nil)
    }

    @Test func theGeneralPathAgrees() throws {
        let either = SearchCriterion(name: "based-on", match: .reference(["ServiceRequest/sr1", "ServiceRequest/none"]))
        let page = try t.search("Observation", [either], limit: 1)
        #expect(page.total == 2)
        #expect(SearchFixture.ids(page) == ["o1"])
        #expect(page.nextAfter == "o1")
    }

    @Test func aCursorDoesNotStopAtAnUnstoredTarget() throws {
        let first = try t.search("Observation", [basedOn], limit: 1, total: .none)
        #expect(SearchFixture.ids(first) == ["o1"])
        #expect(first.nextAfter == "o1")
        let second = try t.search("Observation", [basedOn], start: .after("o1"), limit: 1, total: .none)
        #expect(SearchFixture.ids(second) == ["o3"], "o2 is not stored; the page holds the next stored match")
        #expect(second.nextAfter == nil)
    }
}
