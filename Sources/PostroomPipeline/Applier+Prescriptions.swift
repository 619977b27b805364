import Foundation
import PostroomCore
import PostroomStore

/// The EPS prescription workflow (DOMAIN.md §5.4) on a broker channel with the `nhs` machine:
/// Postroom holds one Task per prescription, as EPS itself does (Option H). The decisions are
/// `PrescriptionPlanner`'s; this carries them out against the store and routes the Task to the
/// parties (the nominated pharmacy or the dispenser, and the prescriber).
extension Applier {
    /// Whether this channel runs the prescription workflow.
    var runsPrescriptions: Bool { channel.role == .broker && channel.stateMachine.name == "nhs" }

    var prescriptionMachine: TaskStateMachine { PrescriptionPlanner.machine(channel.stateMachine) }

    /// Applies an EPS message, release, return or withdrawal; nil when the message is none of
    /// these or the channel does not run the workflow.
    func applyPrescriptionMessage(_ message: InboundMessage) throws -> MessageResult? {
        guard runsPrescriptions, let rx = message.prescription else { return nil }
        do {
            let handled = Set(rx.items.compactMap(\.entryIndex) + rx.dispenses.compactMap(\.entryIndex))
            let others = try assignIDs(message.otherResources.filter { !handled.contains($0.entryIndex ?? -1) })
            let patientRef = try storePatient(message.patient)
            try storeOthers(others)
            var issues: [Issue]
            switch rx.event {
            case .order: issues = try applyOrder(rx, patient: message.patient, patientRef: patientRef)
            case .cancel: issues = try applyCancellation(rx)
            case .release: issues = try applyRelease(rx)
            case .dispense: issues = try applyDispense(rx, patientRef: patientRef)
            case .returned: issues = try applyReturn(rx)
            case .withdraw: issues = try applyWithdraw(rx)
            }
            for t in message.tasks where t.entryIndex != rx.taskEntryIndex || t.resource != rx.task {
                issues += try applyTask(t, patient: message.patient)
            }
            for task in createdTasks.list {
                issues.append(.information(.taskCreated, "Task \(task) tracks this prescription; quote it to update the Task"))
            }
            return MessageResult(disposition: .accepted, issues: message.issues + issues)
        } catch let r as Rejection {
            return MessageResult(disposition: .rejected, issues: message.issues + r.issues)
        }
    }

    /// The prescription a message names, or the refusal.
    func heldPrescription(_ rx: PrescriptionFacts) throws -> (PrescriptionRecord, TaskRecord) {
        guard let id = rx.prescriptionID else {
            throw Rejection(issues: [.error(.prescriptionIDMissing, type: "required", "The message names no short-form prescription id")])
        }
        guard let p = try reader.prescription(id: id), let task = try reader.task(id: p.taskID) else {
            throw Rejection(issues: [.error(.prescriptionUnknown, type: "not-found", "Prescription \(id) is not held by Postroom")])
        }
        return (p, task)
    }

    // MARK: - Order

