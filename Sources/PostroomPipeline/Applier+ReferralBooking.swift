import Foundation
import PostroomCore
import PostroomStore

/// The booking sub-task of an eRS referral's Task (`partOf`): opened on acceptance, completed with
/// the Appointment as output when the referral is booked — by an Appointment, or by the booking
/// system completing the sub-task itself.
extension Applier {
    /// The booking sub-task completed by the booking system — a Task naming the sub-task (its business
    /// identifier or id), or a sub-task `partOf` the referral's Task — with the Appointment as output:
    /// the referral is booked (the Appointment, when in the same message, is linked after it).
    func applyBookingTask(_ t: TaskFacts) throws -> [Issue]? {
        guard t.status == "completed", let appointment = bookedAppointment(t.resource) else { return nil }
        let referralTask: TaskRecord?
        var subtask: TaskRecord?
        if let byKeys = try reader.task(keys: t.keys), let parent = byKeys.partOf {
            referralTask = try reader.task(id: parent)
            subtask = byKeys
        } else {
            referralTask = t.partOfKeys.isEmpty ? nil : try reader.task(keys: t.partOfKeys)
        }
        guard let referralTask, let target = try referral(ofTask: referralTask) else { return nil }
        if subtask == nil { subtask = try reader.subtasks(of: referralTask.id).last { !$0.status.isTerminal } }
        if let subtask {
            try writer.addTaskKeys(t.keys, taskID: subtask.id)
            noteStored(type: "Task", t.resource, entry: t.entryIndex, as: subtask.id)
        }
        let applied = try applyReferralOutcome(.booked(appointment: appointment), request: target.request, task: target.task)
        let completed = try reader.subtasks(of: referralTask.id).last?.id
        if let id = subtask?.id ?? completed {
            locations?.note(t.entryIndex, type: "Task", id: id, version: try reader.resourceVersion(type: "Task", id: id) ?? 1)
        }
        return applied.issues
    }

    /// The Appointment a completed booking Task gives as its output (`Appointment/<id>` as stored).
    func bookedAppointment(_ task: JSONValue) -> String? {
        for output in task["output"]?.array ?? [] {
            guard let ref = output["valueReference"]?["reference"]?.string else { continue }
            let stored = refs.resolved(ref) ?? ref
            if stored.hasPrefix("Appointment/") { return stored }
        }
        return nil
    }

    /// Opens the booking sub-task (`partOf` the referral's Task), or completes it with the Appointment.
    func bookingSubtask(_ step: ReferralPlanner.Subtask, parent: TaskRecord, requestID: String) throws -> [Issue] {
        let open = try reader.subtasks(of: parent.id).last { !$0.status.isTerminal }
        switch step {
        case .none:
            return []
        case .open:
            if open == nil { _ = try createBookingTask(parent: parent, requestID: requestID) }
            return []
        case .cancel:
            if let open {
                let target: TaskStatus = machine.allows(open.status, .cancelled) ? .cancelled : .failed
                try transition(open, along: [target], reason: "referral cancelled", statusReason: "Referral cancelled")
            }
            return []
        case .complete(let output):
            // The same Appointment again (a resend) completes nothing more.
            for done in try reader.subtasks(of: parent.id) where done.status == .completed {
                let outputs = try reader.resource(type: "Task", id: done.id)?["output"]?.array ?? []
                if outputs.contains(where: { $0["valueReference"]?["reference"]?.string == output }) { return [] }
            }
            let sub = try open ?? createBookingTask(parent: parent, requestID: requestID)
            guard let path = machine.path(from: sub.status, to: .completed) else {
                return [machine.refusal(from: sub.status, to: .completed)].map { .warning(.taskInvalidTransition, type: "business-rule", $0.text) }
            }
            try transition(sub, along: path, reason: "appointment booked: " + output, output: output)
            return []
        }
    }

    func createBookingTask(parent: TaskRecord, requestID: String) throws -> TaskRecord {
        let parentResource = try reader.resource(type: "Task", id: parent.id)
        let id = try createTask(focusRequestID: requestID, patientRef: parentResource?["for"]?["reference"]?.string, requester: nil,
                                status: .requested, reason: "booking sub-task of the referral's Task", partOf: parent.id) { o in
            o["code"] = Self.bookingTaskCode
            o["description"] = "Book an appointment for the referral"
        }
        guard let created = try reader.task(id: id) else { throw Rejection(issues: []) }
        return created
    }
}
