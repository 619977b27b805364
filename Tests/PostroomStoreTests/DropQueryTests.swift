import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// How operators and the pipeline find drops again: by content, by filters, by time.
@Suite struct DropQueryTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    func process(_ w: StoreWriter, _ id: String, _ outcome: DropRecord.Outcome) throws {
        try w.markProcessed(dropID: id, outcome: outcome, format: "hl7v2", duplicateOf: nil, issues: [], ackName: nil, ackBytes: nil,
                            errorPath: nil)
    }

    @Test func theAppliedDropOfTheSameContentIsTheEarliestApplied() throws {
        try t.write { w in
            try w.insertDrop(sampleDrop("rejected", sha: "S", receivedAt: at(0)))
            try process(w, "rejected", .rejected)
            try w.insertDrop(sampleDrop("claimed", sha: "S", receivedAt: at(1)))
            try w.insertDrop(sampleDrop("later", sha: "S", receivedAt: at(3)))
            try process(w, "later", .partial)
            try w.insertDrop(sampleDrop("first", sha: "S", receivedAt: at(2)))
            try process(w, "first", .accepted)
        }
        #expect(try t.read { try $0.appliedDrop(sha256: "S", excluding: "new") }?.id == "first")
        #expect(try t.read { try $0.appliedDrop(sha256: "S", excluding: "first") }?.id == "later")
        #expect(try t.read { try $0.appliedDrop(sha256: "other", excluding: "new") } == nil)
    }

    /// Received at the same moment: the lower id is the earlier (as `ORDER BY received_at, id` had it).
    @Test func anAppliedDropReceivedAtTheSameMomentIsChosenByID() throws {
        try t.write { w in
            for id in ["d-b", "d-c", "d-a", "d-d"] {
                try w.insertDrop(sampleDrop(id, sha: "S", receivedAt: at(id == "d-d" ? 0 : 1)))
                try process(w, id, id == "d-d" ? .rejected : .duplicate)
            }
        }
        #expect(try t.read { try $0.appliedDrop(sha256: "S", excluding: "new") }?.id == "d-a")
        #expect(try t.read { try $0.appliedDrop(sha256: "S", excluding: "d-a") }?.id == "d-b")
        // Received earlier, with the largest id: the time comes first.
        try t.write { w in
            try w.insertDrop(sampleDrop("d-z", sha: "S", receivedAt: at(0)))
            try process(w, "d-z", .accepted)
        }
        #expect(try t.read { try $0.appliedDrop(sha256: "S", excluding: "new") }?.id == "d-z")
    }

    @Test func aRejectedOrClaimedDropIsNoOriginal() throws {
        try t.write { w in
            try w.insertDrop(sampleDrop("r", sha: "S"))
            try process(w, "r", .rejected)
            try w.insertDrop(sampleDrop("c", sha: "S"))
        }
        #expect(try t.read { try $0.appliedDrop(sha256: "S", excluding: "x") } == nil)
    }

    @Test func operatorFiltersCombineNewestFirst() throws {
        try t.write { w in
            try w.insertDrop(sampleDrop("a", run: "r1", channel: "lab", receivedAt: at(0)))
            try process(w, "a", .accepted)
            try w.insertDrop(sampleDrop("b", run: "r2", channel: "lab", receivedAt: at(5)))
            try process(w, "b", .rejected)
            try w.insertDrop(sampleDrop("c", run: "r2", channel: "rad", receivedAt: at(10)))
            try process(w, "c", .accepted)
        }
        #expect(try t.read { try $0.drops() }.map(\.id) == ["c", "b", "a"])
        #expect(try t.read { try $0.drops(outcome: "accepted") }.map(\.id) == ["c", "a"])
        #expect(try t.read { try $0.drops(channel: "lab") }.map(\.id) == ["b", "a"])
        #expect(try t.read { try $0.drops(since: at(5)) }.map(\.id) == ["c", "b"])
        #expect(try t.read { try $0.drops(run: "r2") }.map(\.id) == ["c", "b"])
        #expect(try t.read { try $0.drops(outcome: "accepted", channel: "lab") }.map(\.id) == ["a"])
        #expect(try t.read { try $0.drops(limit: 1) }.map(\.id) == ["c"])
    }

    @Test func countsByChannelAndOutcomeShowInFlightDropsByState() throws {
        try t.write { w in
            try w.insertDrop(sampleDrop("a", channel: "lab"))
            try process(w, "a", .accepted)
            try w.insertDrop(sampleDrop("b", channel: "lab"))
            try process(w, "b", .accepted)
            try w.insertDrop(sampleDrop("c", channel: "lab"))
            try w.insertDrop(sampleDrop("d", channel: "rad"))
            try process(w, "d", .duplicate)
        }
        let counts = try t.read { try $0.dropCounts() }.map { "\($0.channel)/\($0.outcome)=\($0.count)" }
        #expect(counts == ["lab/accepted=2", "lab/claimed=1", "rad/duplicate=1"])
    }

    /// Counting the rows as `dropCounts` did before v14, to compare with the tally the triggers keep.
    func counted() throws -> [String] {
        try t.read { r in
            try r.db.rows("SELECT channel, COALESCE(outcome, state), COUNT(*) FROM drop_file GROUP BY 1, 2 ORDER BY 1, 2").map { row in
                let channel: String = row[0], outcome: String = row[1], count: Int = row[2]
                return "\(channel)/\(outcome)=\(count)"
            }
        }
    }

    func tallied() throws -> [String] { try t.read { try $0.dropCounts() }.map { "\($0.channel)/\($0.outcome)=\($0.count)" } }

    /// The counts kept in `drop_tally` follow every change of a drop's row: recorded, decided, done, moved
    /// to another channel, decided again, pruned.
    @Test func theKeptCountsFollowEveryChangeOfTheDrops() throws {
        try t.write { w in for (id, ch) in [("a", "lab"), ("b", "lab"), ("c", "rad"), ("e", "rad")] { try w.insertDrop(sampleDrop(id, channel: ch)) } }
        #expect(try tallied() == ["lab/claimed=2", "rad/claimed=2"])
        try t.write { w in
            try process(w, "a", .accepted)
            try process(w, "b", .rejected)
            try w.markArchived(dropID: "a", archivePath: "/a/run.tar.gz", member: "lab/a")
            try w.markErrored(dropID: "b")
            try w.markErrored(dropID: "e")
        }
        #expect(try tallied() == ["lab/accepted=1", "lab/rejected=1", "rad/claimed=1", "rad/done=1"], "e: done without a decision")
        #expect(try tallied() == counted())
        try t.write { w in
            try w.db.execute("UPDATE drop_file SET channel = 'rad' WHERE id = 'b'", [])
            try process(w, "c", .duplicate)
            try process(w, "c", .accepted)
        }
        #expect(try tallied() == ["lab/accepted=1", "rad/accepted=1", "rad/done=1", "rad/rejected=1"])
        #expect(try tallied() == counted())
        _ = try t.write { try $0.prune(before: at(1)) }
        #expect(try tallied() == ["rad/accepted=1"], "a, b and e were done: pruned; c is processed, not done")
        #expect(try tallied() == counted())
    }

    /// A drop recorded already decided (as a group's settling records it) is counted once, by `insertDrop` (v17, no
    /// insert trigger), and not when the savepoint it was recorded in is rolled back.
    @Test func aDropRecordedDecidedIsCountedOnceAndNotWhenRolledBack() throws {
        var decided = sampleDrop("a", channel: "lab")
        decided.outcome = .accepted
        decided.state = .processed
        try t.write { w in
            try w.insertDrop(decided)
            struct Refused: Error {}
            var rejected = sampleDrop("b", channel: "lab")
            rejected.outcome = .rejected
            #expect(throws: Refused.self) {
                try w.savepoint {
                    try w.insertDrop(rejected)
                    throw Refused()
                }
            }
        }
        #expect(try tallied() == ["lab/accepted=1"])
        #expect(try tallied() == counted())
        if try t.read({ $0.db.dialect }) == .sqlite {
            let triggers = try t.read { try $0.db.rows("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name", []) }.map { $0[0] as String }
            #expect(triggers == ["drop_tally_delete", "drop_tally_update"])
        }
    }

    /// The latency histogram's drops are the most recent by id (ids begin with their time), so the query
    /// walks the primary key backwards instead of sorting the table.
    @Test func theLatenciesAreThoseOfTheMostRecentDoneDrops() throws {
        try t.write { w in
            for (i, id) in ["d1", "d2", "d3", "d4"].enumerated() {
                try w.insertDrop(sampleDrop(id, receivedAt: at(0)))
                try w.insertMessage(sampleMessage("m-\(id)", drop: id, at: at(i + 1)))
                if id != "d4" { try w.markErrored(dropID: id) }
            }
        }
        #expect(try t.read { try $0.recentDropLatencies(limit: 2) } == [180, 120], "d4 is not done; d3 and d2 are the newest done")
        #expect(try t.read { try $0.recentDropLatencies(limit: 10) } == [180, 120, 60])
    }

    @Test func expectationsCountTopLevelDropsInAHalfOpenWindow() throws {
        try t.write { w in
            try w.insertDrop(sampleDrop("a", channel: "lab", receivedAt: at(0)))
            try w.insertDrop(sampleDrop("b", channel: "lab", receivedAt: at(30)))
            try w.insertDrop(sampleDrop("member", channel: "lab", receivedAt: at(40), parentDrop: "b"))
            try w.insertDrop(sampleDrop("c", channel: "lab", receivedAt: at(60)))
            try w.insertDrop(sampleDrop("x", channel: "rad", receivedAt: at(90)))
        }
        #expect(try t.read { try $0.dropCount(channel: "lab", from: at(0), to: at(60)) } == 2)
        #expect(try t.read { try $0.dropCount(channel: "lab", from: at(1), to: at(61)) } == 2)
        #expect(try t.read { try $0.lastDrop(channel: "lab") } == at(60))
        #expect(try t.read { try $0.lastDrop(channel: "none") } == nil)
    }

    @Test func dropsPerHourByOutcomeWithInFlightApart() throws {
        try t.write { w in
            try w.insertDrop(sampleDrop("a", receivedAt: at(0)))
            try process(w, "a", .accepted)
            try w.insertDrop(sampleDrop("b", receivedAt: at(10)))
            try process(w, "b", .accepted)
            try w.insertDrop(sampleDrop("c", receivedAt: at(70)))
            try process(w, "c", .rejected)
            try w.insertDrop(sampleDrop("d", receivedAt: at(75)))
        }
        let rows = try t.read { try $0.dropsPerHour(since: at(0)) }.map { "\($0.hour) \($0.outcome) \($0.count)" }
        #expect(rows == ["2026-03-01T10 accepted 2", "2026-03-01T11 rejected 1", "2026-03-01T11 in-flight 1"])
    }

    @Test func errorPathsSplitByWhenTheDropWasReceived() throws {
        try t.write { w in
            try w.insertDrop(sampleDrop("old", receivedAt: at(0)))
            try w.setErrorPath(dropID: "old", path: "/e/old")
            try w.insertDrop(sampleDrop("new", receivedAt: at(10)))
            try w.setErrorPath(dropID: "new", path: "/e/new")
            try w.insertDrop(sampleDrop("fine", receivedAt: at(0)))
        }
        #expect(try t.read { try $0.errorPaths(receivedBefore: true, cutoff: at(10)) } == ["/e/old"])
        #expect(try t.read { try $0.errorPaths(receivedBefore: false, cutoff: at(10)) } == ["/e/new"])
    }
}
