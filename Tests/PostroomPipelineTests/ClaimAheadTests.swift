import Foundation
@testable import PostroomPipeline
@testable import PostroomStore
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A group is claimed (renamed, read, decoded) on another thread while the writer settles the group
/// before it: every claim is made once, the outcomes keep the group's order, and a group claimed
/// ahead of one whose settling fails is recorded as claimed and finished by the next run.
@Suite struct ClaimAheadTests {
    @Test func everyClaimIsMadeOnceInOrderWhoeverMakesIt() throws {
        let h = try PipelineHarness()
        let channel = h.config.channels[0]
        let threads = Mutex<Set<UInt>>([])
        for _ in 0..<10 {
            let made = Mutex<[String: Int]>([:])
            let pending = (0..<100).map { i in
                let record = DropRecord(id: "d\(i)", runID: "r", channel: channel.name, name: "f\(i)", size: 0, sha256: "",
                                        receivedAt: "", workPath: "")
                return PendingClaim(intake: .recovered(channel, record), id: record.id, work: "")
            }
            let ahead = ClaimAhead(pending) { p in
                made.withLock { $0[p.id, default: 0] += 1 }
                threads.withLock { _ = $0.insert(UInt(pthread_self())) }
                usleep(50)
                guard case .recovered(let ch, let record) = p.intake else { return .loaded(InFlight(channel: channel, record: Self.record0(), stage: .read([]))) }
                return .loaded(InFlight(channel: ch, record: record, stage: .read([])))
            }
            let outcomes = ahead.take()
            let ids = outcomes.map { o -> String in if case .loaded(let f) = o { return f.record.id }; return "?" }
            #expect(ids == pending.map(\.id))
            #expect(made.withLock { $0 }.values.allSatisfy { $0 == 1 } && made.withLock { $0.count } == 100)
            // The outcomes are handed over once; taking again claims nothing again.
            #expect(ahead.take().isEmpty && made.withLock { $0.values.reduce(0, +) } == 100)
        }
        // The caller and the helper both made claims (the caller takes what the helper has not reached).
        #expect(threads.withLock { $0.count } >= 2)
    }

    static func record0() -> DropRecord {
        DropRecord(id: "?", runID: "", channel: "", name: "", size: 0, sha256: "", receivedAt: "", workPath: "")
    }

    @Test func aGroupClaimedAheadOfAFailingGroupIsRecordedAsClaimedAndFinishedNextRun() throws {
        // groupSize 4: three groups; the second is claimed while the first is settled, and that fails.
        let h = try PipelineHarness()
        for n in 0..<10 {
            try h.drop(String(format: "order-%02d.hl7", n), OneInputTests.orm(n))
            InboxScannerOrderTests.touch(h.inbox + "/" + String(format: "order-%02d.hl7", n), 1_700_000_000 + n)
        }
        try h.pipeline.store.write {
            try $0.db.execute("CREATE TRIGGER refuse_messages BEFORE INSERT ON message BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
        }
        #expect(throws: (any Error).self) { try h.pipeline.runOnce() }
        let claimed = try h.drops()
        #expect(claimed.count == 8 && claimed.allSatisfy { $0.state == .claimed && $0.outcome == nil }, "\(claimed.map(\.state))")
        #expect(Set(claimed.map(\.runID)).count == 1 && claimed.allSatisfy { !$0.runID.isEmpty }, "one run: \(claimed.map(\.runID))")
        #expect(Set(claimed.map(\.name)) == Set((0..<8).map { String(format: "order-%02d.hl7", $0) }))
        #expect(h.inboxNames() == ["order-08.hl7", "order-09.hl7"])
        try h.pipeline.store.write { try $0.db.execute("DROP TRIGGER refuse_messages") }
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 10, "\(s.channels)")
        let done = try h.drops()
        #expect(done.count == 10 && done.allSatisfy { $0.state == .done && $0.outcome == .accepted })
        #expect(Set(claimed.map(\.id)).isSubset(of: Set(done.map(\.id))), "the same drops, not new ones")
        #expect(h.inboxNames().isEmpty)
    }

    @Test func groupsAreSettledInTheOrderTheyAreClaimed() throws {
        let h = try PipelineHarness()
        for n in 0..<13 {
            let name = String(format: "order-%02d.hl7", n)
            try h.drop(name, OneInputTests.orm(n))
            InboxScannerOrderTests.touch(h.inbox + "/" + name, 1_700_000_000 + n)
        }
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 13)
        // Drop ids are given in claim order; the messages' rows were written in settling order.
        let order: [String] = try h.pipeline.store.read { r in
            try r.db.rows("SELECT d.name FROM message m JOIN drop_file d ON d.id = m.drop_id ORDER BY m.rowid").map { $0[0] }
        }
        #expect(order == (0..<13).map { String(format: "order-%02d.hl7", $0) })
        #expect(try h.drops().sorted { $0.id < $1.id }.map(\.name) == order)
    }
}
