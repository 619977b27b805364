import Foundation
import PostgresNIO
import PostroomPostgres
import PostroomPostgresTestSupport
import Testing

@Suite(.enabled(if: ThrowawayPostgres.isAvailable, postgresSkipReason))
struct DropClaimTests {
    func claim(_ node: PostgresNode, _ s: PostgresSession, _ drop: String, lease: Double = 30) throws -> DropClaim {
        try node.claim(s, dropID: drop, channel: "lab", name: drop + ".hl7", workPath: "/work/lab/" + drop, lease: lease)
    }

    /// What a drop's commit writes, fenced: the guard first (it locks the claim until the commit), the
    /// writes, then the claim finished, all in one transaction.
    func commit(_ node: PostgresNode, _ s: PostgresSession, _ c: DropClaim) throws {
        try s.transaction { s in
            try node.guardCommit(s, c)
            try s.query("""
                INSERT INTO drop_file (id, run_id, channel, name, size, sha256, received_at, work_path, state)
                VALUES (\(c.dropID), \(node.name), \(c.channel), \(c.name), 1, 'x', '2026-01-01', \(c.workPath), 'done')
                """)
            try node.finish(s, c)
        }
    }

    func committed(_ s: PostgresSession) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try s.execute("SELECT id, run_id FROM drop_file").map { try $0.decode((String, String).self) })
    }

    @Test func aClaimHasALeaseAndAFreshTokenIsRenewedAndFinishedOnce() throws {
        let (_, s) = try migratedDatabase("claims")
        let a = try PostgresNode.register(s, name: "a", staleAfter: 30)
        let b = try PostgresNode.register(s, name: "b", staleAfter: 30)
        let one = try claim(a, s, "d1")
        let two = try claim(a, s, "d2")
        #expect(two.token > one.token && one.node == "a" && one.leaseUntil > one.claimedAt)
        #expect(throws: NodeFailure.alreadyClaimed(dropID: "d1", node: "a")) { try claim(b, s, "d1") }
        let listed = try PostgresNode.claims(s)
        #expect(listed.map(\.claim) == [one, two] && listed.allSatisfy { !$0.expired && $0.takeovers == 0 })
        #expect(try PostgresNode.list(s, staleAfter: 30).map(\.claims) == [2, 0])

        let (renewed, lost) = try a.renew(s, [one, two], lease: 60)
        #expect(lost.isEmpty && renewed.map(\.token) == [one.token, two.token])
        #expect(renewed[0].leaseUntil > one.leaseUntil)
        // b cannot renew or finish a's claims, even knowing the token.
        #expect(try b.renew(s, [one], lease: 60).lost == [one])
        #expect(throws: NodeFailure.claimLost(dropID: "d1", token: one.token, holder: "a")) { try commit(b, s, one) }

        try commit(a, s, one)
        #expect(try committed(s) == ["d1": "a"])
        #expect(try PostgresNode.claims(s).map(\.claim.dropID) == ["d2"])
        #expect(throws: NodeFailure.claimLost(dropID: "d1", token: one.token, holder: nil)) { try commit(a, s, one) }
        #expect(try committed(s) == ["d1": "a"], "the refused second commit left nothing behind")
    }

    /// Node "p" claims drops and pauses past its lease (a long GC, a stopped VM, a partition); node "q"
    /// takes them over with new tokens and commits them. When "p" wakes, its renewals report the drops
    /// lost and its commits are refused inside their transactions: nothing of "p"'s is committed.
    @Test func aPausedNodesCommitAfterTakeoverIsRefused() throws {
        let (loc, setup) = try migratedDatabase("fencing")
        let p = try PostgresNode.register(setup, name: "p", staleAfter: 30)
        let q = try PostgresNode.register(setup, name: "q", staleAfter: 30)
        let ps = try PostgresSession(loc)
        let qs = try PostgresSession(loc)
        let held = try (1...3).map { try claim(p, ps, "drop-\($0)", lease: 0.3) }
        #expect(try q.takeOverExpired(qs, limit: 10, lease: 30).isEmpty, "leases still running: nothing to take")
        Thread.sleep(forTimeInterval: 0.5)  // p is paused past its lease
        let taken = try q.takeOverExpired(qs, limit: 10, lease: 30)
        #expect(taken.map(\.dropID) == ["drop-1", "drop-2", "drop-3"])
        #expect(taken.allSatisfy { $0.node == "q" && $0.takenOverFrom == "p" })
        #expect(Set(taken.map(\.token)).isDisjoint(with: held.map(\.token)) && taken.map(\.token).min()! > held.map(\.token).max()!)
        try commit(q, qs, taken[0])

        // p wakes up.
        #expect(try p.renew(ps, held, lease: 30).lost == held)
        for c in held {
            #expect(throws: NodeFailure.claimLost(dropID: c.dropID, token: c.token, holder: c.dropID == "drop-1" ? nil : "q")) {
                try commit(p, ps, c)
            }
        }
        try commit(q, qs, taken[1])
        try commit(q, qs, taken[2])
        #expect(try committed(setup) == ["drop-1": "q", "drop-2": "q", "drop-3": "q"])
        #expect(try PostgresNode.claims(setup).isEmpty)
    }

    /// The token, not the node's name, fences: a process that hung is replaced by a new process under the
    /// same `--node` name, which takes the old claims over; the old process wakes with the right name but
    /// old tokens, and its commits are refused.
    @Test func aReplacedProcessUnderTheSameNameIsFencedByItsToken() throws {
        let (loc, setup) = try migratedDatabase("samename")
        let old = try PostgresNode.register(setup, name: "hub", staleAfter: 0.2)
        let oldSession = try PostgresSession(loc)
        let held = try claim(old, oldSession, "d", lease: 0.2)
        Thread.sleep(forTimeInterval: 0.4)  // the old process hangs: no heartbeat, the lease runs out
        let new = try PostgresNode.register(setup, name: "hub", staleAfter: 0.2)
        #expect(new.incarnation == old.incarnation + 1)
        let taken = try #require(try new.takeOverExpired(setup, limit: 5, lease: 30).first)
        #expect(taken.node == "hub" && taken.takenOverFrom == "hub" && taken.token != held.token)
        #expect(throws: NodeFailure.claimLost(dropID: "d", token: held.token, holder: "hub")) { try commit(old, oldSession, held) }
        #expect(try old.renew(oldSession, [held], lease: 30).lost == [held])
        try commit(new, setup, taken)
        #expect(try committed(setup) == ["d": "hub"])
    }

    /// The commit guard locks the claim's row until the commit: a takeover running meanwhile skips it
    /// (SKIP LOCKED) instead of taking a drop whose commit is under way, and takes it only if the commit
    /// then fails.
    @Test func aTakeoverLeavesADropWhoseCommitIsUnderWay() throws {
        let (loc, setup) = try migratedDatabase("underway")
        let p = try PostgresNode.register(setup, name: "p", staleAfter: 30)
        let q = try PostgresNode.register(setup, name: "q", staleAfter: 30)
        let ps = try PostgresSession(loc)
        let qs = try PostgresSession(loc)
        let c = try claim(p, ps, "slow", lease: 0.4)
        try ps.execute("BEGIN")
        try p.guardCommit(ps, c)  // the lease still runs: the row is now locked by p's transaction
        Thread.sleep(forTimeInterval: 0.6)  // the lease runs out while p commits
        #expect(try q.takeOverExpired(qs, limit: 10, lease: 30).isEmpty)
        try ps.execute("ROLLBACK")  // p's commit failed after all
        #expect(try q.takeOverExpired(qs, limit: 10, lease: 30).map(\.dropID) == ["slow"])
    }

    /// Two nodes taking over the expired claims of a dead node at the same moment, in small batches, each
    /// on its own connection and thread: every claim is taken exactly once, the two sets are disjoint,
    /// and no token is given twice.
    @Test func twoNodesRacingForExpiredClaimsGetDisjointSets() throws {
        let (loc, setup) = try migratedDatabase("race")
        let dead = try PostgresNode.register(setup, name: "dead", staleAfter: 30)
        let drops = (1...200).map { String(format: "drop-%03d", $0) }
        try setup.transaction { s in
            for d in drops { _ = try claim(dead, s, d, lease: 0.2) }
        }
        Thread.sleep(forTimeInterval: 0.4)
        let names = ["n1", "n2"]
        let nodes = try names.map { try PostgresNode.register(setup, name: $0, staleAfter: 30) }
        let taken = try onThreads(2) { i in
            let s = try PostgresSession(loc)
            defer { s.close() }
            var mine: [DropClaim] = []
            while true {
                let batch = try nodes[i].takeOverExpired(s, limit: 7, lease: 30)
                if batch.isEmpty { return mine }
                mine += batch
            }
        }
        let first = Set(taken[0].map(\.dropID)), second = Set(taken[1].map(\.dropID))
        #expect(first.isDisjoint(with: second))
        #expect(first.union(second) == Set(drops) && taken[0].count + taken[1].count == drops.count)
        #expect(Set((taken[0] + taken[1]).map(\.token)).count == drops.count)
        #expect(taken[0].allSatisfy { $0.node == "n1" } && taken[1].allSatisfy { $0.node == "n2" })
        let listed = try PostgresNode.claims(setup)
        #expect(listed.count == drops.count && listed.allSatisfy { $0.takeovers == 1 && !$0.expired && $0.claim.takenOverFrom == "dead" })
        #expect(Dictionary(grouping: listed, by: \.claim.node).mapValues(\.count) == ["n1": first.count, "n2": second.count])
    }

    /// A clean stop gives the node's unfinished drops back at once, and a replaced node can claim nothing.
    @Test func aStoppedNodesClaimsAreFreeAtOnce() throws {
        let (_, s) = try migratedDatabase("stop")
        let a = try PostgresNode.register(s, name: "a", staleAfter: 30)
        let b = try PostgresNode.register(s, name: "b", staleAfter: 30)
        _ = try claim(a, s, "left-over", lease: 3600)
        try a.stop(s)
        Thread.sleep(forTimeInterval: 0.01)
        #expect(try b.takeOverExpired(s, limit: 5, lease: 30).map(\.dropID) == ["left-over"])
        #expect(throws: NodeFailure.replaced(name: "a", incarnation: 1)) { try claim(a, s, "another") }
    }
}
