import Foundation
@testable import PostroomPipeline
@testable import PostroomStore
import Testing

/// A group's drops are recorded where the group is settled: when that transaction fails (an error, not a kill),
/// they are recorded as claimed instead, so that operators see them, and the next run finishes them.
@Suite struct GroupFailureTests {
    @Test func aGroupWhoseTransactionFailsIsListedAsClaimedAndTheNextRunFinishesIt() throws {
        let h = try PipelineHarness()
        for n in 0..<3 { try h.drop("order-\(n).hl7", OneInputTests.orm(n)) }
        // A real failure inside the group's transaction: the store refuses every message row.
        try h.pipeline.store.write {
            try $0.db.execute("CREATE TRIGGER refuse_messages BEFORE INSERT ON message BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
        }
        #expect(throws: (any Error).self) { try h.pipeline.runOnce() }
        let claimed = try h.drops()
        #expect(claimed.count == 3 && claimed.allSatisfy { $0.state == .claimed && $0.outcome == nil }, "\(claimed.map(\.state))")
        #expect(Set(claimed.map(\.name)) == ["order-0.hl7", "order-1.hl7", "order-2.hl7"])
        #expect(h.inboxNames().isEmpty)
        try h.pipeline.store.write { try $0.db.execute("DROP TRIGGER refuse_messages") }
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 3, "\(s.channels)")
        let done = try h.drops()
        #expect(done.count == 3 && done.allSatisfy { $0.state == .done && $0.outcome == .accepted })
        #expect(Set(done.map(\.id)) == Set(claimed.map(\.id)), "the same drops, not new ones")
    }
}
