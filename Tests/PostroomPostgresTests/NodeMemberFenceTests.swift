import Foundation
import PostroomPostgres
import PostroomPostgresTestSupport
import Testing

/// The fence a node's write transactions begin with (`NodeMember.begin`), when a claim's lease
/// lapsed because the node's heartbeat fell behind (a long commit, a busy machine).
@Suite(.enabled(if: ThrowawayPostgres.isAvailable, postgresSkipReason))
struct NodeMemberFenceTests {
    /// Moves a claim's lease into the past, as a heartbeat that fell behind leaves it.
    func lapse(_ s: PostgresSession, _ drop: String) throws {
        try s.query("UPDATE drop_claim SET lease_until = clock_timestamp() - interval '1 second' WHERE drop_id = \(drop)")
    }

    func leaseLeft(_ s: PostgresSession, _ drop: String) throws -> Double {
        let rows = try s.query("SELECT extract(epoch FROM lease_until - clock_timestamp())::float8 FROM drop_claim WHERE drop_id = \(drop)")
        return try #require(rows.first).decode(Double.self)
    }

    @Test func aLapsedClaimNobodyTookIsKeptAndRenewedAndOneTakenOverIsLost() throws {
        let (loc, s) = try migratedDatabase("fence")
        let member = try NodeMember(server: loc, name: "p", lease: 30)
        defer { member.leave() }
        Thread.sleep(forTimeInterval: 0.5)  // past the heartbeat's first beat (the next is 10 s away)
        let kept = try #require(try member.claim(dropID: "kept", channel: "lab", name: "kept.hl7", workPath: "/work/lab/kept"))
        let taken = try #require(try member.claim(dropID: "taken", channel: "lab", name: "taken.hl7", workPath: "/work/lab/taken"))

        // Lapsed, nobody took it: the transaction goes on, and the claim has a fresh lease.
        try lapse(s, "kept")
        #expect(try member.takeOverExpired(limit: 10).isEmpty, "a node does not take over its own claims (they are in its pipeline)")
        try s.transaction { try member.begin($0) }
        #expect(try leaseLeft(s, "kept") > 25, "renewed inside the fenced transaction")
        #expect(member.forgetLost().isEmpty)

        // Lapsed and taken over by another node: refused, and the claim is let go of; the other stays.
        try lapse(s, "taken")
        let q = try PostgresNode.register(s, name: "q", staleAfter: 30)
        let takeover = try q.takeOverExpired(s, limit: 10, lease: 30)
        #expect(takeover.map(\.dropID) == ["taken"])
        #expect(throws: NodeFailure.claimLost(dropID: "taken", token: taken.token, holder: "q")) {
            try s.transaction { try member.begin($0) }
        }
        #expect(member.forgetLost().map(\.dropID) == ["taken"])
        #expect(member.claims.keys.sorted() == ["kept"] && member.claims["kept"]?.token == kept.token)
        try s.transaction { try member.begin($0) }
    }

    /// A takeover that holds the claim's row when the fence reads it: the fence waits for it, and once
    /// it commits (a new token) the claim is lost, not renewed.
    @Test func aTakeoverCommittedWhileTheFenceWaitsForItsRowLosesTheClaim() throws {
        let (loc, s) = try migratedDatabase("fencerace")
        let member = try NodeMember(server: loc, name: "p", lease: 30)
        defer { member.leave() }
        Thread.sleep(forTimeInterval: 0.5)
        let claim = try #require(try member.claim(dropID: "d", channel: "lab", name: "d.hl7", workPath: "/work/lab/d"))
        try lapse(s, "d")
        let q = try PostgresNode.register(s, name: "q", staleAfter: 30)
        let qs = try PostgresSession(loc)
        defer { qs.close() }
        try qs.execute("BEGIN")
        #expect(try q.takeOverExpired(qs, limit: 10, lease: 30).map(\.dropID) == ["d"])
        let fence = try PostgresSession(loc)
        defer { fence.close() }
        let outcome = FenceOutcome()
        Thread.detachNewThread {
            do { try fence.transaction { try member.begin($0) }; outcome.finish(nil) } catch { outcome.finish(error) }
        }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(!outcome.done, "the fence waits for the takeover's row lock")
        try qs.execute("COMMIT")
        #expect(outcome.wait(seconds: 10), "the fence went on once the takeover committed")
        #expect(outcome.error as? NodeFailure == .claimLost(dropID: "d", token: claim.token, holder: "q"), "\(String(describing: outcome.error))")
        #expect(member.forgetLost().map(\.dropID) == ["d"])
    }
}

/// What a fence run on another thread ended with.
final class FenceOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    private var result: (Error?)?

    func finish(_ error: Error?) {
        lock.withLock { result = .some(error) }
        finished.signal()
    }

    var done: Bool { lock.withLock { result != nil } }
    var error: Error? { lock.withLock { result ?? nil } }

    func wait(seconds: Double) -> Bool { finished.wait(timeout: .now() + seconds) == .success }
}