    func applyOrder(_ rx: PrescriptionFacts, patient: PatientFacts?, patientRef: String?) throws -> [Issue] {
        guard let prescriptionID = rx.prescriptionID else {
            throw Rejection(issues: [.error(.prescriptionIDMissing, type: "required", "The prescription-order names no short-form prescription id")])
        }
        if try reader.prescription(id: prescriptionID) != nil {
            throw Rejection(issues: [.error(.prescriptionExists, type: "duplicate", "Prescription \(prescriptionID) is already held")])
        }
        var items: [PrescriptionItemRecord] = []
        for item in rx.items {
            let id = try newID(type: "MedicationRequest", proposed: item.resource["id"]?.string)
            noteStored(type: "MedicationRequest", item.resource, entry: item.entryIndex, as: id)
            items.append(PrescriptionItemRecord(number: item.number, medicationRequestID: id, status: "active"))
        }
        for (item, record) in zip(rx.items, items) {
            let resource = Self.withSubject(refs.rewrite(item.resource), patientRef: patientRef, patient: patient)
            let v = try writer.putResource(type: "MedicationRequest", id: record.medicationRequestID, resource: resource, messageID: messageID, at: now)
            locations?.note(item.entryIndex, type: "MedicationRequest", id: record.medicationRequestID, version: v)
        }
        let status = PrescriptionPlanner.start(nominated: rx.nominated)
        let taskID = try createPrescriptionTask(prescriptionID, items: items, rx: rx, patientRef: patientRef, status: status)
        try writer.insertPrescription(PrescriptionRecord(
            id: prescriptionID, longID: rx.longID, taskID: taskID, channel: channel.name, prescriber: rx.sender, nominated: rx.nominated,
            dispenser: nil, businessStatus: PrescriptionPlanner.BusinessStatus.toBeDispensed.rawValue,
            patientKeys: patient.map { Array($0.keys) } ?? [], createdAt: now, updatedAt: now, messageID: messageID))
        for item in items { try writer.putPrescriptionItem(prescriptionID: prescriptionID, item) }
        var issues: [Issue] = []
        if let nominated = rx.nominated {
            guard let target = channel.routes[nominated] else {
                throw Rejection(issues: [.error(.taskOwnerUnroutable, type: "business-rule", at: "MedicationRequest.dispenseRequest.performer",
                                                "No route is configured for the nominated pharmacy")])
            }
            try sendTask(taskID, to: [target])
            issues.append(.information(.taskRouted, "The prescription's Task was sent to the nominated pharmacy's channel \(target)"))
        }
        return issues
    }

    /// The Task Postroom holds for a prescription: focus the first item, every item an input,
    /// the prescription id as groupIdentifier, EPS's businessStatus.
    func createPrescriptionTask(_ prescriptionID: String, items: [PrescriptionItemRecord], rx: PrescriptionFacts, patientRef: String?,
                                status: TaskStatus) throws -> String {
        let id = ids.nextLowercase()
        writer.reserveNew(type: "Task", id: id, generated: true)
        let business = UUIDText.from(id)
        var o = JSONObject([
            "identifier": .array([.object(JSONObject(["system": .string(taskIdentifierSystem), "value": .string(business)]))]),
            "groupIdentifier": .object(JSONObject(["system": .string(PrescriptionFacts.prescriptionOrderNumberSystem),
                                                   "value": .string(prescriptionID)])),
            "status": .string(status.rawValue),
            "businessStatus": Self.businessStatus(.toBeDispensed),
            "intent": .string("order"),
            "code": .object(JSONObject(["coding": .array([.object(JSONObject([
                "system": .string("http://hl7.org/fhir/CodeSystem/task-code"), "code": .string("fulfill"),
            ]))])])),
            "authoredOn": .string(now),
            "lastModified": .string(now),
        ])
        if let first = items.first { o["focus"] = Self.reference("MedicationRequest/" + first.medicationRequestID) }
        if let patientRef { o["for"] = Self.reference(patientRef) }
        if let sender = rx.sender { o["requester"] = Self.organization(sender) }
        if let nominated = rx.nominated { o["owner"] = Self.organization(nominated) }
        o["input"] = .array(items.map { item in .object(JSONObject([
            "type": .object(JSONObject(["text": .string("Prescription item")])),
            "valueReference": Self.reference("MedicationRequest/" + item.medicationRequestID),
        ])) })
        try writer.putResource(type: "Task", id: id, resource: .object(o), messageID: messageID, at: now)
        try writer.insertTask(TaskRecord(id: id, status: status, owner: rx.nominated, requester: rx.sender, channel: channel.name,
                                         createdAt: now, updatedAt: now),
                              keys: [CorrelationKey.reference("Task/" + id), CorrelationKey.identifier(system: taskIdentifierSystem, value: business)])
        let why = "prescription \(prescriptionID) received" + (rx.nominated.map { ", nominated pharmacy \($0)" } ?? ", no nominated pharmacy")
        try writer.appendTaskHistory(TaskTransition(taskID: id, from: nil, to: status.rawValue, at: now, messageID: messageID, reason: why))
        createdTasks.list.append(taskIdentifierSystem + "|" + business)
        return id
    }

