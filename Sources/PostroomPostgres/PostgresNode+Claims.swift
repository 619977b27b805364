import Foundation
import PostgresNIO

/// Claims of drops (docs/POSTGRES.md "Claims, leases and fencing"). Lease times are the database's
/// clock (`clock_timestamp()`, not the transaction's start), so nodes never compare their own clocks.
extension PostgresNode {
    static let claimColumns = "drop_id, channel, name, work_path, node, token, claimed_at, lease_until, taken_over_from"

    static func decodeClaim(_ row: PostgresRow) throws -> DropClaim {
        let (drop, channel, name, work, node, token, claimed, lease, from) =
            try row.decode((String, String, String, String, String, Int64, Date, Date, String?).self)
        return DropClaim(dropID: drop, channel: channel, name: name, workPath: work, node: node, token: token,
                         claimedAt: claimed, leaseUntil: lease, takenOverFrom: from)
    }

    /// Records that this node won the rename of a drop: a lease of `lease` seconds and a fresh fencing
    /// token. `alreadyClaimed` if the drop has a claim; `replaced` if this node's registration is gone.
    public func claim(_ s: PostgresSession, dropID: String, channel: String, name file: String, workPath: String,
                      lease: Double) throws -> DropClaim {
        let rows = try s.query("""
            INSERT INTO drop_claim (drop_id, channel, name, work_path, node, token, claimed_at, lease_until)
            SELECT \(dropID), \(channel), \(file), \(workPath), name, nextval('fencing_token'), clock_timestamp(),
                clock_timestamp() + make_interval(secs => \(lease))
            FROM node WHERE name = \(name) AND incarnation = \(incarnation) AND stopped_at IS NULL
            ON CONFLICT (drop_id) DO NOTHING
            RETURNING \(unescaped: Self.claimColumns)
            """)
        if let row = rows.first { return try Self.decodeClaim(row) }
        if let holder = try s.query("SELECT node FROM drop_claim WHERE drop_id = \(dropID)").first {
            throw NodeFailure.alreadyClaimed(dropID: dropID, node: try holder.decode(String.self))
        }
        throw NodeFailure.replaced(name: name, incarnation: incarnation)
    }

    /// Extends the leases of these claims by `lease` seconds from now. A claim whose token no longer
    /// matches (taken over, finished) is in `lost`: the node must stop working on that drop. An
    /// expired lease that nobody took is still this node's and is renewed.
    public func renew(_ s: PostgresSession, _ claims: [DropClaim], lease: Double) throws -> (renewed: [DropClaim], lost: [DropClaim]) {
        guard !claims.isEmpty else { return ([], []) }
        let tokens = claims.map(\.token)
        // Rows locked in `drop_id` order, as the fence at the start of a write transaction locks them
        // (`NodeMember.begin`): the two never wait for each other in a cycle.
        let rows = try s.query("""
            WITH mine AS (SELECT drop_id FROM drop_claim WHERE node = \(name) AND token = ANY(\(tokens)) ORDER BY drop_id FOR UPDATE)
            UPDATE drop_claim c SET lease_until = clock_timestamp() + make_interval(secs => \(lease))
            FROM mine WHERE c.drop_id = mine.drop_id
            RETURNING \(unescaped: Self.claimColumns.split(separator: ", ").map { "c." + $0 }.joined(separator: ", "))
            """)
        let renewed = try rows.map(Self.decodeClaim)
        let kept = Set(renewed.map(\.token))
        return (renewed.sorted { $0.token < $1.token }, claims.filter { !kept.contains($0.token) })
    }

    /// Takes over at most `limit` claims whose lease ran out (their node died, or paused past its lease),
    /// oldest claim first, each with a new lease and a new fencing token. `FOR UPDATE SKIP LOCKED`:
    /// nodes taking over at the same moment get disjoint sets without waiting on each other, and a claim
    /// whose holder is committing (its row locked by the commit guard) is left alone. `sparing`: the
    /// drops this process holds or has just lost (until it lets them go). A claim of its own that
    /// lapsed while it was busy is still in its pipeline (the heartbeat or the next commit's fence
    /// renews it), as is a drop lost to a node that died since; taking either would process the drop
    /// a second time. (A new process under the same name does take the old process's claims.)
    public func takeOverExpired(_ s: PostgresSession, limit: Int, lease: Double, sparing: [String] = []) throws -> [DropClaim] {
        let rows = try s.query("""
            WITH expired AS (
                SELECT drop_id FROM drop_claim
                WHERE lease_until < clock_timestamp() AND NOT drop_id = ANY(\(sparing))
                    AND EXISTS (SELECT 1 FROM node WHERE name = \(name) AND incarnation = \(incarnation) AND stopped_at IS NULL)
                ORDER BY claimed_at, drop_id
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            UPDATE drop_claim c SET node = \(name), token = nextval('fencing_token'),
                lease_until = clock_timestamp() + make_interval(secs => \(lease)),
                taken_over_from = c.node, takeovers = c.takeovers + 1
            FROM expired WHERE c.drop_id = expired.drop_id
            RETURNING \(unescaped: Self.claimColumns.split(separator: ", ").map { "c." + $0 }.joined(separator: ", "))
            """)
        return try rows.map(Self.decodeClaim).sorted { ($0.claimedAt, $0.dropID) < ($1.claimedAt, $1.dropID) }
    }

    /// The fencing check, inside the transaction that commits work of the drop: the claim must still be
    /// this node's, with this token and an unexpired lease. It locks the claim's row until the commit,
    /// so no takeover can slip in between the check and the commit. Throws `claimLost` otherwise: the
    /// caller's transaction rolls back and nothing of the drop is committed by this node.
    public func guardCommit(_ s: PostgresSession, _ claim: DropClaim) throws {
        let rows = try s.query("""
            SELECT drop_id FROM drop_claim
            WHERE drop_id = \(claim.dropID) AND node = \(name) AND token = \(claim.token) AND lease_until > clock_timestamp()
            FOR UPDATE
            """)
        guard rows.isEmpty else { return }
        throw try lost(s, claim)
    }

    /// The drop is done: the same check as `guardCommit`, and the claim is removed, in the caller's transaction.
    public func finish(_ s: PostgresSession, _ claim: DropClaim) throws {
        let rows = try s.query("""
            DELETE FROM drop_claim
            WHERE drop_id = \(claim.dropID) AND node = \(name) AND token = \(claim.token) AND lease_until > clock_timestamp()
            RETURNING drop_id
            """)
        guard rows.isEmpty else { return }
        throw try lost(s, claim)
    }

    func lost(_ s: PostgresSession, _ claim: DropClaim) throws -> NodeFailure {
        let holder = try s.query("SELECT node FROM drop_claim WHERE drop_id = \(claim.dropID)").first
        return NodeFailure.claimLost(dropID: claim.dropID, token: claim.token, holder: try holder?.decode(String.self))
    }

    /// Every claim in flight, oldest first, with whether its lease ran out.
    public static func claims(_ s: PostgresSession) throws -> [ClaimStatus] {
        let rows = try s.execute("""
            SELECT \(claimColumns), takeovers, lease_until < clock_timestamp() FROM drop_claim ORDER BY claimed_at, drop_id
            """)
        return try rows.map { row in
            let cells = row.makeRandomAccess()
            let takeovers = try cells[9].decode(Int.self)
            let expired = try cells[10].decode(Bool.self)
            return ClaimStatus(claim: try decodeClaim(row), takeovers: takeovers, expired: expired)
        }
    }
}
