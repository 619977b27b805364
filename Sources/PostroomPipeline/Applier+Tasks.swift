import Foundation
import PostroomCore
import PostroomStore

extension Applier {
    /// Creates a Task for a request (Option F) and records its first history line.
    @discardableResult
    func createTask(focusRequestID: String, patientRef: String?, requester: JSONValue?, status: TaskStatus, reason: String) throws -> String {
        let id = ids.next().lowercased()
        var o = JSONObject([
            "identifier": .array([.object(JSONObject(["system": .string("https://tools.ietf.org/html/rfc4122"),
                                                      "value": .string(UUIDText.from(id))]))]),
            "status": .string(status.rawValue),
            "intent": .string("order"),
            "code": .object(JSONObject(["coding": .array([.object(JSONObject([
                "system": .string("http://hl7.org/fhir/CodeSystem/task-code"), "code": .string("fulfill"),
            ]))])])),
            "focus": .object(JSONObject(["reference": .string("ServiceRequest/" + focusRequestID)])),
        ])
        if let patientRef { o["for"] = .object(JSONObject(["reference": .string(patientRef)])) }
        o["authoredOn"] = .string(now)
        o["lastModified"] = .string(now)
        if let requester { o["requester"] = requester }
        try writer.putResource(type: "Task", id: id, resource: .object(o), messageID: messageID, at: now)
        try writer.insertTask(TaskRecord(id: id, status: status, focusRequestID: focusRequestID, partOf: nil, owner: nil, requester: nil,
                                         channel: channel.name, createdAt: now, updatedAt: now),
                              keys: [CorrelationKey.reference("Task/" + id)])
        try writer.appendTaskHistory(TaskTransition(taskID: id, from: nil, to: status.rawValue, at: now, messageID: messageID, reason: reason))
        return id
    }

    /// Moves every open Task of a request to `target` along allowed steps; refuses the message when a step is not allowed.
    func moveTasks(of requestID: String, to target: TaskStatus, reason: String, statusReason: String? = nil,
                   output: String? = nil) throws -> [Issue] {
        for task in try reader.tasks(focusRequestID: requestID) where task.status != target {
            guard let path = machine.path(from: task.status, to: target) else {
                throw Rejection(issues: [machine.refusal(from: task.status, to: target)])
            }
            try transition(task, along: path, reason: reason, statusReason: statusReason, output: output)
        }
        return []
    }

    /// Cancels the request's Tasks: `cancelled` before work started, `failed` after (DOMAIN.md §2.2).
    func cancelTasks(of requestID: String, reason: String?) throws -> [Issue] {
        var issues: [Issue] = []
        for task in try reader.tasks(focusRequestID: requestID) where !task.status.isTerminal {
            let target: TaskStatus = machine.allows(task.status, .cancelled) ? .cancelled : .failed
            guard machine.allows(task.status, target) else {
                throw Rejection(issues: [machine.refusal(from: task.status, to: target)])
            }
            try transition(task, along: [target], reason: "order cancelled" + (reason.map { ": " + $0 } ?? ""),
                           statusReason: reason ?? "Order cancelled")
            if target == .failed {
                issues.append(.information("task-failed-after-start", "Work had started, so the Task is failed rather than cancelled"))
            }
        }
        return issues
    }

