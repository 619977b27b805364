import Foundation
import PostroomCore

/// A prescription (EPS) as the workflow keeps it.
public struct PrescriptionRecord: Sendable, Equatable {
    public var id: String
    public var longID: String?
    public var taskID: String
    public var channel: String
    public var prescriber: String?
    public var nominated: String?
    public var dispenser: String?
    public var businessStatus: String
    public var patientKeys: [String]
    public var createdAt: String
    public var updatedAt: String
    public var messageID: String

    public init(id: String, longID: String?, taskID: String, channel: String, prescriber: String?, nominated: String?, dispenser: String?,
                businessStatus: String, patientKeys: [String], createdAt: String, updatedAt: String, messageID: String) {
        self.id = id
        self.longID = longID
        self.taskID = taskID
        self.channel = channel
        self.prescriber = prescriber
        self.nominated = nominated
        self.dispenser = dispenser
        self.businessStatus = businessStatus
        self.patientKeys = patientKeys
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.messageID = messageID
    }
}

/// One item of a prescription.
public struct PrescriptionItemRecord: Sendable, Equatable {
    public var number: String
    public var medicationRequestID: String
    public var status: String

    public init(number: String, medicationRequestID: String, status: String) {
        self.number = number
        self.medicationRequestID = medicationRequestID
        self.status = status
    }
}

/// A dispense notification and its MedicationDispenses.
public struct DispenseNotificationRecord: Sendable, Equatable {
    public var id: String
    public var prescriptionID: String
    /// current | replaced | withdrawn
    public var state: String
    public var replaces: String?
    public var sender: String?
    public var at: String
    public var messageID: String
    /// (MedicationDispense id, item number, dispense type code)
    public var dispenses: [Dispensed]

    public struct Dispensed: Sendable, Equatable {
        public var dispenseID: String
        public var itemNumber: String?
        public var typeCode: String?
        public init(dispenseID: String, itemNumber: String?, typeCode: String?) {
            self.dispenseID = dispenseID
            self.itemNumber = itemNumber
            self.typeCode = typeCode
        }
    }

    public init(id: String, prescriptionID: String, state: String, replaces: String?, sender: String?, at: String, messageID: String,
                dispenses: [Dispensed]) {
        self.id = id
        self.prescriptionID = prescriptionID
        self.state = state
        self.replaces = replaces
        self.sender = sender
        self.at = at
        self.messageID = messageID
        self.dispenses = dispenses
    }
}

extension StoreWriter {
    public func insertPrescription(_ p: PrescriptionRecord) throws {
        try db.execute("""
            INSERT INTO prescription (id, long_id, task_id, channel, prescriber, nominated, dispenser, business_status, patient_keys,
                                      created_at, updated_at, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [p.id, p.longID, p.taskID, p.channel, p.prescriber, p.nominated, p.dispenser, p.businessStatus,
                             encodeKeys(p.patientKeys), p.createdAt, p.updatedAt, p.messageID])
    }

    public func updatePrescription(id: String, dispenser: String?, businessStatus: String, at: String) throws {
        try db.execute("UPDATE prescription SET dispenser = ?, business_status = ?, updated_at = ? WHERE id = ?", [dispenser, businessStatus, at, id])
    }

    public func putPrescriptionItem(prescriptionID: String, _ item: PrescriptionItemRecord) throws {
        try db.execute("""
            INSERT INTO prescription_item (prescription_id, item_number, medication_request_id, status) VALUES (?, ?, ?, ?)
            ON CONFLICT (prescription_id, item_number) DO UPDATE SET status = excluded.status
            """, [prescriptionID, item.number, item.medicationRequestID, item.status])
    }

    public func insertDispenseNotification(_ n: DispenseNotificationRecord) throws {
        try db.execute("""
            INSERT INTO dispense_notification (id, prescription_id, state, replaces, sender, at, message_id) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [n.id, n.prescriptionID, n.state, n.replaces, n.sender, n.at, n.messageID])
        for d in n.dispenses {
            try db.execute("INSERT OR REPLACE INTO dispense_item (notification_id, dispense_id, item_number, type_code) VALUES (?, ?, ?, ?)", [n.id, d.dispenseID, d.itemNumber, d.typeCode])
        }
    }

    public func setDispenseNotificationState(id: String, state: String) throws {
        try db.execute("UPDATE dispense_notification SET state = ? WHERE id = ?", [state, id])
    }
}

extension StoreReader {
    static let prescriptionColumns = """
        id, long_id, task_id, channel, prescriber, nominated, dispenser, business_status, patient_keys, created_at, updated_at, message_id
        """

    static func prescription(_ r: SQLRow) -> PrescriptionRecord {
        PrescriptionRecord(id: r[0], longID: r[1], taskID: r[2], channel: r[3], prescriber: r[4], nominated: r[5], dispenser: r[6],
                           businessStatus: r[7], patientKeys: decodeKeys(r[8]), createdAt: r[9], updatedAt: r[10], messageID: r[11])
    }

    /// A prescription by its short-form id (or its long-form id).
    public func prescription(id: String) throws -> PrescriptionRecord? {
        try db.row("SELECT \(Self.prescriptionColumns) FROM prescription WHERE id = ? OR long_id = ? LIMIT 1", [id.uppercased(), id.lowercased()]).map(Self.prescription)
    }

    /// The prescription a Task tracks.
    public func prescription(taskID: String) throws -> PrescriptionRecord? {
        try db.row("SELECT \(Self.prescriptionColumns) FROM prescription WHERE task_id = ?", [taskID])
            .map(Self.prescription)
    }

    /// Prescriptions, newest first.
    public func prescriptions(limit: Int = 1000) throws -> [PrescriptionRecord] {
        try db.rows("SELECT \(Self.prescriptionColumns) FROM prescription ORDER BY created_at DESC, id LIMIT ?", [limit]).map(Self.prescription)
    }

    /// Prescriptions by businessStatus.
    public func prescriptionCounts() throws -> [(businessStatus: String, count: Int)] {
        try db.rows("SELECT business_status, COUNT(*) FROM prescription GROUP BY business_status ORDER BY business_status")
            .map { ($0[0], $0[1]) }
    }

    public func prescriptionItems(prescriptionID: String) throws -> [PrescriptionItemRecord] {
        try db.rows("""
            SELECT item_number, medication_request_id, status FROM prescription_item WHERE prescription_id = ? ORDER BY rowid
            """, [prescriptionID]).map { PrescriptionItemRecord(number: $0[0], medicationRequestID: $0[1], status: $0[2]) }
    }

    /// A prescription's dispense notifications, oldest first (every state).
    public func dispenseNotifications(prescriptionID: String) throws -> [DispenseNotificationRecord] {
        let rows = try db.rows("""
            SELECT id, prescription_id, state, replaces, sender, at, message_id FROM dispense_notification
            WHERE prescription_id = ? ORDER BY at, rowid
            """, [prescriptionID])
        return try rows.map { r in
            let dispensed = try db.rows("""
                SELECT dispense_id, item_number, type_code FROM dispense_item WHERE notification_id = ? ORDER BY dispense_id
                """, [r[0] as String]).map { DispenseNotificationRecord.Dispensed(dispenseID: $0[0], itemNumber: $0[1], typeCode: $0[2]) }
            return DispenseNotificationRecord(id: r[0], prescriptionID: r[1], state: r[2], replaces: r[3], sender: r[4], at: r[5],
                                              messageID: r[6], dispenses: dispensed)
        }
    }
}
