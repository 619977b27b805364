import Foundation
import PostroomCore
import PostroomStore

/// eRS-style referrals (DOMAIN.md §5.5): the referral's Task, its triage outcomes and its booking,
/// carried out as `ReferralPlanner` decides. A referral here is a referral ServiceRequest with a UBRN.
extension Applier {
    /// SNOMED CT 413292001 "Assessment for referral": the referral Task's code (NHS England Task guidance).
    static let referralTaskCode: JSONValue = [
        "coding": [["system": "http://snomed.info/sct", "code": "413292001", "display": "Assessment for referral"]],
    ]
    /// The booking sub-task's code.
    static let bookingTaskCode: JSONValue = [
        "coding": [["system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill"]], "text": "Book appointment",
    ]

    /// The referral's Task: `requested` / `AWAITING_TRIAGE`, its requester's ODS code kept for notices (Option H).
    func createReferralTask(requestID: String, request: JSONValue, patientRef: String?) throws {
        try createTask(focusRequestID: requestID, patientRef: patientRef, requester: request["requester"], owner: Self.owner(of: request),
                       status: .requested, reason: "new referral: awaiting triage",
                       requesterODS: Self.odsValue(request["requester"]?["identifier"])) { o in
            o["code"] = Self.referralTaskCode
            o["businessStatus"] = ReferralPlanner.businessStatus(.awaitingTriage)
            o["reasonCode"] = ["coding": [["system": "http://snomed.info/sct", "code": "3457005", "display": "Patient referral"]]]
        }
    }

    static func odsValue(_ identifier: JSONValue?) -> String? {
        guard let system = identifier?["system"]?.string, system == PostroomCore.FHIRIdentifierRules.odsOrganizationSystem
            || system == PostroomCore.FHIRIdentifierRules.odsSiteSystem else { return nil }
        return identifier?["value"]?.string
    }

    // MARK: - Finding the referral

    /// The request and Task of an eRS referral, when `task` is such a referral's own Task (not a sub-task).
    func referral(ofTask task: TaskRecord) throws -> (request: RequestRecord, task: TaskRecord)? {
        guard task.partOf == nil, let focus = task.focusRequestID, let request = try reader.request(id: focus),
              try isERSReferral(request) else { return nil }
        return (request, task)
    }

    /// The eRS referral `keys` name: a request by its keys (the UBRN in any spelling, its placer
    /// number, `ServiceRequest/<id>`), or a Task by its keys (its business identifier or id).
    func referralTarget(keys: [String]) throws -> (request: RequestRecord, task: TaskRecord)? {
        for match in try reader.requestMatches(keys: keys) where try isERSReferral(match.request) {
            if let task = try referralTask(of: match.request.id) { return (match.request, task) }
        }
        guard let task = try reader.task(keys: keys) else { return nil }
        return try referral(ofTask: task)
    }

    func isERSReferral(_ request: RequestRecord) throws -> Bool {
        guard request.isReferral else { return false }
        return try reader.requestKeys(requestID: request.id).contains { $0.hasPrefix("ns|\(ReferralPlanner.ubrnNamespace)|") }
    }

    /// The referral's own Task (the newest that is not a sub-task).
    func referralTask(of requestID: String) throws -> TaskRecord? {
        try reader.tasks(focusRequestID: requestID).last { $0.partOf == nil }
    }

    // MARK: - Outcomes as they arrive

    /// An event on a referral in a request message (v2 RRI^I12 RF1-1 `A`/`R`); nil when the
    /// message is not about an eRS referral (the request workflow applies it).
    func applyReferralEvent(_ r: RequestFacts, patient: PatientFacts?, patientRef: String?) throws -> [Issue]? {
        guard r.isReferral, let outcome = ReferralPlanner.outcome(ofEvent: r.event),
              let target = try referralTarget(keys: r.keys) else { return nil }
        if let patient, !patient.isEmpty,
           PatientMatch.compare(writer.identity.canonical(patient.keys), writer.identity.canonical(target.request.patientKeys)) == .different {
            throw Rejection(issues: [.error(.patientMismatch, type: "business-rule", "The message names a referral of a different patient")])
        }
        if case .cancelled = outcome { try updateRequest(target.request, with: r, patientRef: patientRef, status: .revoked) }
        return try applyReferralOutcome(outcome, request: target.request, task: target.task).issues
    }

