import Foundation
import PostroomCore
import PostroomStore

extension Applier {
    /// Applies a request or an event on one.
    func applyRequest(_ r: RequestFacts, patient: PatientFacts?, patientRef: String?) throws -> [Issue] {
        if let referral = try applyReferralEvent(r, patient: patient, patientRef: patientRef) { return referral }
        let matches = try reader.requestMatches(keys: r.keys)
        if matches.count > 1 {
            throw Rejection(issues: [.error(.multipleRequestsMatch, type: "multiple-matches",
                                            "The request's identifiers match \(matches.count) different stored requests")])
        }
        let existing = matches.first?.request
        if let existing, let patient, !patient.isEmpty, PatientMatch.compare(writer.identity.canonical(patient.keys), writer.identity.canonical(existing.patientKeys)) == .different {
            throw Rejection(issues: [.error(.patientMismatch, type: "business-rule",
                                            "The request names a stored request of a different patient")])
        }
        switch r.event {
        case .new:
            if let existing {
                // A resend or update of a request we know: a new version, no new Task.
                try updateRequest(existing, with: r, patientRef: patientRef)
                return [.information(.requestUpdated, "The request was already known; stored as a new version")]
            }
            let id = try createRequest(r, patient: patient, patientRef: patientRef)
            return try linkHeldReports(requestID: id, keys: r.keys)
        case .accepted:
            let req = try required(existing, r)
            try writer.addRequestKeys(r.keys, requestID: req.id)
            try updateRequest(req, with: r, patientRef: patientRef)
            return try moveTasks(of: req.id, to: .accepted, reason: "accepted by the filler")
        case .rejected(let reason):
            let req = try required(existing, r)
            return try moveTasks(of: req.id, to: .rejected, reason: "rejected by the filler" + (reason.map { ": " + $0 } ?? ""),
                                 statusReason: reason)
        case .cancelRequested:
            _ = try required(existing, r)
            return [.information(.cancelRequested, "Cancellation requested; the order stays active until the filler confirms")]
        case .cancelled(let reason):
            let req = try required(existing, r)
            try updateRequest(req, with: r, patientRef: patientRef, status: .revoked)
            return try cancelTasks(of: req.id, reason: reason)
        case .inProgress:
            let req = try required(existing, r)
            return try moveTasks(of: req.id, to: .inProgress, reason: "work in progress at the filler")
        case .onHold:
            let req = try required(existing, r)
            try updateRequest(req, with: r, patientRef: patientRef, status: .onHold)
            return try moveTasks(of: req.id, to: .onHold, reason: "put on hold")
        case .released:
            let req = try required(existing, r)
            try updateRequest(req, with: r, patientRef: patientRef, status: .active)
            return try moveTasks(of: req.id, to: .inProgress, reason: "released from hold")
        case .noted(let what):
            if let existing {
                try updateRequest(existing, with: r, patientRef: patientRef)
            } else {
                // Never answered as accepted without being kept: stored as it is, with no Task (e.g. a completed
                // advice-and-guidance request beside its referral).
                _ = try createRequest(r, patient: patient, patientRef: patientRef, withTask: false)
            }
            return [.information(.requestEventNoted, "Order event \(what) recorded; no workflow change")]
        }
    }

    func required(_ existing: RequestRecord?, _ r: RequestFacts) throws -> RequestRecord {
        guard let existing else {
            throw Rejection(issues: [.error(.requestNotFound, type: "not-found",
                                            "The message refers to a request Postroom does not know")])
        }
        return existing
    }

    /// Stores a new request, and (`withTask`) on a placer channel its Task (Option F), for a referral with a UBRN its eRS Task.
    func createRequest(_ r: RequestFacts, patient: PatientFacts?, patientRef: String?, withTask: Bool = true) throws -> String {
        let id = try newID(type: "ServiceRequest", proposed: r.madeUpID ? nil : r.resource["id"]?.string)
        noteStored(type: "ServiceRequest", r.resource, entry: r.entryIndex, as: id)
        let resource = refs.rewrite(r.resource.settingReference("subject", to: patientRef))
        let version = try writer.putResource(type: "ServiceRequest", id: id, resource: resource, messageID: messageID, at: now)
        locations?.note(r.entryIndex, type: "ServiceRequest", id: id, version: version)
        let status = resource["status"]?.string ?? "active"
        var keys = r.keys
        keys.append(CorrelationKey.reference("ServiceRequest/" + id))
        try writer.insertRequest(RequestRecord(id: id, channel: channel.name, status: status, isReferral: r.isReferral,
                                               patientKeys: patient?.keys ?? [], createdAt: now, updatedAt: now, messageID: messageID),
                                 keys: keys)
        if !withTask {
            return id
        } else if r.isReferral, ReferralPlanner.hasUBRN(r.keys, identity: writer.identity) {
            try createReferralTask(requestID: id, request: resource, patientRef: patientRef)
        } else if channel.role == .placer {
            try createTask(focusRequestID: id, patientRef: patientRef, requester: resource["requester"], owner: Self.owner(of: resource),
                           status: .requested, reason: r.isReferral ? "new referral" : "new request")
        }
        return id
    }

    func updateRequest(_ existing: RequestRecord, with r: RequestFacts, patientRef: String?, status: RequestStatus? = nil) throws {
        noteStored(type: "ServiceRequest", r.resource, entry: r.entryIndex, as: existing.id)
        var resource = refs.rewrite(r.resource)
        if r.event != .new, let stored = try reader.resource(type: "ServiceRequest", id: existing.id) {
            // An event message carries a partial view: keep the stored request, change its status.
            resource = stored
        }
        if var o = resource.settingReference("subject", to: patientRef).object {
            if let status { o["status"] = .string(status.rawValue) }
            o["meta"] = nil
            resource = .object(o)
        }
        let version = try writer.putResource(type: "ServiceRequest", id: existing.id, resource: resource, messageID: messageID, at: now)
        locations?.note(r.entryIndex, type: "ServiceRequest", id: existing.id, version: version)
        try writer.updateRequest(id: existing.id, status: resource["status"]?.string ?? existing.status, at: now)
    }

    /// The Task's owner when the request names its performer (the first one).
    static func owner(of request: JSONValue) -> JSONValue? {
        guard let first = request["performer"]?.array?.first, first.object != nil else { return nil }
        return first
    }
}
