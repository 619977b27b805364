import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Operators ask for a drop to be reprocessed; the pipeline takes the request and says how it went.
@Suite struct ReprocessQueueTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    @Test func aRequestIsQueuedAuditedAndTakenInOrder() throws {
        let (s1, s2) = try t.write { w in
            (try w.requestReprocess(dropID: "d1", actor: "alice", at: at(1)), try w.requestReprocess(dropID: "d2", actor: "bob", at: at(2)))
        }
        #expect(s2 == s1 + 1)
        let pending = try t.read { try $0.pendingReprocessRequests() }
        #expect(pending == [ReprocessRequest(seq: s1, dropID: "d1", requestedAt: at(1), actor: "alice", state: "pending", result: nil),
                            ReprocessRequest(seq: s2, dropID: "d2", requestedAt: at(2), actor: "bob", state: "pending", result: nil)])
        let audit = try t.read { try $0.auditTrail() }.map { "\($0.actor) \($0.action) \($0.target) \($0.detail ?? "-")" }
        #expect(audit == ["bob reprocess-requested d2 request \(s2)", "alice reprocess-requested d1 request \(s1)"])
        #expect(try t.read { try $0.auditTrail(limit: 1) }.count == 1)
        try t.write { try $0.finishReprocessRequest(seq: s1, state: "refused", result: "not in error/") }
        #expect(try t.read { try $0.pendingReprocessRequests() }.map(\.dropID) == ["d2"])
    }

    @Test func theStateOfAReprocessIsTheNewestRequestAndTheDropThatReRanIt() throws {
        try t.write { w in
            try w.insertDrop(sampleDrop("d1", receivedAt: at(0)))
            let first = try w.requestReprocess(dropID: "d1", actor: "alice", at: at(1))
            try w.finishReprocessRequest(seq: first, state: "done", result: "d1-again")
            try w.insertDrop(sampleDrop("d1-again", receivedAt: at(2), reprocessOf: "d1"))
            try w.requestReprocess(dropID: "d1", actor: "alice", at: at(3))
            try w.insertDrop(sampleDrop("d2", receivedAt: at(0)))
        }
        let states = try t.read { try $0.reprocessStates(dropIDs: ["d1", "d2"]) }
        #expect(states == ["d1": ReprocessState(requestState: "pending", requestedAt: at(3), reprocessedAs: "d1-again")])
        #expect(try t.read { try $0.reprocessesOf("d1") }.map(\.id) == ["d1-again"])
    }

    @Test func aReprocessedRejectionIsNoLongerFailed() throws {
        try t.write { w in
            for id in ["d1", "d2"] {
                try w.insertDrop(sampleDrop(id, run: "r1"))
                try w.markProcessed(dropID: id, outcome: .rejected, format: nil, duplicateOf: nil, issues: [], ackName: nil, ackBytes: nil,
                                    errorPath: "/e/\(id)")
                try w.markErrored(dropID: id)
            }
            try w.markReprocessed(dropID: "d1")
            try w.insertDrop(sampleDrop("d1-again", run: "r2", reprocessOf: "d1"))
        }
        #expect(try t.read { try $0.failedDrops() }.map(\.id) == ["d2"])
        #expect(try t.read { try $0.failedDrops(run: "r2") }.isEmpty)
        #expect(try t.read { try $0.drop(id: "d1") }?.outcome == .rejected, "the original keeps its outcome")
    }
}
