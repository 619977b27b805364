import Foundation
import PostroomConfig
import PostroomStore

/// Nodes and their claims as `status`, `serve` and `/metrics` show them (several nodes on PostgreSQL).
public struct NodeReport: Sendable {
    public var nodes: [NodeStatus]
    public var claims: [ClaimStatus]

    /// A node is shown alive when heard from within this many seconds (the default lease).
    public static let staleAfter: Double = 30

    /// Reads nodes and claims; nil for a SQLite store (one node, no registry).
    public static func read(_ config: PipelineConfig) throws -> NodeReport? {
        guard case .postgres(let location) = config.store else { return nil }
        let s = try PostgresSession(location)
        defer { s.close() }
        return NodeReport(nodes: try PostgresNode.list(s, staleAfter: staleAfter), claims: try PostgresNode.claims(s))
    }

    /// Gauges for `/metrics`: each node's liveness, heartbeat age and claims; expired claims in all.
    public var gauges: [MetricsText.Gauge] {
        var out: [MetricsText.Gauge] = []
        for n in nodes {
            let labels = [("node", n.name)]
            out.append(.init(name: "postroom_node_up", help: "1 when the node runs and sent a heartbeat lately, else 0.", labels: labels, value: n.alive ? 1 : 0))
            out.append(.init(name: "postroom_node_heartbeat_age_seconds", help: "Seconds since the node's last heartbeat (the database's clock).",
                             labels: labels, value: n.secondsSinceHeartbeat))
            out.append(.init(name: "postroom_node_claims", help: "Drops the node holds now (in flight).", labels: labels, value: Double(n.claims)))
        }
        out.append(.init(name: "postroom_claims_expired", help: "Claims whose lease ran out, waiting for another node to take them over.",
                         labels: [], value: Double(claims.filter(\.expired).count)))
        return out
    }

    /// Text for `postroom status`.
    public var text: String {
        var lines = ["Nodes"]
        for n in nodes {
            let state = n.stoppedAt != nil ? "stopped" : n.alive ? "alive" : "silent"
            lines.append("  \(n.name)  \(state)  heartbeat \(Int(n.secondsSinceHeartbeat.rounded())) s ago  claims \(n.claims)  pid \(n.pid) on \(n.host)")
        }
        if nodes.isEmpty { lines.append("  none registered") }
        let expired = claims.filter(\.expired).count
        lines.append("In-flight claims: \(claims.count)" + (expired > 0 ? ", \(expired) with an expired lease" : ""))
        return lines.joined(separator: "\n")
    }
}
