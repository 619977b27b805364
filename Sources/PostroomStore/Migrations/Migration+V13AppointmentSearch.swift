import Foundation
import GRDB
import PostroomCore

extension Schema {
    /// `v13-appointment-search`: Appointments became searchable (`based-on`, `identifier`, `status`):
    /// indexes those already stored.
    static func v13AppointmentSearch(_ db: Database) throws {
        guard try db.tableExists("search_param") else { return }
        for r in try Row.fetchAll(db, sql: "SELECT id, json FROM resource WHERE type = 'Appointment'") {
            guard let json = try? JSONParser().parse([UInt8](r[1] as Data)) else { continue }
            try SearchIndex.index(db, type: "Appointment", id: r[0], resource: json)
        }
    }
}
