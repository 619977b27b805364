import PostroomCore
import PostroomPostgres
import PostroomStore

/// The `nodes` member of `status --json`: null on SQLite (one node), else each node and the claims in flight.
enum NodeStatusJSON {
    static func nodes(_ report: NodeReport?) -> JSONValue {
        guard let report else { return .null }
        return .object(JSONObject([
            "nodes": .array(report.nodes.map { n in .object(JSONObject([
                "name": .string(n.name), "alive": .bool(n.alive), "stopped": .bool(n.stoppedAt != nil),
                "heartbeatAt": .string(StoreTime.string(n.heartbeatAt)),
                "secondsSinceHeartbeat": .number(String(format: "%.1f", n.secondsSinceHeartbeat)),
                "claims": .number("\(n.claims)"), "host": .string(n.host), "pid": .number("\(n.pid)"),
            ])) }),
            "claims": .array(report.claims.prefix(1000).map { c in .object(JSONObject([
                "drop": .string(c.claim.dropID), "channel": .string(c.claim.channel), "node": .string(c.claim.node),
                "token": .number("\(c.claim.token)"), "leaseUntil": .string(StoreTime.string(c.claim.leaseUntil)),
                "expired": .bool(c.expired), "takeovers": .number("\(c.takeovers)"),
            ])) }),
        ]))
    }
}
