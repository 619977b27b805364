/// FHIR R4 Task.status codes (`http://hl7.org/fhir/task-status`, required binding).
public enum TaskStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case draft, requested, received, accepted, rejected, ready, cancelled
    case inProgress = "in-progress"
    case onHold = "on-hold"
    case failed, completed
    case enteredInError = "entered-in-error"

    /// Whether no further work happens in this state (in the core machine).
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .cancelled, .rejected, .enteredInError: true
        default: false
        }
    }

    /// Whether work has started (a cancellation now means `failed`, not `cancelled`).
    public var hasStarted: Bool { self == .inProgress || self == .onHold }
}