    /// A FHIR Task update on a referral's Task, addressed by its business identifier or id, or by
    /// its focus (the referral's UBRN or id); nil when it is not one (the Task workflow applies it).
    func applyReferralTask(_ t: TaskFacts) throws -> [Issue]? {
        if let booked = try applyBookingTask(t) { return booked }
        guard let outcome = ReferralPlanner.outcome(ofTask: t.resource) else { return nil }
        let target: (request: RequestRecord, task: TaskRecord)?
        if let byKeys = try reader.task(keys: t.keys) {
            target = try referral(ofTask: byKeys)
        } else {
            target = t.partOfKeys.isEmpty ? try referralTarget(keys: t.focusKeys) : nil
        }
        guard let target else { return nil }
        try writer.addTaskKeys(t.keys, taskID: target.task.id)
        noteStored(type: "Task", t.resource, entry: t.entryIndex, as: target.task.id)
        // The provider's own notes are kept (the advice of a return is the plan's note already).
        var notes = (t.resource["note"]?.array ?? []).compactMap { $0["text"]?.string }
        if case .returnWithAdvice = outcome { notes = [] }
        let applied = try applyReferralOutcome(outcome, request: target.request, task: target.task, notes: notes)
        locations?.note(t.entryIndex, type: "Task", id: target.task.id, version: applied.version)
        return applied.issues
    }

    /// Carries out one outcome: the Task's move and businessStatus, the booking sub-task, and on a
    /// broker channel the notice to the referrer's channel. A refusal rejects the message.
    func applyReferralOutcome(_ outcome: ReferralPlanner.Outcome, request: RequestRecord, task: TaskRecord,
                              notes: [String] = []) throws -> (issues: [Issue], version: Int) {
        switch ReferralPlanner.plan(outcome, current: task.status, machine: machine) {
        case .refused(let issue):
            throw Rejection(issues: [issue])
        case .plan(var plan):
            plan.notes += notes
            let stored = try reader.resource(type: "Task", id: task.id)
            if plan.path.isEmpty, plan.notes.isEmpty, plan.statusReason == nil,
               ReferralPlanner.businessStatus(of: stored) == plan.state.rawValue {
                // Said before (a resend): nothing changes, nobody is told again.
                let issues = try bookingSubtask(plan.subtask, parent: task, requestID: request.id)
                return ([.information(.referralTriaged, "The referral's Task is already \(task.status.rawValue) (\(plan.state.rawValue))")] + issues,
                        try reader.resourceVersion(type: "Task", id: task.id) ?? 1)
            }
            let version = try moveReferralTask(task, plan)
            var issues: [Issue] = [.information(.referralTriaged,
                "The referral's Task is now \(plan.path.last?.rawValue ?? task.status.rawValue) (\(plan.state.rawValue))")]
            issues += try bookingSubtask(plan.subtask, parent: task, requestID: request.id)
            if let updated = try reader.task(id: task.id) {
                issues += try route(updated, version: version, ownerChanged: false, statusChanged: true)
            }
            return (issues, version)
        }
    }

    /// Records the plan's steps in the Task's history (one line when only the businessStatus
    /// changes) and saves the Task with its status, businessStatus, statusReason and note.
    func moveReferralTask(_ task: TaskRecord, _ plan: ReferralPlanner.Plan) throws -> Int {
        let reason = "\(plan.reason) [\(plan.state.rawValue)]"
        var from = task.status
        let steps = plan.path.isEmpty ? [task.status] : plan.path
        for (i, step) in steps.enumerated() {
            try writer.appendTaskHistory(TaskTransition(taskID: task.id, from: from.rawValue, to: step.rawValue, at: now,
                                                        messageID: messageID, reason: i == steps.count - 1 ? reason : "implied by: " + reason))
            from = step
        }
        var updated = task
        updated.status = from
        updated.updatedAt = now
        try writer.updateTask(updated)
        var o = try reader.resource(type: "Task", id: task.id)?.object ?? JSONObject()
        o["meta"] = nil
        o["status"] = .string(from.rawValue)
        o["businessStatus"] = ReferralPlanner.businessStatus(plan.state)
        o["lastModified"] = .string(now)
        if let statusReason = plan.statusReason {
            o["statusReason"] = ["text": .string(statusReason)]
        } else if !plan.path.isEmpty {
            o["statusReason"] = nil
        }
        if !plan.notes.isEmpty {
            o["note"] = .array((o["note"]?.array ?? []) + plan.notes.map { ["time": .string(now), "text": .string($0)] })
        }
        return try writer.putResource(type: "Task", id: task.id, resource: .object(o), messageID: messageID, at: now)
    }
}