    /// Moves the request's Tasks for a report: final → completed (with the report as output),
    /// preliminary → in-progress, cancelled → cancelled/failed. Corrections never re-open a finished Task.
    func advanceTasks(requestID: String, reportType: String, reportID: String, status: String) throws -> [Issue] {
        let ref = reportType + "/" + reportID
        switch status {
        case "final", "amended", "corrected", "appended", "current":
            var issues: [Issue] = []
            for task in try reader.tasks(focusRequestID: requestID) where !task.status.isTerminal {
                if !channel.allowOpenSubtasks, try reader.subtasks(of: task.id).contains(where: { !$0.status.isTerminal }) {
                    issues.append(.warning("task-open-subtasks", type: "business-rule",
                                           "The report is final but the Task has open sub-tasks, so it is not completed"))
                    continue
                }
                guard let path = machine.path(from: task.status, to: .completed) else {
                    issues.append(.warning("task-invalid-transition", type: "business-rule",
                                           "The Task is \(task.status.rawValue) and cannot be completed by this report"))
                    continue
                }
                try transition(task, along: path, reason: "final report \(ref)", output: ref)
            }
            return issues
        case "registered", "partial", "preliminary":
            var issues: [Issue] = []
            for task in try reader.tasks(focusRequestID: requestID) where !task.status.isTerminal && !task.status.hasStarted {
                guard let path = machine.path(from: task.status, to: .inProgress) else {
                    issues.append(.warning("task-invalid-transition", type: "business-rule",
                                           "The Task is \(task.status.rawValue) and cannot move to in-progress"))
                    continue
                }
                try transition(task, along: path, reason: "\(status) report \(ref)", output: ref)
            }
            return issues
        case "cancelled":
            return try cancelTasks(of: requestID, reason: "no results; order cancelled by the filler")
        default:
            return []
        }
    }

    /// Records each step of `path` in the Task's history and saves the Task resource once at the end.
    func transition(_ task: TaskRecord, along path: [TaskStatus], reason: String, statusReason: String? = nil, output: String? = nil) throws {
        guard let final = path.last else { return }
        var from = task.status
        for (i, step) in path.enumerated() {
            let why = i == path.count - 1 ? reason : "implied by: \(reason)"
            try writer.appendTaskHistory(TaskTransition(taskID: task.id, from: from.rawValue, to: step.rawValue, at: now,
                                                        messageID: messageID, reason: why))
            from = step
        }
        var updated = task
        updated.status = final
        updated.updatedAt = now
        try writer.updateTask(updated)
        guard let stored = try reader.resource(type: "Task", id: task.id), var o = stored.object else { return }
        o["meta"] = nil
        o["status"] = .string(final.rawValue)
        o["lastModified"] = .string(now)
        if let statusReason { o["statusReason"] = .object(JSONObject(["text": .string(statusReason)])) }
        if let output {
            var outputs = o["output"]?.array ?? []
            if !outputs.contains(where: { $0["valueReference"]?["reference"]?.string == output }) {
                outputs.append(.object(JSONObject([
                    "type": .object(JSONObject(["text": .string(output.hasPrefix("DocumentReference") ? "Document" : "Result")])),
                    "valueReference": .object(JSONObject(["reference": .string(output)])),
                ])))
            }
            o["output"] = .array(outputs)
        }
        try writer.putResource(type: "Task", id: task.id, resource: .object(o), messageID: messageID, at: now)
    }

