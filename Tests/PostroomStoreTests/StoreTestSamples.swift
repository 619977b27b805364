import Foundation
import PostroomCore
@testable import PostroomStore

/// Timestamps as the store writes them: `at(0)` is 2026-03-01T10:00:00.000Z, `at(n)` n minutes later.
func at(_ minutes: Int) -> String {
    StoreTime.string(Date(timeIntervalSince1970: 1_772_359_200 + Double(minutes) * 60))
}

/// A JSON value from its text (tests write resources as literal JSON).
func json(_ text: String) throws -> JSONValue { try JSONParser().parse(text) }

/// A claimed drop with sensible defaults.
func sampleDrop(_ id: String, run: String = "run1", channel: String = "lab", sha: String? = nil, receivedAt: String = at(0),
                reprocessOf: String? = nil, parentDrop: String? = nil) -> DropRecord {
    DropRecord(id: id, runID: run, channel: channel, name: "\(id).hl7", size: 42, sha256: sha ?? "sha-\(id)", receivedAt: receivedAt,
               workPath: "/work/\(channel)/\(id)_\(id).hl7", reprocessOf: reprocessOf, parentDrop: parentDrop)
}

/// A message of a drop with sensible defaults.
func sampleMessage(_ id: String, drop: String, index: Int = 0, disposition: MessageResult.Disposition = .accepted,
                   issues: [Issue] = [], raw: [UInt8]? = nil, at time: String = at(0)) -> MessageRecord {
    MessageRecord(id: id, dropID: drop, index: index, type: "ORU^R01", format: "hl7v2", disposition: disposition, issues: issues,
                  raw: raw, at: time)
}

/// A request with sensible defaults.
func sampleRequest(_ id: String, status: String = "active", patient: String = "nhs|9990000018", createdAt: String = at(0),
                   message: String = "m-\(UUID().uuidString)") -> RequestRecord {
    RequestRecord(id: id, channel: "orders", status: status, isReferral: false, patientKeys: [patient], createdAt: createdAt,
                  updatedAt: createdAt, messageID: message)
}

/// A report with sensible defaults (held unless `requestID` is given).
func sampleReport(_ id: String, requestID: String? = nil, requestKeys: [String] = [], receivedAt: String = at(0),
                  message: String = "m-report") -> ReportRecord {
    ReportRecord(id: id, kind: "DiagnosticReport", identity: "v2|LAB|\(id)", status: "final", version: 1,
                 state: requestID == nil ? .held : .linked, requestID: requestID, patientKeys: ["nhs|9990000018"],
                 requestKeys: requestKeys, receivedAt: receivedAt, updatedAt: receivedAt, messageID: message)
}

/// A Task with sensible defaults.
func sampleTask(_ id: String, status: TaskStatus = .requested, focus: String? = nil, partOf: String? = nil,
                createdAt: String = at(0)) -> TaskRecord {
    TaskRecord(id: id, status: status, focusRequestID: focus, partOf: partOf, channel: "orders", createdAt: createdAt, updatedAt: createdAt)
}
