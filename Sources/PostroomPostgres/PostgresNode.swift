import Foundation
import PostgresNIO

/// One Postroom node in the `node` table: registered at start, a heartbeat while it runs, stopped at
/// the end. Its identity is its name plus the incarnation this registration got, so a second process
/// started under the same name (after the first died) makes the first's heartbeats and claims fail.
public struct PostgresNode: Sendable, Equatable {
    public var name: String
    public var incarnation: Int64

    public init(name: String, incarnation: Int64) {
        self.name = name
        self.incarnation = incarnation
    }

    /// Registers `name`. Refused (`nameInUse`) while another process under that name is alive: running
    /// and heard from within `staleAfter` seconds. A dead or stopped one's row is taken over with the
    /// next incarnation; its claims stay until their leases run out.
    public static func register(_ s: PostgresSession, name: String, staleAfter: Double, version: String = "dev",
                                host: String = ProcessInfo.processInfo.hostName,
                                pid: Int = Int(ProcessInfo.processInfo.processIdentifier)) throws -> PostgresNode {
        guard (1...64).contains(name.count),
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw NodeFailure.badName(name)
        }
        let rows = try s.query("""
            INSERT INTO node (name, incarnation, started_at, heartbeat_at, host, pid, version)
            VALUES (\(name), 1, clock_timestamp(), clock_timestamp(), \(host), \(pid), \(version))
            ON CONFLICT (name) DO UPDATE SET incarnation = node.incarnation + 1, started_at = EXCLUDED.started_at,
                heartbeat_at = EXCLUDED.heartbeat_at, stopped_at = NULL, host = EXCLUDED.host, pid = EXCLUDED.pid,
                version = EXCLUDED.version
            WHERE node.stopped_at IS NOT NULL OR node.heartbeat_at < clock_timestamp() - make_interval(secs => \(staleAfter))
            RETURNING incarnation
            """)
        if let row = rows.first {
            return PostgresNode(name: name, incarnation: try row.decode(Int64.self))
        }
        let holder = try s.query("""
            SELECT host, pid, EXTRACT(EPOCH FROM clock_timestamp() - heartbeat_at)::float8 FROM node WHERE name = \(name)
            """)
        guard let h = holder.first else { throw NodeFailure.replaced(name: name, incarnation: 0) }
        let (otherHost, otherPID, age) = try h.decode((String, Int, Double).self)
        throw NodeFailure.nameInUse(name: name, host: otherHost, pid: otherPID, secondsSinceHeartbeat: age)
    }

    /// Records that this node is alive; `replaced` when another registration took the name.
    public func heartbeat(_ s: PostgresSession) throws {
        let rows = try s.query("""
            UPDATE node SET heartbeat_at = clock_timestamp()
            WHERE name = \(name) AND incarnation = \(incarnation) AND stopped_at IS NULL RETURNING name
            """)
        guard !rows.isEmpty else { throw NodeFailure.replaced(name: name, incarnation: incarnation) }
    }

    /// Marks the node stopped (a clean shutdown). Its unfinished claims are released for others at once.
    public func stop(_ s: PostgresSession) throws {
        try s.transaction { s in
            try s.query("""
                UPDATE node SET stopped_at = clock_timestamp() WHERE name = \(name) AND incarnation = \(incarnation)
                """)
            try s.query("UPDATE drop_claim SET lease_until = clock_timestamp() WHERE node = \(name)")
        }
    }

    /// Every node, by name, with its heartbeat's age and the drops it holds; `alive` when not stopped
    /// and heard from within `staleAfter` seconds.
    public static func list(_ s: PostgresSession, staleAfter: Double) throws -> [NodeStatus] {
        let rows = try s.execute("""
            SELECT n.name, n.incarnation, n.started_at, n.heartbeat_at, n.stopped_at, n.host, n.pid, n.version,
                EXTRACT(EPOCH FROM clock_timestamp() - n.heartbeat_at)::float8,
                (SELECT count(*) FROM drop_claim c WHERE c.node = n.name)
            FROM node n ORDER BY n.name
            """)
        return try rows.map { row in
            let (name, incarnation, started, heartbeat, stopped, host, pid, version, age, claims) =
                try row.decode((String, Int64, Date, Date, Date?, String, Int, String, Double, Int).self)
            return NodeStatus(name: name, incarnation: incarnation, startedAt: started, heartbeatAt: heartbeat, stoppedAt: stopped,
                              host: host, pid: pid, version: version, secondsSinceHeartbeat: age, claims: claims,
                              alive: stopped == nil && age < staleAfter)
        }
    }
}