    /// Applies an explicit Task (filler and broker channels): creates it, or moves the stored one by the state machine.
    func applyTask(_ t: TaskFacts, patient: PatientFacts?) throws -> [Issue] {
        guard let status = TaskStatus(rawValue: t.status) else {
            throw Rejection(issues: [.error("task-status-unknown", type: "code-invalid", at: "Task.status", "Task.status is not an R4 task-status code")])
        }
        let focus = try reader.requestMatches(keys: t.focusKeys).first?.request
        let parent = try reader.task(keys: t.partOfKeys)
        var issues: [Issue] = []
        if !t.partOfKeys.isEmpty && parent == nil {
            issues.append(.warning("parent-task-unknown", type: "not-found", at: "Task.partOf", "The parent Task is not known"))
        }
        if let existing = try reader.task(keys: t.keys) {
            if existing.status != status {
                guard machine.allows(existing.status, status) else {
                    throw Rejection(issues: [machine.refusal(from: existing.status, to: status, at: "Task.status")])
                }
                if status == .completed, !channel.allowOpenSubtasks,
                   try reader.subtasks(of: existing.id).contains(where: { !$0.status.isTerminal }) {
                    throw Rejection(issues: [.error("task-open-subtasks", type: "business-rule", at: "Task.status",
                                                    "The Task cannot complete while a sub-task is open")])
                }
                try writer.appendTaskHistory(TaskTransition(taskID: existing.id, from: existing.status.rawValue, to: status.rawValue,
                                                            at: now, messageID: messageID, reason: "Task update received"))
            }
            var updated = existing
            updated.status = status
            updated.focusRequestID = focus?.id ?? existing.focusRequestID
            updated.partOf = parent?.id ?? existing.partOf
            updated.owner = t.ownerODS ?? existing.owner
            updated.requester = t.requesterODS ?? existing.requester
            updated.updatedAt = now
            try writer.updateTask(updated)
            if let source = t.resource["id"]?.string { refs.note(type: "Task", source: source, stored: existing.id) }
            let v = try writer.putResource(type: "Task", id: existing.id, resource: refs.rewrite(t.resource), messageID: messageID, at: now)
            locations?.note(t.entryIndex, type: "Task", id: existing.id, version: v)
            issues += try route(updated, version: v, ownerChanged: updated.owner != existing.owner, statusChanged: status != existing.status)
            return issues
        }
        let id = try newID(type: "Task", proposed: t.resource["id"]?.string)
        if let source = t.resource["id"]?.string { refs.note(type: "Task", source: source, stored: id) }
        let v = try writer.putResource(type: "Task", id: id, resource: refs.rewrite(t.resource), messageID: messageID, at: now)
        locations?.note(t.entryIndex, type: "Task", id: id, version: v)
        try writer.insertTask(TaskRecord(id: id, status: status, focusRequestID: focus?.id, partOf: parent?.id, owner: t.ownerODS,
                                         requester: t.requesterODS, channel: channel.name, createdAt: now, updatedAt: now),
                              keys: t.keys + [CorrelationKey.reference("Task/" + id)])
        try writer.appendTaskHistory(TaskTransition(taskID: id, from: nil, to: status.rawValue, at: now, messageID: messageID,
                                                    reason: "Task received"))
        if let created = try reader.task(id: id) {
            issues += try route(created, version: v, ownerChanged: true, statusChanged: false)
        }
        if focus == nil && !t.focusKeys.isEmpty {
            issues.append(.information("task-focus-unknown", type: "informational", at: "Task.focus",
                                       "The Task's focus is not a request Postroom holds"))
        }
        return issues
    }
}

/// Formats a ULID-style id as a UUID-shaped string for `rfc4122` identifiers.
enum UUIDText {
    static func from(_ id: String) -> String {
        let hex = SHA256Digest.hex(Array(id.utf8))
        let c = Array(hex.prefix(32))
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-4" + String(c[13..<16]) + "-a" + String(c[17..<20]) + "-" + String(c[20..<32])
    }
}

extension Applier {
    /// Option H: on a broker channel, a new Task (or one given a new owner) is sent to its owner's
    /// outbox, and every status change is sent back to the requester's outbox (routes map ODS codes
    /// to channels). A Task whose owner has no route is refused; an unassigned one waits.
    func route(_ task: TaskRecord, version: Int, ownerChanged: Bool, statusChanged: Bool) throws -> [Issue] {
        guard channel.role == .broker else { return [] }
        guard let stored = try reader.resource(type: "Task", id: task.id) else { return [] }
        let bytes = JSONWriter(pretty: true).bytes(stored)
        let name = "Task-\(task.id).v\(version).json"
        var issues: [Issue] = []
        var ownerChannel: String?
        if ownerChanged {
            if let owner = task.owner {
                guard let target = channel.routes[owner] else {
                    throw Rejection(issues: [.error("task-owner-unroutable", type: "business-rule", at: "Task.owner",
                                                    "No route is configured for the Task's owner organisation")])
                }
                ownerChannel = target
                routing.files.append((target, name, bytes))
                issues.append(.information("task-routed", "The Task was sent to its owner's channel \(target)"))
            } else {
                issues.append(.warning("task-unassigned", type: "business-rule", at: "Task.owner",
                                       "The Task has no owner yet, so it was not routed"))
            }
        }
        if statusChanged, let requester = task.requester, let target = channel.routes[requester], target != ownerChannel {
            routing.files.append((target, name, bytes))
            issues.append(.information("task-status-notified", "The status change was sent to the requester's channel \(target)"))
        }
        return issues
    }
}
