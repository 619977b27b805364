/// The Task state machine as data: the FHIR R4 core transitions plus per-workflow extra edges.
///
/// A value type with no I/O: it answers whether a transition is allowed and which path of
/// allowed steps leads from one status to another (for events that imply several steps, such
/// as a final report arriving for a Task still `requested`).
public struct TaskStateMachine: Sendable {
    /// One allowed edge.
    public struct Edge: Hashable, Sendable {
        public var from: TaskStatus
        public var to: TaskStatus
        public init(_ from: TaskStatus, _ to: TaskStatus) {
            self.from = from
            self.to = to
        }
    }

    public let name: String
    public let edges: Set<Edge>

    public init(name: String, edges: Set<Edge>) {
        self.name = name
        self.edges = edges
    }

    /// The transitions drawn in the R4 diagram (`task-state-machine.svg`), DOMAIN.md §2.2.
    public static let coreEdges: Set<Edge> = {
        var e: Set<Edge> = [
            Edge(.draft, .requested), Edge(.draft, .ready), Edge(.draft, .cancelled),
            Edge(.requested, .received), Edge(.requested, .accepted), Edge(.requested, .rejected),
            Edge(.received, .accepted), Edge(.received, .rejected),
            Edge(.accepted, .inProgress), Edge(.ready, .inProgress),
            Edge(.inProgress, .onHold), Edge(.inProgress, .completed), Edge(.inProgress, .failed),
            Edge(.onHold, .inProgress),
        ]
        for s in [TaskStatus.requested, .received, .accepted, .ready, .rejected] { e.insert(Edge(s, .cancelled)) }
        return e
    }()

    /// The strict R4 core machine: the diagram, plus `entered-in-error` from anywhere.
    public static let core = TaskStateMachine(name: "core", edges: coreEdges)

    /// Extra edges named in the Task narrative and by NHS workflows: an in-progress Task
    /// stopped back to `ready` for reassignment, EPS's `rejected → ready` (return) and
    /// `failed → cancelled`, and a rejected referral re-offered (`rejected → requested`, Option H).
    public static let nhs = TaskStateMachine(name: "nhs", edges: coreEdges.union([
        Edge(.inProgress, .ready), Edge(.rejected, .ready), Edge(.failed, .cancelled), Edge(.rejected, .requested),
    ]))

    /// The machine named in configuration (`core` or `nhs`).
    public static func named(_ name: String) -> TaskStateMachine? {
        switch name {
        case "core": .core
        case "nhs": .nhs
        default: nil
        }
    }

    /// Statuses a new Task may start in.
    public static let initialStatuses: Set<TaskStatus> = [.draft, .requested, .ready]

    /// Whether `from → to` is allowed. Staying in the same status is not a transition.
    public func allows(_ from: TaskStatus, _ to: TaskStatus) -> Bool {
        if to == .enteredInError { return from != .enteredInError }
        return edges.contains(Edge(from, to))
    }

    /// The shortest sequence of allowed steps from `from` to `to` (excluding `from`),
    /// or nil when `to` cannot be reached. Empty when `from == to`.
    public func path(from: TaskStatus, to: TaskStatus) -> [TaskStatus]? {
        if from == to { return [] }
        if allows(from, to) { return [to] }
        var previous: [TaskStatus: TaskStatus] = [:]
        var queue: [TaskStatus] = [from]
        var seen: Set<TaskStatus> = [from]
        while !queue.isEmpty {
            let s = queue.removeFirst()
            // Deterministic order: follow TaskStatus.allCases order.
            for next in TaskStatus.allCases where next != .enteredInError && allows(s, next) && !seen.contains(next) {
                seen.insert(next)
                previous[next] = s
                if next == to {
                    var path: [TaskStatus] = [to]
                    var cur = to
                    while let p = previous[cur], p != from {
                        path.insert(p, at: 0)
                        cur = p
                    }
                    return path
                }
                queue.append(next)
            }
        }
        return nil
    }

    /// The issue for a refused transition (OperationOutcome code `business-rule`).
    public func refusal(from: TaskStatus, to: TaskStatus, at location: String? = nil) -> Issue {
        .error(.taskInvalidTransition, type: "business-rule", at: location,
               "Task status cannot change from \(from.rawValue) to \(to.rawValue) (\(name) state machine)")
    }
}
