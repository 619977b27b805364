/// Which Task moves where because of a report, a cancellation or a filler's update: pure
/// decisions over the Tasks the store holds, carried out by the pipeline.
public enum TaskPlanner {
    /// A Task as the planner sees it.
    public struct OpenTask: Sendable, Equatable {
        public var id: String
        public var status: TaskStatus
        /// Whether it has a sub-task that is not finished.
        public var hasOpenSubtasks: Bool
        public init(id: String, status: TaskStatus, hasOpenSubtasks: Bool = false) {
            self.id = id
            self.status = status
            self.hasOpenSubtasks = hasOpenSubtasks
        }
    }

    /// One step of a plan.
    public enum Step: Equatable, Sendable {
        /// Move the Task along `path` (every step recorded), with the reason and, for reports, the output.
        case move(taskID: String, path: [TaskStatus], reason: String, statusReason: String?, output: String?)
        /// Leave the Task as it is and tell the sender why.
        case note(Issue)
    }

    /// A plan: steps to carry out, or the refusal of the whole message.
    public enum Outcome: Equatable, Sendable {
        case steps([Step])
        case refused(Issue)
    }

    /// The steps for a report of `status` (`reference` = `Type/id`) on the Tasks of its request:
    /// final → completed (the report as output), preliminary → in-progress, cancelled → cancelled
    /// or failed. Corrections never re-open a finished Task.
    public static func forReport(status: String, reference: String, tasks: [OpenTask], machine: TaskStateMachine,
                                 allowOpenSubtasks: Bool) -> Outcome {
        switch status {
        case "final", "amended", "corrected", "appended", "current":
            return .steps(tasks.filter { !$0.status.isTerminal }.map { task -> Step in
                if !allowOpenSubtasks, task.hasOpenSubtasks {
                    return .note(.warning(.taskOpenSubtasks, type: "business-rule",
                                          "The report is final but the Task has open sub-tasks, so it is not completed"))
                }
                guard let path = machine.path(from: task.status, to: .completed) else {
                    return .note(.warning(.taskInvalidTransition, type: "business-rule",
                                          "The Task is \(task.status.rawValue) and cannot be completed by this report"))
                }
                return .move(taskID: task.id, path: path, reason: "final report \(reference)", statusReason: nil, output: reference)
            })
        case "registered", "partial", "preliminary":
            return .steps(tasks.filter { !$0.status.isTerminal && !$0.status.hasStarted }.map { task -> Step in
                guard let path = machine.path(from: task.status, to: .inProgress) else {
                    return .note(.warning(.taskInvalidTransition, type: "business-rule",
                                          "The Task is \(task.status.rawValue) and cannot move to in-progress"))
                }
                return .move(taskID: task.id, path: path, reason: "\(status) report \(reference)", statusReason: nil, output: reference)
            })
        case "cancelled":
            return cancel(tasks: tasks, reason: "no results; order cancelled by the filler", machine: machine)
        default:
            return .steps([])
        }
    }

    /// Cancels the Tasks of a request: `cancelled` before work started, `failed` after (DOMAIN.md §2.2).
    /// Fails with the refusal when a Task can reach neither.
    public static func cancel(tasks: [OpenTask], reason: String?, machine: TaskStateMachine) -> Outcome {
        var steps: [Step] = []
        for task in tasks where !task.status.isTerminal {
            let target: TaskStatus = machine.allows(task.status, .cancelled) ? .cancelled : .failed
            guard machine.allows(task.status, target) else { return .refused(machine.refusal(from: task.status, to: target)) }
            steps.append(.move(taskID: task.id, path: [target], reason: "order cancelled" + (reason.map { ": " + $0 } ?? ""),
                               statusReason: reason ?? "Order cancelled", output: nil))
            if target == .failed {
                steps.append(.note(.information(.taskFailedAfterStart,
                                                "Work had started, so the Task is failed rather than cancelled")))
            }
        }
        return .steps(steps)
    }

    /// Moves every Task of a request to `target`; fails with the refusal when one cannot get there.
    public static func move(tasks: [OpenTask], to target: TaskStatus, reason: String, statusReason: String?,
                            machine: TaskStateMachine) -> Outcome {
        var steps: [Step] = []
        for task in tasks where task.status != target {
            guard let path = machine.path(from: task.status, to: target) else {
                return .refused(machine.refusal(from: task.status, to: target))
            }
            steps.append(.move(taskID: task.id, path: path, reason: reason, statusReason: statusReason, output: nil))
        }
        return .steps(steps)
    }

    /// Which stored Task a filler's Task update is about: the one its own keys name (its business
    /// identifier or literal id); else, for an update that is not a sub-task, the single open Task
    /// of the request it focuses on (the Option F Task Postroom made for that request). Nil: a new Task.
    public static func address(byKeys: String?, isSubtask: Bool, focusTasks: [OpenTask]) -> String? {
        if let byKeys { return byKeys }
        guard !isSubtask else { return nil }
        let open = focusTasks.filter { !$0.status.isTerminal }
        return open.count == 1 ? open[0].id : nil
    }
}
