import Foundation
import PostroomCore
import PostroomStore

/// The prescriptions (EPS, on a broker channel) in `postroom requests`: each with its Task and
/// businessStatus, its items (MedicationRequests) and the dispense notifications received.
struct PrescriptionRow {
    var prescription: PrescriptionRecord
    var task: TaskRecord?
    var items: [PrescriptionItemRecord]
    var notifications: [DispenseNotificationRecord]

    static func load(_ r: StoreReader, openOnly: Bool, patientKey: String?) throws -> [PrescriptionRow] {
        try r.prescriptions().compactMap { p in
            let task = try r.task(id: p.taskID)
            if openOnly, task?.status.isTerminal ?? false { return nil }
            if let patientKey, !p.patientKeys.contains(patientKey) { return nil }
            return PrescriptionRow(prescription: p, task: task, items: try r.prescriptionItems(prescriptionID: p.id),
                                   notifications: try r.dispenseNotifications(prescriptionID: p.id))
        }
    }

    var json: JSONValue {
        let p = prescription
        var o = JSONObject()
        o["prescription"] = .string(p.id)
        o["channel"] = .string(p.channel)
        o["created"] = .string(p.createdAt)
        o["businessStatus"] = .string(p.businessStatus)
        o["nominated"] = p.nominated.map { .string($0) } ?? .null
        o["dispenser"] = p.dispenser.map { .string($0) } ?? .null
        o["items"] = .array(items.map { .object(JSONObject(["id": .string("MedicationRequest/" + $0.medicationRequestID),
                                                            "item": .string($0.number), "status": .string($0.status)])) })
        o["dispenseNotifications"] = .array(notifications.map { n in .object(JSONObject([
            "id": .string(n.id), "state": .string(n.state), "at": .string(n.at), "message": .string(n.messageID),
            "dispenses": .array(n.dispenses.map { .string("MedicationDispense/" + $0.dispenseID) }),
        ])) })
        o["tasks"] = .array(task.map { [.object(JSONObject(["id": .string("Task/" + $0.id), "status": .string($0.status.rawValue)]))] } ?? [])
        return .object(o)
    }

    /// `show`'s line for each Task that tracks a prescription.
    static func lines(_ r: StoreReader, taskIDs: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for id in taskIDs {
            guard let p = try r.prescription(taskID: id) else { continue }
            let items = try r.prescriptionItems(prescriptionID: p.id)
            let notifications = try r.dispenseNotifications(prescriptionID: p.id)
            out[id] = "prescription \(p.id)  businessStatus \(p.businessStatus)  items \(items.filter { $0.status == "completed" }.count)/\(items.count) completed"
                + "  dispense notifications \(notifications.filter { $0.state == "current" }.count)" + (p.dispenser.map { "  with dispenser \($0)" } ?? "")
        }
        return out
    }

    static func table(_ rows: [PrescriptionRow], now: Date) -> String {
        var table = [["prescription", "age", "task", "business status", "items", "dispensed", "nominated", "dispenser"]]
        for row in rows {
            let p = row.prescription
            let done = row.items.filter { $0.status == "completed" }.count
            table.append([p.id, Age.text(since: p.createdAt, now: now), row.task?.status.rawValue ?? "-", p.businessStatus,
                          "\(row.items.count) (\(done) completed)", "\(row.notifications.filter { $0.state == "current" }.count) notification(s)",
                          p.nominated ?? "-", p.dispenser ?? "-"])
        }
        return Table.render(table)
    }
}
