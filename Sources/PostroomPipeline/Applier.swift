import Foundation
import PostroomConfig
import PostroomCore
import PostroomDigest
import PostroomStore

/// Applies one decoded message to the store inside the current transaction: stores requests,
/// reports and Tasks, correlates reports with requests, and moves Tasks through their state machine.
///
/// Rejections are returned as a `rejected` result; the caller runs `apply` in a savepoint and
/// rolls it back for a rejected message so nothing of it stays.
struct Applier {
    let writer: StoreWriter
    let channel: PipelineConfig.Channel
    let messageID: String
    let now: String
    let ids: IDGenerator
    /// The drop's original bytes (documents keep them as their attachment).
    let original: [UInt8]
    /// Where each Bundle entry's resource was stored (`Type/id/_history/n`), for transaction and batch answers.
    var locations: EntryLocations? = nil
    /// Files to send because of this message (Option H routing), kept only if the message is applied.
    var routing = RoutingLog()
    /// References inside the message → the ids its resources are stored under.
    let refs = ReferenceMap()
    /// The system of the business identifiers of the Tasks Postroom creates (`taskIdentifierSystem`).
    var taskIdentifierSystem: String = PipelineConfig.defaultTaskIdentifierSystem(endpoint: "urn:postroom")
    /// The business identifiers (`system|value`) of the Tasks this message created, told to the sender.
    let createdTasks = CreatedTasks()

    var reader: StoreReader { writer.reader }
    var machine: TaskStateMachine { channel.stateMachine }

    /// Accumulates what applying found; a rejection short-circuits.
    struct Rejection: Error {
        var issues: [Issue]
    }

    /// Applies `message` (already validated, with no errors).
    func apply(_ message: InboundMessage) throws -> MessageResult {
        refs.aliases = message.referenceAliases
        refs.entryURLs = message.entryFullUrls
        if let refusal = unkeptPrescriptionStep(message) { return MessageResult(disposition: .rejected, issues: message.issues + refusal.issues) }
        if let prescription = try applyPrescriptionMessage(message) { return prescription }
        var warnings: [Issue] = []
        var held = false
        do {
            // Every other resource's id first, so that the patient's references to them are rewritten too.
            let others = try assignIDs(message.otherResources)
            let patientRef = try storePatient(message.patient)
            let appointments = try storeOthers(others)
            for r in message.requests {
                warnings += try applyRequest(r, patient: message.patient, patientRef: patientRef)
            }
            for rp in message.reports {
                let (isHeld, w) = try applyReport(rp, patient: message.patient, patientRef: patientRef)
                held = held || isHeld
                warnings += w
            }
            for t in message.tasks {
                warnings += try applyTask(t, patient: message.patient)
            }
            // Appointments last: the referral they are based on may come in the same message.
            for (appointment, id) in appointments {
                warnings += try applyAppointment(appointment, id: id)
            }
        } catch let r as Rejection {
            return MessageResult(disposition: .rejected, issues: message.issues + r.issues)
        }
        for task in createdTasks.list {
            warnings.append(.information(.taskCreated, type: "informational", "Task \(task) tracks this request; quote it to update the Task"))
        }
        return MessageResult(disposition: held ? .held : .accepted, issues: message.issues + warnings)
    }

    // MARK: - Patients

    /// Stores (or updates) the patient; returns its reference (`Patient/<id>`), or nil when the message names none.
    func storePatient(_ patient: PatientFacts?) throws -> String? {
        guard let patient, !patient.isEmpty else { return nil }
        let key = patient.nhsNumber.map { "nhs|" + $0 } ?? patient.keys.sorted().first!
        let id = String(SHA256Digest.hex(Array(("postroom-patient|" + key).utf8)).prefix(32))
        if let resource = patient.resource { noteStored(type: "Patient", resource, entry: patient.entryIndex, as: id) }
        if var resource = patient.resource?.object {
            resource["id"] = nil
            // A patient named again with the same details is not a new version.
            let v = try writer.putResource(type: "Patient", id: id, resource: refs.rewrite(.object(resource)), messageID: messageID, at: now,
                                           unlessUnchanged: true)
            locations?.note(patient.entryIndex, type: "Patient", id: id, version: v)
        } else if try !reader.hasResource(type: "Patient", id: id) {
            var identifiers: [JSONValue] = []
            if let nhs = patient.nhsNumber {
                identifiers.append(.object(JSONObject(["system": .string(NHSNumber.system), "value": .string(nhs)])))
            }
            let base: JSONValue = identifiers.isEmpty ? .object(JSONObject()) : .object(JSONObject(["identifier": .array(identifiers)]))
            try writer.putResource(type: "Patient", id: id, resource: base, messageID: messageID, at: now)
        }
        return "Patient/" + id
    }

