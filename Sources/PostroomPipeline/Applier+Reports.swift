import Foundation
import PostroomCore
import PostroomStore

extension Applier {
    /// Applies a report or document; returns whether it is held waiting for its request.
    func applyReport(_ rp: ReportFacts, patient: PatientFacts?, patientRef: String?) throws -> (held: Bool, issues: [Issue]) {
        let type = rp.kind.rawValue
        let patientKeys = patient?.keys ?? []
        var issues: [Issue] = []
        let existing = try reader.report(identity: rp.identity)
        if let existing, existing.state == "mismatch" || existing.state == "superseded" {
            // Keep going: a new version of a report parked for an operator or superseded stays where it is.
        }
        if let existing, !PatientMatch.compare(patientKeys, existing.patientKeys).isCompatible {
            throw Rejection(issues: [.error("patient-mismatch", type: "business-rule",
                                            "A new version of a stored report names a different patient")])
        }
        let id = try existing?.id ?? newID(type: type, proposed: rp.resource["id"]?.string)
        var resource = try prepare(rp, id: id, patientRef: patientRef)

        // Decide the link first, so a refusal stores nothing.
        var requestID = existing?.requestID
        var via: String?
        var state = existing?.state ?? "held"
        if requestID == nil {
            let matches = try reader.requestMatches(keys: rp.requestKeys)
            switch Correlator.decide(reportPatient: patientKeys, candidates: matches.map {
                Correlator.Candidate(requestID: $0.request.id, patientKeys: $0.request.patientKeys)
            }) {
            case .link(let rid):
                requestID = rid
                via = matches.first { $0.request.id == rid }?.key
                state = "linked"
            case .hold:
                state = "held"
            case .refuse(let issue):
                throw Rejection(issues: [issue])
            }
        }
        if let requestID, rp.kind == .diagnosticReport {
            resource = Self.addingBasedOn(resource, "ServiceRequest/" + requestID)
        }
        if let requestID, rp.kind == .document {
            resource = Self.addingRelated(resource, "ServiceRequest/" + requestID)
        }

        if let existing {
            if Self.precedence(rp.status) < Self.precedence(existing.status) {
                issues.append(.warning("report-status-regression", type: "business-rule",
                                       "A \(rp.status) version arrived after a \(existing.status) one; the newer status is kept"))
                try writer.putResource(type: type, id: id, resource: Self.withStatus(resource, existing.status), messageID: messageID, at: now)
            } else {
                try writer.putResource(type: type, id: id, resource: resource, messageID: messageID, at: now)
            }
            var updated = existing
            updated.status = Self.precedence(rp.status) < Self.precedence(existing.status) ? existing.status : rp.status
            updated.version += 1
            updated.requestID = requestID
            updated.state = state
            updated.requestKeys = Array(Set(existing.requestKeys).union(rp.requestKeys)).sorted()
            updated.updatedAt = now
            updated.messageID = messageID
            try writer.updateReport(updated)
            issues.append(.information("report-new-version", "Stored as version \(updated.version) of a report already received"))
        } else {
            try writer.putResource(type: type, id: id, resource: resource, messageID: messageID, at: now)
            try writer.insertReport(ReportRecord(id: id, kind: type, identity: rp.identity, status: rp.status, version: 1, state: state,
                                                 requestID: requestID, patientKeys: patientKeys, requestKeys: rp.requestKeys,
                                                 replaces: rp.replaces, supersededBy: nil, receivedAt: now, updatedAt: now,
                                                 messageID: messageID, note: nil))
        }
        if let v = try reader.resourceVersion(type: type, id: id) { locations?.note(rp.entryIndex, type: type, id: id, version: v) }
        if state == "held" {
            try writer.addHeldKeys(rp.requestKeys, reportID: id)
            issues.append(.information("report-held", type: "informational", "No request matches yet; the report is held until it arrives"))
        } else {
            try writer.removeHeldKeys(reportID: id)
        }
        if let replaced = rp.replaces {
            issues += try supersede(replaced, by: id, type: type)
        }
        if let requestID, existing?.requestID == nil || existing?.status != rp.status {
            if let via { try writer.insertLink(reportID: id, requestID: requestID, via: via, at: now, messageID: messageID) }
            issues += try advanceTasks(requestID: requestID, reportType: type, reportID: id, status: rp.status)
        }
        return (state == "held", issues)
    }

    /// Stores Observations under fresh ids and returns the report with its references rewritten,
    /// subject set, and (for documents) the original bytes as the attachment.
    func prepare(_ rp: ReportFacts, id: String, patientRef: String?) throws -> JSONValue {
        var map: [String: String] = [:]
        for obs in rp.observations {
            let newID = ids.next().lowercased()
            if let old = obs["id"]?.string {
                map["Observation/" + old] = "Observation/" + newID
                map["#" + old] = "Observation/" + newID
            }
            if let full = obs["fullUrl"]?.string { map[full] = "Observation/" + newID }
            var o = Self.settingReference(obs, key: "subject", to: patientRef).object ?? JSONObject()
            o["fullUrl"] = nil
            try writer.putResource(type: "Observation", id: newID, resource: ReferenceRewriter.rewrite(.object(o), map), messageID: messageID, at: now)
        }
        var resource = ReferenceRewriter.rewrite(Self.settingReference(rp.resource, key: "subject", to: patientRef), map)
        if rp.kind == .document, var o = resource.object {
            o["content"] = .array([.object(JSONObject([
                "attachment": .object(JSONObject([
                    "contentType": .string(o["content"]?[0]?["attachment"]?["contentType"]?.string ?? "application/hl7-v3+xml"),
                    "data": .string(Data(original).base64EncodedString()),
                    "size": .number(String(original.count)),
                    "hash": .string(SHA256Digest.sha1Base64(original)),
                ])),
            ]))])
            resource = .object(o)
        }
        return resource
    }

