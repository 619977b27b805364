import Foundation
import PostroomCore
import PostroomStore

/// Dispense notifications and their withdrawal (EPS, DOMAIN.md §5.4): MedicationDispenses stored and
/// linked to the items they dispense, partial dispenses accumulated, a replacement kept as a new
/// version of what it replaces, a withdrawal retracting a notification.
extension Applier {
    func applyDispense(_ rx: PrescriptionFacts, patientRef: String?) throws -> [Issue] {
        let (p, task) = try heldPrescription(rx)
        let items = try reader.prescriptionItems(prescriptionID: p.id)
        let notifications = try reader.dispenseNotifications(prescriptionID: p.id).filter { $0.state == "current" }
        var replaced: DispenseNotificationRecord?
        if let old = rx.replacementOf {
            guard let found = notifications.first(where: { $0.id == old }) else {
                throw Rejection(issues: [.error(.dispenseNotificationUnknown, type: "not-found", at: "MessageHeader.extension",
                                                "The dispense notification it replaces is not a current one of prescription \(p.id)")])
            }
            replaced = found
        }
        let kept = notifications.filter { $0.id != replaced?.id }
        var dispensed = Self.dispensedItems(kept)
        for d in rx.dispenses { if let n = d.itemNumber { dispensed[n, default: []].append(d.typeCode) } }
        let allDone = PrescriptionPlanner.allDispensed(items: Self.open(items), dispensed: dispensed)
        let plan = PrescriptionPlanner.dispense(.init(status: task.status, dispenser: p.dispenser), sender: rx.sender, allDone: allDone,
                                                replacement: replaced != nil, machine: prescriptionMachine)
        if case .refused(let issue) = plan { throw Rejection(issues: [issue]) }
        var stored: [DispenseNotificationRecord.Dispensed] = []
        for d in rx.dispenses {
            let reuse = replaced?.dispenses.first { $0.itemNumber != nil && $0.itemNumber == d.itemNumber && !stored.map(\.dispenseID).contains($0.dispenseID) }
            let id = try reuse?.dispenseID ?? newID(type: "MedicationDispense", proposed: d.resource["id"]?.string)
            let item = items.first { $0.number == d.itemNumber }
            var resource = Self.linking(refs.rewrite(d.resource), to: item)
            resource = resource.settingReference("subject", to: patientRef)
            let v = try writer.putResource(type: "MedicationDispense", id: id, resource: resource, messageID: messageID, at: now)
            locations?.note(d.entryIndex, type: "MedicationDispense", id: id, version: v)
            stored.append(.init(dispenseID: id, itemNumber: d.itemNumber, typeCode: d.typeCode))
        }
        if let replaced {
            try writer.setDispenseNotificationState(id: replaced.id, state: "replaced")
            try retract(replaced.dispenses.filter { old in !stored.contains { $0.dispenseID == old.dispenseID } })
        }
        try writer.insertDispenseNotification(DispenseNotificationRecord(
            id: rx.notificationID ?? messageID, prescriptionID: p.id, state: "current", replaces: replaced?.id, sender: rx.sender,
            at: now, messageID: messageID, dispenses: stored))
        var issues = try carryOut(plan, prescription: p, task: task)
        if let replaced { issues.append(.information(.dispenseNotificationReplaced, "Dispense notification \(replaced.id) is replaced; its dispenses are kept as earlier versions")) }
        return issues
    }

    func applyWithdraw(_ rx: PrescriptionFacts) throws -> [Issue] {
        let (p, task) = try heldPrescription(rx)
        let items = try reader.prescriptionItems(prescriptionID: p.id)
        let current = try reader.dispenseNotifications(prescriptionID: p.id).filter { $0.state == "current" }
        let target = rx.focusIdentifier.map { id in current.first { $0.id == id } } ?? current.last
        guard let target else {
            throw Rejection(issues: [.error(.dispenseNotificationUnknown, type: "not-found", at: "Task.focus",
                                            "The withdrawal names no current dispense notification of prescription \(p.id)")])
        }
        let remaining = current.filter { $0.id != target.id }
        let allDone = PrescriptionPlanner.allDispensed(items: Self.open(items), dispensed: Self.dispensedItems(remaining))
        let plan = PrescriptionPlanner.withdraw(.init(status: task.status, dispenser: p.dispenser), sender: rx.owner ?? rx.sender,
                                                remaining: !remaining.isEmpty, allDone: allDone, machine: prescriptionMachine)
        if case .refused(let issue) = plan { throw Rejection(issues: [issue]) }
        try writer.setDispenseNotificationState(id: target.id, state: "withdrawn")
        try retract(target.dispenses)
        let issues = try carryOut(plan, prescription: p, task: task)
        try storeReceivedTask(rx)
        return issues + [.information(.dispenseNotificationWithdrawn, "Dispense notification \(target.id) is withdrawn; its dispenses are marked entered-in-error")]
    }

    /// Marks dispenses as retracted: a new version `entered-in-error` (the earlier versions stay).
    func retract(_ dispenses: [DispenseNotificationRecord.Dispensed]) throws {
        for d in dispenses {
            guard let stored = try reader.resource(type: "MedicationDispense", id: d.dispenseID), var o = stored.object else { continue }
            o["meta"] = nil
            o["status"] = .string("entered-in-error")
            try writer.putResource(type: "MedicationDispense", id: d.dispenseID, resource: .object(o), messageID: messageID, at: now)
        }
    }

    /// Item number → the dispense types the notifications recorded for it.
    static func dispensedItems(_ notifications: [DispenseNotificationRecord]) -> [String: [String?]] {
        var out: [String: [String?]] = [:]
        for n in notifications {
            for d in n.dispenses { if let item = d.itemNumber { out[item, default: []].append(d.typeCode) } }
        }
        return out
    }

    /// The items still to dispense (cancelled ones are not).
    static func open(_ items: [PrescriptionItemRecord]) -> [String] {
        items.filter { $0.status != "cancelled" }.map(\.number)
    }

    /// The dispense with `authorizingPrescription` naming the stored MedicationRequest of its item
    /// (beside the contained copy EPS sends).
    static func linking(_ dispense: JSONValue, to item: PrescriptionItemRecord?) -> JSONValue {
        guard let item, var o = dispense.object else { return dispense }
        let ref = "MedicationRequest/" + item.medicationRequestID
        var list = o["authorizingPrescription"]?.array ?? []
        if !list.contains(where: { $0["reference"]?.string == ref }) { list.append(reference(ref)) }
        o["authorizingPrescription"] = .array(list)
        return .object(o)
    }
}