    // MARK: - Release, cancellation, return

    func applyRelease(_ rx: PrescriptionFacts) throws -> [Issue] {
        let (p, task) = try heldPrescription(rx)
        guard let owner = rx.owner else {
            throw Rejection(issues: [.error(.prescriptionNotWithDispenser, type: "business-rule", at: "Parameters.parameter",
                                            "The release names no dispensing organisation (owner)")])
        }
        let plan = PrescriptionPlanner.release(.init(status: task.status, dispenser: p.dispenser), to: owner, machine: prescriptionMachine)
        return try carryOut(plan, prescription: p, task: task)
    }

    func applyCancellation(_ rx: PrescriptionFacts) throws -> [Issue] {
        let (p, task) = try heldPrescription(rx)
        let items = try reader.prescriptionItems(prescriptionID: p.id)
        let named = Set(rx.items.map(\.number))
        let remaining = items.filter { !named.contains($0.number) && $0.status != "cancelled" }
        if !remaining.isEmpty && task.status != .accepted && task.status != .inProgress {
            // Some items only: those are cancelled, the prescription goes on.
            for item in items where named.contains(item.number) { try setItemStatus(item, prescriptionID: p.id, to: "cancelled") }
            return [.information(.prescriptionCancelled, "The named items were cancelled; \(remaining.count) item(s) of the prescription remain")]
        }
        let plan = PrescriptionPlanner.cancel(.init(status: task.status, dispenser: p.dispenser), reason: rx.reason, machine: prescriptionMachine)
        return try carryOut(plan, prescription: p, task: task)
    }

    func applyReturn(_ rx: PrescriptionFacts) throws -> [Issue] {
        let (p, task) = try heldPrescription(rx)
        let plan = PrescriptionPlanner.returned(.init(status: task.status, dispenser: p.dispenser), sender: rx.owner ?? rx.sender,
                                                reason: rx.reason, machine: prescriptionMachine)
        let issues = try carryOut(plan, prescription: p, task: task)
        try storeReceivedTask(rx)
        return issues
    }

    /// Keeps a return or withdraw Task as it came (readable by id), beside the prescription's own Task.
    func storeReceivedTask(_ rx: PrescriptionFacts) throws {
        guard let task = rx.task else { return }
        let id = try newID(type: "Task", proposed: task["id"]?.string)
        let v = try writer.putResource(type: "Task", id: id, resource: refs.rewrite(task), messageID: messageID, at: now)
        locations?.note(rx.taskEntryIndex, type: "Task", id: id, version: v)
    }

    // MARK: - Carrying out

    /// Carries out a plan: the Task moved (every step in its history, with this message), its
    /// businessStatus and owner set, the items' status changed, the parties sent the new Task.
    func carryOut(_ outcome: PrescriptionPlanner.Outcome, prescription p: PrescriptionRecord, task: TaskRecord) throws -> [Issue] {
        let plan: PrescriptionPlanner.Plan
        switch outcome {
        case .refused(let issue): throw Rejection(issues: [issue])
        case .plan(let made): plan = made
        }
        var from = task.status
        let steps = plan.path.isEmpty ? [task.status] : plan.path
        for (i, step) in steps.enumerated() {
            let why = i == steps.count - 1 ? plan.reason : "implied by: \(plan.reason)"
            try writer.appendTaskHistory(TaskTransition(taskID: task.id, from: from.rawValue, to: step.rawValue, at: now,
                                                        messageID: messageID, reason: why + " (businessStatus \(plan.businessStatus.rawValue))"))
            from = step
        }
        var updated = task
        updated.status = steps.last ?? task.status
        updated.owner = plan.dispenser ?? p.nominated.flatMap { updated.status == .requested ? $0 : nil }
        updated.updatedAt = now
        try writer.updateTask(updated)
        try writer.updatePrescription(id: p.id, dispenser: plan.dispenser, businessStatus: plan.businessStatus.rawValue, at: now)
        try saveTaskResource(updated, plan: plan)
        if let status = plan.itemStatus {
            for item in try reader.prescriptionItems(prescriptionID: p.id) where item.status != "cancelled" || status == "cancelled" {
                try setItemStatus(item, prescriptionID: p.id, to: status)
            }
        }
        // The prescriber, whoever held it (the nominated pharmacy while requested, the dispenser) and whoever holds it now.
        let holder = task.status == .requested ? p.nominated : p.dispenser
        let parties = [p.prescriber, holder, plan.dispenser].compactMap { $0 }.compactMap { channel.routes[$0] }
        var seen: Set<String> = []
        try sendTask(task.id, to: parties.filter { seen.insert($0).inserted })
        return plan.notes
    }