    /// Marks the report with identity `parent` superseded by `childID` (CDA RPLC), keeping it.
    func supersede(_ parent: String, by childID: String, type: String) throws -> [Issue] {
        guard var old = try reader.report(identity: parent), old.id != childID else {
            return [.warning("replaced-document-unknown", type: "not-found",
                             "The document it replaces has not been received; it will be marked superseded if it arrives")]
        }
        old.state = "superseded"
        old.supersededBy = childID
        old.updatedAt = now
        try writer.updateReport(old)
        if let stored = try reader.resource(type: type, id: old.id), var o = stored.object {
            o["meta"] = nil
            if type == "DocumentReference" { o["status"] = .string("superseded") }
            try writer.putResource(type: type, id: old.id, resource: .object(o), messageID: messageID, at: now)
        }
        return [.information("document-superseded", "The replaced document is kept and marked superseded")]
    }

    /// Links reports that were held waiting for a request that has just arrived.
    func linkHeldReports(requestID: String, keys: [String]) throws -> [Issue] {
        var issues: [Issue] = []
        guard let request = try reader.request(id: requestID) else { return [] }
        for var report in try reader.heldReports(keys: keys) where report.state == "held" {
            switch Correlator.decide(reportPatient: report.patientKeys,
                                     candidates: [.init(requestID: requestID, patientKeys: request.patientKeys)]) {
            case .link:
                report.state = "linked"
                report.requestID = requestID
                report.updatedAt = now
                try writer.updateReport(report)
                try writer.removeHeldKeys(reportID: report.id)
                let via = keys.first { report.requestKeys.contains($0) } ?? keys.first ?? ""
                try writer.insertLink(reportID: report.id, requestID: requestID, via: via, at: now, messageID: messageID)
                if let stored = try reader.resource(type: report.kind, id: report.id), var o = stored.object {
                    o["meta"] = nil
                    let linked = report.kind == "DiagnosticReport" ? Self.addingBasedOn(.object(o), "ServiceRequest/" + requestID)
                        : Self.addingRelated(.object(o), "ServiceRequest/" + requestID)
                    try writer.putResource(type: report.kind, id: report.id, resource: linked, messageID: messageID, at: now)
                }
                issues.append(.information("held-report-linked", "A result received earlier was linked to this request"))
                issues += try advanceTasks(requestID: requestID, reportType: report.kind, reportID: report.id, status: report.status)
            case .refuse(let issue):
                report.state = "mismatch"
                report.note = issue.code
                report.updatedAt = now
                try writer.updateReport(report)
                try writer.removeHeldKeys(reportID: report.id)
                issues.append(.warning(issue.code, type: issue.type,
                                       "A held result names this request but not the same patient; it stays with the operator"))
            case .hold:
                break
            }
        }
        return issues
    }

    /// Orders report statuses so an older status never overwrites a newer one.
    static func precedence(_ status: String) -> Int {
        switch status {
        case "registered": 0
        case "partial", "preliminary": 1
        case "final", "current": 2
        case "amended", "corrected", "appended": 3
        case "cancelled", "entered-in-error": 4
        default: 0
        }
    }

    static func withStatus(_ r: JSONValue, _ status: String) -> JSONValue {
        guard var o = r.object else { return r }
        o["status"] = .string(status)
        return .object(o)
    }

    static func addingBasedOn(_ r: JSONValue, _ ref: String) -> JSONValue {
        guard var o = r.object else { return r }
        var list = o["basedOn"]?.array ?? []
        if !list.contains(where: { $0["reference"]?.string == ref }) {
            list.append(.object(JSONObject(["reference": .string(ref)])))
        }
        o["basedOn"] = .array(list)
        return .object(o)
    }

    static func addingRelated(_ r: JSONValue, _ ref: String) -> JSONValue {
        guard var o = r.object else { return r }
        var context = o["context"]?.object ?? JSONObject()
        var related = context["related"]?.array ?? []
        if !related.contains(where: { $0["reference"]?.string == ref }) {
            related.append(.object(JSONObject(["reference": .string(ref)])))
        }
        context["related"] = .array(related)
        o["context"] = .object(context)
        return .object(o)
    }
}

extension PatientMatch {
    /// Whether two sides may be the same patient (an unnamed side does not contradict).
    var isCompatible: Bool { self != .different }
}

/// Rewrites `reference` values in a FHIR JSON tree through a map (old → new).
enum ReferenceRewriter {
    static func rewrite(_ v: JSONValue, _ map: [String: String]) -> JSONValue {
        guard !map.isEmpty else { return v }
        switch v {
        case .object(var o):
            for i in o.members.indices {
                if o.members[i].key == "reference", let s = o.members[i].value.string, let new = map[s] {
                    o.members[i].value = .string(new)
                } else {
                    o.members[i].value = rewrite(o.members[i].value, map)
                }
            }
            return .object(o)
        case .array(let a):
            return .array(a.map { rewrite($0, map) })
        default:
            return v
        }
    }
}