    /// Stores the resources the workflow has no facts for, as they are (ids kept when free),
    /// so that references to them from the message's other resources are rewritten to where they are.
    /// Appointments are only given their ids here: they are returned, to be stored linked to their
    /// referral once the message's requests are (`applyAppointment`).
    @discardableResult
    func storeOthers(_ stored: [(OtherResource, String)]) throws -> [(OtherResource, String)] {
        for (other, id) in stored where other.type != "Appointment" {
            let v = try writer.putResource(type: other.type, id: id, resource: refs.rewrite(other.resource), messageID: messageID, at: now)
            locations?.note(other.entryIndex, type: other.type, id: id, version: v)
        }
        return stored.filter { $0.0.type == "Appointment" }
    }

    /// The ids the resources the workflow has no facts for are stored under (noted for references).
    func assignIDs(_ others: [OtherResource]) throws -> [(OtherResource, String)] {
        try others.map { other in
            let id = try newID(type: other.type, proposed: other.resource["id"]?.string)
            noteStored(type: other.type, other.resource, entry: other.entryIndex, as: id)
            return (other, id)
        }
    }

    // MARK: - Helpers

    /// Notes where a resource of the message is stored, so that references to it are rewritten: by its
    /// `Type/id` as received, and by its entry's `fullUrl` when it came without an id (a transaction's POST).
    func noteStored(type: String, _ resource: JSONValue, entry: Int?, as stored: String) {
        if let source = resource["id"]?.string { refs.note(type: type, source: source, stored: stored) }
        if let entry, let url = refs.entryURLs[entry] { refs.noteURL(url, type: type, stored: stored) }
    }

    /// A resource id: the one given when it is a valid FHIR id not yet used for this type, else a new one.
    func newID(type: String, proposed: String?) throws -> String {
        // An id handed out earlier in this message (not stored yet) is taken too.
        if let p = proposed, FHIRIdentifierRules.isValidID(p), !writer.isReserved(type: type, id: p), try !reader.hasResource(type: type, id: p) {
            writer.reserveNew(type: type, id: p)
            return p
        }
        let id = ids.nextLowercase()
        writer.reserveNew(type: type, id: id, generated: true)
        return id
    }
}

/// Where the resources of a transaction or batch Bundle's entries were stored.
final class EntryLocations {
    var byEntry: [Int: String] = [:]

    func note(_ entry: Int?, type: String, id: String, version: Int) {
        guard let entry else { return }
        byEntry[entry] = "\(type)/\(id)/_history/\(version)"
    }
}

/// Maps the references of a message (its `Type/id` as received, its Bundle `fullUrl`s) to the
/// `Type/id` the resources are stored under, filled as each resource is stored, so references to
/// resources stored earlier in the message are rewritten before a resource is stored.
final class ReferenceMap {
    var aliases: [String: String] = [:] { didSet { aliasesByTarget = nil } }
    /// `aliases` the other way round (`Type/id` → the `fullUrl`s naming it), made at the first `note`:
    /// looking each stored resource up in it, not walking every alias, keeps a Bundle's notes linear.
    private var aliasesByTarget: [String: [String]]?
    /// The `fullUrl`s of entries whose resource came without an id, by entry index.
    var entryURLs: [Int: String] = [:]
    private(set) var map: [String: String] = [:]

    /// Notes that the entry with `fullUrl` `url` is stored as `Type/stored`.
    func noteURL(_ url: String, type: String, stored: String) {
        map[url] = type + "/" + stored
    }

    func note(type: String, source: String, stored: String) {
        let from = type + "/" + source, to = type + "/" + stored
        map[from] = to
        guard !aliases.isEmpty else { return }
        if aliasesByTarget == nil { aliasesByTarget = Dictionary(grouping: aliases.keys) { aliases[$0]! } }
        for alias in aliasesByTarget?[from] ?? [] { map[alias] = to }
    }

    /// References resolved by a streamed Bundle's earlier groups, consulted after `map` (shared, never copied).
    private(set) var base = StoredReferences()

    func seed(_ resolved: StoredReferences) {
        base = resolved
    }

    /// Where a reference of the message now points, if it was rewritten.
    func resolved(_ reference: String) -> String? {
        map[reference] ?? (base.isEmpty ? nil : base[url: reference])
    }

    func rewrite(_ v: JSONValue) -> JSONValue {
        base.isEmpty ? ReferenceRewriter.rewrite(v, map) : ReferenceRewriter.rewrite(v, resolved)
    }
}

/// The business identifiers of the Tasks a message created.
final class CreatedTasks {
    var list: [String] = []
}

/// Files a message causes to be sent to other channels' outboxes (a broker's routed Tasks).
final class RoutingLog {
    var files: [(channel: String, name: String, bytes: [UInt8])] = []
}

/// Rules for FHIR ids used when storing resources.
enum FHIRIdentifierRules {
    /// `[A-Za-z0-9\-\.]{1,64}`.
    static func isValidID(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 64 else { return false }
        return s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x2E }
    }
}