    func saveTaskResource(_ task: TaskRecord, plan: PrescriptionPlanner.Plan) throws {
        guard let stored = try reader.resource(type: "Task", id: task.id), var o = stored.object else { return }
        o["meta"] = nil
        o["status"] = .string(task.status.rawValue)
        o["businessStatus"] = Self.businessStatus(plan.businessStatus)
        o["lastModified"] = .string(now)
        o["owner"] = task.owner.map(Self.organization)
        o["statusReason"] = plan.statusReason.map { .object(JSONObject(["text": .string($0)])) }
        if task.status == .completed, o["executionPeriod"] == nil { o["executionPeriod"] = .object(JSONObject(["end": .string(now)])) }
        try writer.putResource(type: "Task", id: task.id, resource: .object(o), messageID: messageID, at: now)
    }

    func setItemStatus(_ item: PrescriptionItemRecord, prescriptionID: String, to status: String) throws {
        guard item.status != status else { return }
        if let stored = try reader.resource(type: "MedicationRequest", id: item.medicationRequestID), var o = stored.object {
            o["meta"] = nil
            o["status"] = .string(status)
            try writer.putResource(type: "MedicationRequest", id: item.medicationRequestID, resource: .object(o), messageID: messageID, at: now)
        }
        try writer.putPrescriptionItem(prescriptionID: prescriptionID, PrescriptionItemRecord(number: item.number,
                                                                                           medicationRequestID: item.medicationRequestID, status: status))
    }

    /// Queues the Task's current version for each channel.
    func sendTask(_ taskID: String, to channels: [String]) throws {
        guard !channels.isEmpty, let stored = try reader.resource(type: "Task", id: taskID) else { return }
        let version = stored["meta"]?["versionId"]?.string ?? "1"
        let bytes = JSONWriter(pretty: true).bytes(stored)
        for target in channels { routing.files.append((target, "Task-\(taskID).v\(version).json", bytes)) }
    }

    // MARK: - Building blocks

    static func reference(_ ref: String) -> JSONValue { .object(JSONObject(["reference": .string(ref)])) }

    static func organization(_ ods: String) -> JSONValue {
        .object(JSONObject(["identifier": .object(JSONObject(["system": .string("https://fhir.nhs.uk/Id/ods-organization-code"),
                                                              "value": .string(ods)]))]))
    }

    static func businessStatus(_ s: PrescriptionPlanner.BusinessStatus) -> JSONValue {
        .object(JSONObject(["coding": .array([.object(JSONObject([
            "system": .string(PrescriptionFacts.businessStatusSystem), "code": .string(s.rawValue), "display": .string(s.display),
        ]))])]))
    }

    /// The resource with its subject pointing at the stored patient (its NHS number beside the reference).
    static func withSubject(_ resource: JSONValue, patientRef: String?, patient: PatientFacts?) -> JSONValue {
        guard let patientRef, var o = resource.object else { return resource }
        var subject = JSONObject(["reference": .string(patientRef)])
        if let nhs = patient?.nhsNumber {
            subject["identifier"] = .object(JSONObject(["system": .string(NHSNumber.system), "value": .string(nhs)]))
        }
        o["subject"] = .object(subject)
        return .object(o)
    }
}
