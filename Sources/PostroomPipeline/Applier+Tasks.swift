import Foundation
import PostroomCore
import PostroomDigest
import PostroomStore

extension Applier {
    /// Creates a Task for a request (Option F) and records its first history line. The Task carries
    /// Postroom's business identifier (`taskIdentifierSystem`), by which a filler can address it.
    /// A sub-task (`partOf`) is not one of its focus request's own Tasks: its record names the parent only.
    /// `customize` adds to the resource (e.g. a referral's businessStatus and code).
    @discardableResult
    func createTask(focusRequestID: String, patientRef: String?, requester: JSONValue?, owner: JSONValue? = nil, status: TaskStatus,
                    reason: String, partOf: String? = nil, requesterODS: String? = nil,
                    customize: (inout JSONObject) -> Void = { _ in }) throws -> String {
        let id = ids.nextLowercase()
        writer.reserveNew(type: "Task", id: id, generated: true)
        let business = UUIDText.from(id)
        var o = JSONObject([
            "identifier": .array([.object(JSONObject(["system": .string(taskIdentifierSystem), "value": .string(business)]))]),
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
        if let owner { o["owner"] = owner }
        if let partOf { o["partOf"] = .array([.object(JSONObject(["reference": .string("Task/" + partOf)]))]) }
        customize(&o)
        try writer.putResource(type: "Task", id: id, resource: .object(o), messageID: messageID, at: now)
        try writer.insertTask(TaskRecord(id: id, status: status, focusRequestID: partOf == nil ? focusRequestID : nil, partOf: partOf,
                                         owner: owner?["identifier"]?["value"]?.string, requester: requesterODS,
                                         channel: channel.name, createdAt: now, updatedAt: now),
                              keys: [CorrelationKey.reference("Task/" + id), CorrelationKey.identifier(system: taskIdentifierSystem, value: business)])
        try writer.appendTaskHistory(TaskTransition(taskID: id, from: nil, to: status.rawValue, at: now, messageID: messageID, reason: reason))
        createdTasks.list.append(taskIdentifierSystem + "|" + business)
        return id
    }

    /// The request's Tasks as the planner sees them (whether each has an open sub-task only when
    /// `subtasks` asks: a final report on a channel that does not allow open sub-tasks), with the records.
    func openTasks(of requestID: String, subtasks: Bool = false) throws -> (planned: [TaskPlanner.OpenTask], records: [String: TaskRecord]) {
        let tasks = try reader.tasks(focusRequestID: requestID)
        var records: [String: TaskRecord] = [:]
        var planned: [TaskPlanner.OpenTask] = []
        for task in tasks {
            records[task.id] = task
            let open = subtasks && !task.status.isTerminal ? try reader.subtasks(of: task.id).contains { !$0.status.isTerminal } : false
            planned.append(.init(id: task.id, status: task.status, hasOpenSubtasks: open))
        }
        return (planned, records)
    }

    /// Carries out a Task plan; a refusal rejects the message.
    func carryOut(_ plan: TaskPlanner.Outcome, records: [String: TaskRecord]) throws -> [Issue] {
        var issues: [Issue] = []
        switch plan {
        case .refused(let refusal):
            throw Rejection(issues: [refusal])
        case .steps(let steps):
            for step in steps {
                switch step {
                case .note(let issue):
                    issues.append(issue)
                case .move(let taskID, let path, let reason, let statusReason, let output):
                    guard let task = try records[taskID] ?? reader.task(id: taskID) else { continue }
                    try transition(task, along: path, reason: reason, statusReason: statusReason, output: output)
                }
            }
        }
        return issues
    }

    /// Moves every open Task of a request to `target` along allowed steps; refuses the message when a step is not allowed.
    func moveTasks(of requestID: String, to target: TaskStatus, reason: String, statusReason: String? = nil) throws -> [Issue] {
        let tasks = try openTasks(of: requestID)
        return try carryOut(TaskPlanner.move(tasks: tasks.planned, to: target, reason: reason, statusReason: statusReason, machine: machine),
                            records: tasks.records)
    }

    /// Cancels the request's Tasks: `cancelled` before work started, `failed` after (DOMAIN.md §2.2).
    func cancelTasks(of requestID: String, reason: String?) throws -> [Issue] {
        let tasks = try openTasks(of: requestID)
        return try carryOut(TaskPlanner.cancel(tasks: tasks.planned, reason: reason, machine: machine), records: tasks.records)
    }

    /// Moves the request's Tasks for a report (see `TaskPlanner.forReport`).
    func advanceTasks(requestID: String, reportType: String, reportID: String, status: String) throws -> [Issue] {
        let final = ReportFacts.finalStatuses.contains(status)
        let tasks = try openTasks(of: requestID, subtasks: final && !channel.allowOpenSubtasks)
        return try carryOut(TaskPlanner.forReport(status: status, reference: reportType + "/" + reportID, tasks: tasks.planned,
                                                  machine: machine, allowOpenSubtasks: channel.allowOpenSubtasks), records: tasks.records)
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
                    "type": .object(JSONObject(["text": .string(Self.outputLabel(output))])),
                    "valueReference": .object(JSONObject(["reference": .string(output)])),
                ])))
            }
            o["output"] = .array(outputs)
        }
        try writer.putResource(type: "Task", id: task.id, resource: .object(o), messageID: messageID, at: now)
    }

    /// How a Task's output is labelled: a document, an appointment (a booking sub-task) or a result.
    static func outputLabel(_ reference: String) -> String {
        if reference.hasPrefix("DocumentReference/") { return "Document" }
        return reference.hasPrefix("Appointment/") ? "Appointment" : "Result"
    }

    /// Applies an explicit Task (filler and broker channels): creates it, or moves the stored one by the state machine.
    func applyTask(_ t: TaskFacts, patient: PatientFacts?) throws -> [Issue] {
        guard let status = TaskStatus(rawValue: t.status) else {
            throw Rejection(issues: [.error(.taskStatusUnknown, type: "code-invalid", at: "Task.status", "Task.status is not an R4 task-status code")])
        }
        if let referral = try applyReferralTask(t) { return referral }
        let focus = try reader.requestMatches(keys: t.focusKeys).first?.request
        let parent = try reader.task(keys: t.partOfKeys)
        var issues: [Issue] = []
        if !t.partOfKeys.isEmpty && parent == nil {
            issues.append(.warning(.parentTaskUnknown, type: "not-found", at: "Task.partOf", "The parent Task is not known"))
        }
        if let existing = try addressedTask(t, focus: focus) {
            try writer.addTaskKeys(t.keys, taskID: existing.id)
            if existing.status != status {
                guard machine.allows(existing.status, status) else {
                    throw Rejection(issues: [machine.refusal(from: existing.status, to: status, at: "Task.status")])
                }
                if status == .completed, !channel.allowOpenSubtasks,
                   try reader.subtasks(of: existing.id).contains(where: { !$0.status.isTerminal }) {
                    throw Rejection(issues: [.error(.taskOpenSubtasks, type: "business-rule", at: "Task.status",
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
            noteStored(type: "Task", t.resource, entry: t.entryIndex, as: existing.id)
            let stored = try reader.resource(type: "Task", id: existing.id)
            let v = try writer.putResource(type: "Task", id: existing.id, resource: Self.keepingIdentifiers(of: stored, in: refs.rewrite(t.resource)),
                                           messageID: messageID, at: now)
            locations?.note(t.entryIndex, type: "Task", id: existing.id, version: v)
            issues += try route(updated, version: v, ownerChanged: updated.owner != existing.owner, statusChanged: status != existing.status)
            return issues
        }
        let id = try newID(type: "Task", proposed: t.resource["id"]?.string)
        noteStored(type: "Task", t.resource, entry: t.entryIndex, as: id)
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
            issues.append(.information(.taskFocusUnknown, type: "informational", at: "Task.focus",
                                       "The Task's focus is not a request Postroom holds"))
        }
        return issues
    }
}

extension Applier {
    /// The stored Task a received Task is about (see `TaskPlanner.address`): by its own keys, or —
    /// for a Task that is not a sub-task — the one open Task Postroom made for its focus request.
    func addressedTask(_ t: TaskFacts, focus: RequestRecord?) throws -> TaskRecord? {
        if let byKeys = try reader.task(keys: t.keys) { return byKeys }
        guard let focus else { return nil }
        var madeHere: [TaskPlanner.OpenTask] = []
        for task in try reader.tasks(focusRequestID: focus.id) {
            let ids = try reader.resource(type: "Task", id: task.id)?["identifier"]?.array ?? []
            if ids.contains(where: { $0["system"]?.string == taskIdentifierSystem }) {
                madeHere.append(.init(id: task.id, status: task.status))
            }
        }
        let target = TaskPlanner.address(byKeys: nil, isSubtask: !t.partOfKeys.isEmpty, focusTasks: madeHere)
        return try target.flatMap { try reader.task(id: $0) }
    }

    /// The received Task, with the identifiers of the stored one it lacks added back (a filler's
    /// update that leaves out Postroom's business identifier does not make the Task unaddressable).
    static func keepingIdentifiers(of stored: JSONValue?, in received: JSONValue) -> JSONValue {
        guard let old = stored?["identifier"]?.array, !old.isEmpty, var o = received.object else { return received }
        var list = o["identifier"]?.array ?? []
        for id in old where !list.contains(where: { $0["system"]?.string == id["system"]?.string && $0["value"]?.string == id["value"]?.string }) {
            list.append(id)
        }
        o["identifier"] = .array(list)
        return .object(o)
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
                    throw Rejection(issues: [.error(.taskOwnerUnroutable, type: "business-rule", at: "Task.owner",
                                                    "No route is configured for the Task's owner organisation")])
                }
                ownerChannel = target
                routing.files.append((target, name, bytes))
                issues.append(.information(.taskRouted, "The Task was sent to its owner's channel \(target)"))
            } else {
                issues.append(.warning(.taskUnassigned, type: "business-rule", at: "Task.owner",
                                       "The Task has no owner yet, so it was not routed"))
            }
        }
        if statusChanged, let requester = task.requester, let target = channel.routes[requester], target != ownerChannel {
            routing.files.append((target, name, bytes))
            issues.append(.information(.taskStatusNotified, "The status change was sent to the requester's channel \(target)"))
        }
        return issues
    }
}
