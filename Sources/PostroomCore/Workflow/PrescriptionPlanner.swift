/// The EPS prescription workflow (DOMAIN.md §5.4) as pure decisions: given the prescription's Task
/// state and an event (release, dispense notification, cancellation, return, withdraw), where the
/// Task goes, with which businessStatus, who holds it and what becomes of the MedicationRequests.
/// The pipeline carries the plan out (Applier+Prescriptions).
public enum PrescriptionPlanner {
    /// `https://fhir.nhs.uk/CodeSystem/EPS-task-business-status`.
    public enum BusinessStatus: String, Sendable, Equatable {
        case toBeDispensed = "0001", withDispenser = "0002", withDispenserActive = "0003", expired = "0004"
        case cancelled = "0005", dispensed = "0006", notDispensed = "0007"

        public var display: String {
            switch self {
            case .toBeDispensed: "To be Dispensed"
            case .withDispenser: "With Dispenser"
            case .withDispenserActive: "With Dispenser - Active"
            case .expired: "Expired"
            case .cancelled: "Cancelled"
            case .dispensed: "Dispensed"
            case .notDispensed: "Not Dispensed"
            }
        }
    }

    /// The edges EPS adds to the channel's machine: a released prescription that nobody was
    /// nominated for (`ready → accepted`), a return (`accepted → rejected`), a cancellation while
    /// a dispenser holds it (`accepted → failed`), and a withdrawn dispense notification taking
    /// the Task back (`in-progress → accepted`, `completed → in-progress | accepted`).
    public static let edges: Set<TaskStateMachine.Edge> = [
        .init(.ready, .accepted), .init(.accepted, .rejected), .init(.accepted, .failed),
        .init(.inProgress, .accepted), .init(.completed, .inProgress), .init(.completed, .accepted),
    ]

    /// The channel's machine with the EPS edges.
    public static func machine(_ base: TaskStateMachine) -> TaskStateMachine {
        TaskStateMachine(name: base.name + "+eps", edges: base.edges.union(edges))
    }

    /// The prescription as the planner sees it.
    public struct State: Sendable, Equatable {
        public var status: TaskStatus
        /// ODS code of the dispenser it was released to.
        public var dispenser: String?
        public init(status: TaskStatus, dispenser: String?) {
            self.status = status
            self.dispenser = dispenser
        }
    }

    /// What to do.
    public struct Plan: Sendable, Equatable {
        /// The Task's steps (empty: it stays where it is).
        public var path: [TaskStatus]
        public var businessStatus: BusinessStatus
        /// The dispenser that holds it afterwards (nil: nobody).
        public var dispenser: String?
        public var reason: String
        public var statusReason: String?
        /// The status the prescription's MedicationRequests take, when it changes.
        public var itemStatus: String?
        /// What the sender is told.
        public var notes: [Issue] = []
    }

    public enum Outcome: Sendable, Equatable {
        case plan(Plan)
        case refused(Issue)
    }

    /// Where a new prescription starts: `requested` when a pharmacy is nominated, else `ready`.
    public static func start(nominated: String?) -> TaskStatus {
        nominated == nil ? .ready : .requested
    }

    /// Dispense types (`medicationdispense-type`) that finish an item: fully dispensed, not
    /// dispensed, cancelled, expired. Partial (0003) and owing (0004) leave it open.
    public static let finishingTypes: Set<String> = ["0001", "0002", "0005", "0006"]

    /// Whether every item has a dispense that finishes it.
    public static func allDispensed(items: [String], dispensed: [String: [String?]]) -> Bool {
        !items.isEmpty && items.allSatisfy { item in
            (dispensed[item] ?? []).contains { $0.map(finishingTypes.contains) ?? true }
        }
    }

    /// Release to a dispenser: → `accepted` / 0002.
    public static func release(_ s: State, to owner: String, machine: TaskStateMachine) -> Outcome {
        if let holder = s.dispenser, s.status == .accepted || s.status == .inProgress {
            return .refused(holder == owner ? alreadyHeld : notWithDispenser("The prescription is already with another dispenser"))
        }
        guard s.status == .requested || s.status == .ready else { return .refused(stateRefusal(s.status, "released")) }
        return step(s, to: .accepted, machine: machine, plan: Plan(path: [], businessStatus: .withDispenser, dispenser: owner,
                                                                    reason: "released to dispenser \(owner)"))
    }

    /// A dispense notification: `in-progress` / 0003, or `completed` / 0006 (the items `completed`)
    /// when every item is finished. A replacement may reopen a completed prescription.
    public static func dispense(_ s: State, sender: String?, allDone: Bool, replacement: Bool, machine: TaskStateMachine) -> Outcome {
        let allowed: Set<TaskStatus> = replacement ? [.accepted, .inProgress, .completed] : [.accepted, .inProgress]
        guard allowed.contains(s.status) else {
            return .refused(s.status == .failed ? stateRefusal(s.status, "dispensed: it was cancelled")
                                                : stateRefusal(s.status, "dispensed"))
        }
        if let issue = senderRefusal(s, sender) { return .refused(issue) }
        let target: TaskStatus = allDone ? .completed : .inProgress
        var plan = Plan(path: [], businessStatus: allDone ? .dispensed : .withDispenserActive, dispenser: s.dispenser,
                        reason: (replacement ? "replacement dispense notification" : "dispense notification") + (allDone ? ": all items dispensed" : ""))
        if allDone {
            plan.itemStatus = "completed"
            plan.notes.append(.information(.prescriptionDispensed, "Every item is dispensed; the prescription is completed"))
        } else if s.status == .completed {
            plan.itemStatus = "active"
        }
        return step(s, to: target, machine: machine, plan: plan)
    }

