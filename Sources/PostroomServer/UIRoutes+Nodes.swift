import Foundation
import PostroomPostgres

extension UIRoutes {
    /// The nodes sharing a PostgreSQL store (several nodes): each one's state, heartbeat and claims in
    /// flight, as `postroom status` shows them. Nothing on SQLite (one node, no registry); a line saying
    /// why when the registry cannot be read.
    func nodesSection() -> String {
        let report: NodeReport?
        do { report = try NodeReport.read(pipeline) } catch {
            return "<h2>Nodes</h2><p class=\"muted\">The node registry could not be read.</p>"
        }
        guard let report else { return "" }
        let expired = report.claims.filter(\.expired).count
        return "<h2>Nodes</h2>" + HTML.table(["node", "state", "last heartbeat", "claims in flight", "process"], report.nodes.map { n in
            let state = n.stoppedAt != nil ? "stopped" : n.alive ? "alive" : "silent"
            return [HTML.escape(n.name), HTML.pill(state), "\(Int(n.secondsSinceHeartbeat.rounded())) s ago", "\(n.claims)",
                    HTML.escape("pid \(n.pid) on \(n.host)")]
        }, empty: "No node registered: runs without --node.")
            + "<p>In-flight claims: \(report.claims.count)" + (expired > 0 ? ", \(expired) with an expired lease" : "") + "</p>"
    }
}
