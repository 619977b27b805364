import Foundation
import GRDB
import PostroomCore

extension Schema {
    /// `v12-prescriptions`: the EPS prescription workflow (DOMAIN.md §5.4): prescriptions with their
    /// Task, items (MedicationRequests) and dispense notifications with the MedicationDispenses they
    /// carried; MedicationRequests and MedicationDispenses already stored join the search index.
    static func v12Prescriptions(_ db: Database) throws {
        do {
            try db.execute(sql: """
                -- One row per prescription (short-form id), with its Task and who holds it.
                CREATE TABLE prescription (
                    id TEXT PRIMARY KEY,
                    long_id TEXT,
                    task_id TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    prescriber TEXT,
                    nominated TEXT,
                    dispenser TEXT,
                    business_status TEXT NOT NULL,
                    patient_keys TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    message_id TEXT NOT NULL
                );
                CREATE INDEX prescription_task ON prescription(task_id);
                CREATE INDEX prescription_message ON prescription(message_id);
                -- The items (MedicationRequests) of a prescription, by item number.
                CREATE TABLE prescription_item (
                    prescription_id TEXT NOT NULL,
                    item_number TEXT NOT NULL,
                    medication_request_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    PRIMARY KEY (prescription_id, item_number)
                );
                -- Dispense notifications; state: current | replaced | withdrawn.
                CREATE TABLE dispense_notification (
                    id TEXT PRIMARY KEY,
                    prescription_id TEXT NOT NULL,
                    state TEXT NOT NULL,
                    replaces TEXT,
                    sender TEXT,
                    at TEXT NOT NULL,
                    message_id TEXT NOT NULL
                );
                CREATE INDEX dispense_notification_prescription ON dispense_notification(prescription_id, at);
                -- The MedicationDispenses of a notification, each linked to the item it dispenses.
                CREATE TABLE dispense_item (
                    notification_id TEXT NOT NULL,
                    dispense_id TEXT NOT NULL,
                    item_number TEXT,
                    type_code TEXT,
                    PRIMARY KEY (notification_id, dispense_id)
                ) WITHOUT ROWID;
                CREATE INDEX dispense_item_dispense ON dispense_item(dispense_id);
                """)
            // MedicationRequests and MedicationDispenses are now searchable: index those already stored.
            guard try db.tableExists("search_param") else { return }
            let rows = try Row.fetchAll(db, sql: "SELECT type, id, json FROM resource WHERE type IN ('MedicationRequest', 'MedicationDispense')")
            for r in rows {
                guard let json = try? JSONParser().parse([UInt8](r[2] as Data)) else { continue }
                try SearchIndex.index(db, type: r[0], id: r[1], resource: json)
            }
        }
    }
}
