import Foundation

/// A drop this node holds: the rename into the work folder made it this node's, the `drop_claim` row
/// records it with a lease (until `leaseUntil`, by the database's clock) and a fencing `token`. Every
/// transaction that commits work of the drop first checks the claim (`guardCommit`/`finish`) with it.
public struct DropClaim: Sendable, Equatable {
    public var dropID: String
    public var channel: String
    /// The file's name in the inbox.
    public var name: String
    /// Where the rename put it.
    public var workPath: String
    public var node: String
    public var token: Int64
    public var claimedAt: Date
    public var leaseUntil: Date
    /// The node that held it before a takeover, if any.
    public var takenOverFrom: String?
}

/// What `status`, `serve` and `/metrics` show of a node.
public struct NodeStatus: Sendable, Equatable {
    public var name: String
    public var incarnation: Int64
    public var startedAt: Date
    public var heartbeatAt: Date
    public var stoppedAt: Date?
    public var host: String
    public var pid: Int
    public var version: String
    /// Seconds since the last heartbeat, by the database's clock.
    public var secondsSinceHeartbeat: Double
    /// Drops it holds now.
    public var claims: Int
    /// Running and heard from within the stale limit given to `PostgresNode.list`.
    public var alive: Bool
}

/// A claim as an operator sees it: who holds which drop, until when, and whether the lease ran out.
public struct ClaimStatus: Sendable, Equatable {
    public var claim: DropClaim
    public var takeovers: Int
    public var expired: Bool
}