    /// A cancellation: `cancelled` / 0005 before a dispenser has it; `failed` while one does
    /// (it becomes `cancelled` when returned).
    public static func cancel(_ s: State, reason: String?, machine: TaskStateMachine) -> Outcome {
        switch s.status {
        case .requested, .ready, .draft:
            var plan = Plan(path: [], businessStatus: .cancelled, dispenser: nil, reason: "cancelled by the prescriber",
                            statusReason: reason ?? "Prescription cancelled", itemStatus: "cancelled")
            plan.notes.append(.information(.prescriptionCancelled, "The prescription was cancelled before any dispenser had it"))
            return step(s, to: .cancelled, machine: machine, plan: plan)
        case .accepted, .inProgress, .onHold:
            var plan = Plan(path: [], businessStatus: s.status == .accepted ? .withDispenser : .withDispenserActive,
                            dispenser: s.dispenser, reason: "cancellation requested while with dispenser \(s.dispenser ?? "?")",
                            statusReason: reason ?? "Prescription cancelled")
            plan.notes.append(.information(.prescriptionCancelPending,
                                           "A dispenser has the prescription: the Task is failed and becomes cancelled when it is returned"))
            return step(s, to: .failed, machine: machine, plan: plan)
        default:
            return .refused(stateRefusal(s.status, "cancelled"))
        }
    }

    /// A return by the dispenser: back to `ready` / 0007 (`rejected → ready`); a prescription
    /// cancelled while with the dispenser becomes `cancelled` / 0005.
    public static func returned(_ s: State, sender: String?, reason: String?, machine: TaskStateMachine) -> Outcome {
        if let issue = senderRefusal(s, sender) { return .refused(issue) }
        switch s.status {
        case .accepted:
            let plan = Plan(path: [], businessStatus: .notDispensed, dispenser: nil, reason: "returned by dispenser \(s.dispenser ?? "?")",
                            statusReason: reason)
            guard let path = machine.path(from: .accepted, to: .rejected), let back = machine.path(from: .rejected, to: .ready) else {
                return .refused(machine.refusal(from: .accepted, to: .ready))
            }
            var p = plan
            p.path = path + back
            return .plan(p)
        case .failed:
            var plan = Plan(path: [], businessStatus: .cancelled, dispenser: nil, reason: "returned after cancellation",
                            statusReason: reason ?? "Prescription cancelled", itemStatus: "cancelled")
            plan.notes.append(.information(.prescriptionCancelled, "The dispenser returned the prescription; its cancellation is complete"))
            return step(s, to: .cancelled, machine: machine, plan: plan)
        default:
            return .refused(stateRefusal(s.status, "returned"))
        }
    }

    /// A withdrawn dispense notification: the Task goes back to what the notifications left stand for.
    public static func withdraw(_ s: State, sender: String?, remaining: Bool, allDone: Bool, machine: TaskStateMachine) -> Outcome {
        if let issue = senderRefusal(s, sender) { return .refused(issue) }
        guard [.inProgress, .completed, .failed].contains(s.status) else { return .refused(stateRefusal(s.status, "withdrawn from")) }
        var plan = Plan(path: [], businessStatus: .withDispenserActive, dispenser: s.dispenser, reason: "dispense notification withdrawn")
        if s.status == .failed {
            plan.businessStatus = remaining ? .withDispenserActive : .withDispenser
            return .plan(plan)
        }
        let target: TaskStatus = !remaining ? .accepted : allDone ? .completed : .inProgress
        plan.businessStatus = !remaining ? .withDispenser : allDone ? .dispensed : .withDispenserActive
        if s.status == .completed && target != .completed { plan.itemStatus = "active" }
        return step(s, to: target, machine: machine, plan: plan)
    }

    // MARK: - Helpers

    static func step(_ s: State, to target: TaskStatus, machine: TaskStateMachine, plan: Plan) -> Outcome {
        guard let path = machine.path(from: s.status, to: target) else { return .refused(machine.refusal(from: s.status, to: target)) }
        var p = plan
        p.path = path
        return .plan(p)
    }

    static func senderRefusal(_ s: State, _ sender: String?) -> Issue? {
        guard s.dispenser != nil else { return notWithDispenser("No dispenser has the prescription (it was not released)") }
        if let sender, let holder = s.dispenser, sender != holder {
            return notWithDispenser("The prescription is with another dispenser")
        }
        return nil
    }

    static func notWithDispenser(_ text: String) -> Issue {
        .error(.prescriptionNotWithDispenser, type: "business-rule", text)
    }

    static let alreadyHeld = Issue.error(.prescriptionState, type: "business-rule", "The prescription was already released to this dispenser")

    static func stateRefusal(_ status: TaskStatus, _ what: String) -> Issue {
        .error(.prescriptionState, type: "business-rule", "The prescription's Task is \(status.rawValue), so it cannot be \(what)")
    }
}
