/// Why a node may not go on: its name is taken, it was replaced, or it lost a drop (fencing).
public enum NodeFailure: Error, CustomStringConvertible, Sendable, Equatable {
    /// Another process runs under this node name (it sent a heartbeat within the stale limit).
    case nameInUse(name: String, host: String, pid: Int, secondsSinceHeartbeat: Double)
    /// A later registration under the same name replaced this process (or it was stopped).
    case replaced(name: String, incarnation: Int64)
    /// The drop's claim no longer holds with this token: its lease ran out and another node took it
    /// (or it was finished). The work of the drop must not be committed by this node.
    case claimLost(dropID: String, token: Int64, holder: String?)
    /// The drop is already claimed (by `node`).
    case alreadyClaimed(dropID: String, node: String)
    /// Not a usable node name.
    case badName(String)

    public var description: String {
        switch self {
        case .nameInUse(let name, let host, let pid, let age):
            return "node name \(name) is in use by process \(pid) on \(host) (heartbeat \(Int(age.rounded())) s ago)"
        case .replaced(let name, let incarnation):
            return "node \(name) (incarnation \(incarnation)) was replaced by a later start under the same name, or stopped"
        case .claimLost(let drop, let token, let holder):
            return "the claim of drop \(drop) with fencing token \(token) no longer holds"
                + (holder.map { ": node \($0) holds it now" } ?? ": no node holds it now")
        case .alreadyClaimed(let drop, let node):
            return "drop \(drop) is already claimed by node \(node)"
        case .badName(let name):
            return "\"\(name)\" is not a node name: 1 to 64 letters, digits, '.', '-' or '_'"
        }
    }
}
