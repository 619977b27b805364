import Foundation
import PostroomCore
import PostroomStore

extension UIRoutes {
    /// On a prescription's Task page (EPS): the prescription id, businessStatus, who holds it, its
    /// items (MedicationRequests) and the dispense notifications with their MedicationDispenses.
    static func prescriptionSection(_ r: StoreReader, taskID: String) throws -> String {
        guard let p = try r.prescription(taskID: taskID) else { return "" }
        let items = try r.prescriptionItems(prescriptionID: p.id)
        let notifications = try r.dispenseNotifications(prescriptionID: p.id)
        let business = PrescriptionPlanner.BusinessStatus(rawValue: p.businessStatus)
        var body = "<h2>Prescription \(HTML.escape(p.id))</h2>"
        body += HTML.facts([
            ("business status", HTML.escape(p.businessStatus + (business.map { " " + $0.display } ?? ""))),
            ("nominated pharmacy", HTML.escape(p.nominated ?? "")), ("dispenser", HTML.escape(p.dispenser ?? "")),
            ("prescriber", HTML.escape(p.prescriber ?? "")),
        ])
        body += HTML.table(["item", "MedicationRequest", "status"], items.map {
            [HTML.escape($0.number), HTML.link("/MedicationRequest/\($0.medicationRequestID)", "MedicationRequest/\($0.medicationRequestID)"),
             HTML.pill($0.status)]
        }, empty: "No items.")
        body += "<h3>Dispense notifications</h3>" + HTML.table(["notification", "state", "dispenses", "message"], notifications.map { n in
            [HTML.escape(n.id), HTML.pill(n.state),
             n.dispenses.map { HTML.link("/MedicationDispense/\($0.dispenseID)", "MedicationDispense/\($0.dispenseID)") }.joined(separator: "<br>"),
             HTML.link("/ui/drops/\(n.messageID)", n.messageID)]
        }, empty: "None received.")
        return body
    }
}
