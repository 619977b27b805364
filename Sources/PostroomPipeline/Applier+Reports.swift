import Foundation
import PostroomCore
import PostroomDigest
import PostroomStore

extension Applier {
    /// Applies a report or document; returns whether it is held waiting for its request (or, for a
    /// replacement document, for the document it replaces). The decision is `ReportPlanner`'s.
    func applyReport(_ rp: ReportFacts, patient: PatientFacts?, patientRef: String?) throws -> (held: Bool, issues: [Issue]) {
        let type = rp.kind.rawValue
        let patientKeys = patient?.keys ?? []
        let existing = try reader.report(identity: rp.identity)
        let parent = try existing == nil ? rp.replaces.flatMap { try reader.report(identity: $0) } : nil
        let plan = try ReportPlanner.plan(situation(patientKeys: patientKeys, requestKeys: rp.requestKeys, existing: existing,
                                                    replaces: rp.replaces, parent: parent))
        let id = try existing?.id ?? newID(type: type, proposed: rp.madeUpIDs ? nil : rp.resource["id"]?.string)
        var resource = try prepare(rp, id: id, patientRef: patientRef)
        var link: (requestID: String, via: String)?
        var state = existing?.state ?? .held
        switch plan {
        case .refuse(let issue): throw Rejection(issues: [issue])
        case .keep(let rid): link = (rid, "")
        case .link(let rid, let via): link = (rid, via); state = .linked
        case .hold, .awaitParent: state = .held
        }
        if let rid = link?.requestID {
            resource = rp.kind == .diagnosticReport ? Self.addingBasedOn(resource, "ServiceRequest/" + rid)
                : Self.addingRelated(resource, "ServiceRequest/" + rid)
        }
        var issues: [Issue] = []
        if let existing {
            issues += try storeVersion(of: existing, rp, resource: resource, requestID: link?.requestID, state: state)
        } else {
            let v = try writer.putResource(type: type, id: id, resource: resource, messageID: messageID, at: now)
            locations?.note(rp.entryIndex, type: type, id: id, version: v)
            try writer.insertReport(ReportRecord(id: id, kind: type, identity: rp.identity, status: rp.status, version: 1, state: state,
                                                 requestID: link?.requestID, patientKeys: patientKeys, requestKeys: rp.requestKeys,
                                                 replaces: rp.replaces, supersededBy: nil, receivedAt: now, updatedAt: now,
                                                 messageID: messageID, note: plan.isAwaitingParent ? "awaiting-replaced-document" : nil))
        }
        issues += try index(plan, reportID: id, requestKeys: rp.requestKeys, isNew: existing == nil)
        if let parent { issues += try supersede(parent, by: id, type: type) }
        if let link, existing?.requestID == nil || existing?.status != rp.status {
            if !link.via.isEmpty {
                try writer.insertLink(reportID: id, requestID: link.requestID, via: link.via, at: now, messageID: messageID)
            }
            issues += try advanceTasks(requestID: link.requestID, reportType: type, reportID: id, status: rp.status)
        }
        if existing == nil {
            issues += try releaseReplacements(of: rp.identity, parentID: id, type: type)
        }
        return (state == .held, issues)
    }

    /// What the planner needs to know about a report: its stored version, the document it
    /// replaces, and the requests its keys match, all with canonical patient keys.
    func situation(patientKeys: Set<String>, requestKeys: [String], existing: ReportRecord?, replaces: String?,
                   parent: ReportRecord?) throws -> ReportPlanner.Situation {
        let matches = existing?.requestID == nil ? try reader.requestMatches(keys: requestKeys) : []
        return .init(patientKeys: writer.identity.canonical(patientKeys), existing: existing.map(stored),
                     replaces: replaces.map { .init(identity: $0, stored: parent.map(stored)) },
                     namesRequests: !requestKeys.isEmpty,
                     candidates: matches.map { ($0.key, candidate($0.request)) })
    }

    /// A stored report as the planner sees it (canonical patient keys).
    func stored(_ r: ReportRecord) -> ReportPlanner.Stored {
        .init(patientKeys: writer.identity.canonical(r.patientKeys), requestID: r.requestID)
    }

    /// A stored request as a correlation candidate (canonical patient keys).
    func candidate(_ r: RequestRecord) -> Correlator.Candidate {
        .init(requestID: r.id, patientKeys: writer.identity.canonical(r.patientKeys))
    }

    /// Stores a new version of a report already received (corrections replace, never duplicate).
    func storeVersion(of existing: ReportRecord, _ rp: ReportFacts, resource: JSONValue, requestID: String?, state: ReportState) throws -> [Issue] {
        var issues: [Issue] = []
        let regression = Self.precedence(rp.status) < Self.precedence(existing.status)
        if regression {
            issues.append(.warning(.reportStatusRegression, type: "business-rule",
                                   "A \(rp.status) version arrived after a \(existing.status) one; the newer status is kept"))
        }
        let v = try writer.putResource(type: existing.kind, id: existing.id, resource: regression ? Self.withStatus(resource, existing.status) : resource,
                                       messageID: messageID, at: now)
        locations?.note(rp.entryIndex, type: existing.kind, id: existing.id, version: v)
        var updated = existing
        updated.status = regression ? existing.status : rp.status
        updated.version += 1
        updated.requestID = requestID
        updated.state = state
        updated.requestKeys = Array(Set(existing.requestKeys).union(rp.requestKeys)).sorted()
        updated.updatedAt = now
        updated.messageID = messageID
        try writer.updateReport(updated)
        issues.append(.information(.reportNewVersion, "Stored as version \(updated.version) of a report already received"))
        return issues
    }

    /// Keeps the held index in step with the plan: a held report is indexed under the keys it waits on.
    /// A report stored just now (`isNew`) has no keys there to remove.
    func index(_ plan: ReportPlanner.Plan, reportID: String, requestKeys: [String], isNew: Bool = false) throws -> [Issue] {
        switch plan {
        case .awaitParent(let parentKey):
            try writer.addHeldKeys([parentKey], reportID: reportID)
            return [.information(.replacementHeld, type: "informational", "The document it replaces has not arrived; it is held until it does")]
        case .hold:
            try writer.addHeldKeys(requestKeys, reportID: reportID)
            return [.information(.reportHeld, type: "informational", "No request matches yet; the report is held until it arrives")]
        default:
            if !isNew { try writer.removeHeldKeys(reportID: reportID) }
            return []
        }
    }

    /// The correlation decision for a held report released by its parent: by its request keys, or —
    /// for a replacement naming none — the request of the document it replaces.
    func correlate(_ child: ReportRecord, inheritedFrom parent: ReportRecord) throws -> ReportPlanner.Plan {
        ReportPlanner.plan(try situation(patientKeys: child.patientKeys, requestKeys: child.requestKeys, existing: nil,
                                         replaces: parent.identity, parent: parent))
    }

    /// Replacements that arrived before the document they replace (`identity`, just stored as
    /// `parentID`): the new one is marked superseded, and each replacement is linked as it would
    /// have been (its own order ids, or the parent's request).
    func releaseReplacements(of identity: String, parentID: String, type: String) throws -> [Issue] {
        var issues: [Issue] = []
        for var child in try reader.heldReports(keys: [identity]) where child.replaces == identity {
            guard let parent = try reader.report(id: parentID) else { continue }
            issues += try supersede(parent, by: child.id, type: type)
            try writer.removeHeldKeys(reportID: child.id)
            child.note = nil
            switch try correlate(child, inheritedFrom: parent) {
            case .link(let rid, let via):
                child.state = .linked
                child.requestID = rid
                child.updatedAt = now
                try writer.updateReport(child)
                try writer.insertLink(reportID: child.id, requestID: rid, via: via.isEmpty ? "replaces|" + identity : via, at: now,
                                      messageID: messageID)
                if let stored = try reader.resource(type: child.kind, id: child.id), var o = stored.object {
                    o["meta"] = nil
                    try writer.putResource(type: child.kind, id: child.id, resource: Self.addingRelated(.object(o), "ServiceRequest/" + rid),
                                           messageID: messageID, at: now)
                }
                issues += try advanceTasks(requestID: rid, reportType: child.kind, reportID: child.id, status: child.status)
            case .hold, .awaitParent, .keep:
                child.state = .held
                try writer.updateReport(child)
                try writer.addHeldKeys(child.requestKeys, reportID: child.id)
            case .refuse(let issue):
                child.state = .mismatch
                child.note = issue.code
                try writer.updateReport(child)
            }
            issues.append(.information(.replacementReleased, "A replacement received earlier now supersedes this document"))
        }
        return issues
    }

    /// Stores Observations under fresh ids and returns the report with its references rewritten,
    /// subject set, and (for documents) the original bytes as the attachment.
    func prepare(_ rp: ReportFacts, id: String, patientRef: String?) throws -> JSONValue {
        if let resource = try prepareByPosition(rp, id: id, patientRef: patientRef) { return resource }
        var stored: [(String, JSONValue, Int?)] = []
        for (k, obs) in rp.observations.enumerated() {
            let newID = try newID(type: "Observation", proposed: rp.madeUpIDs ? nil : obs["id"]?.string)
            noteStored(type: "Observation", obs, entry: k < rp.observationEntries.count ? rp.observationEntries[k] : nil, as: newID)
            stored.append((newID, obs, k < rp.observationEntries.count ? rp.observationEntries[k] : nil))
        }
        for (newID, obs, entry) in stored {
            let o = refs.rewrite(obs.settingReference("subject", to: patientRef))
            let v = try writer.putResource(type: "Observation", id: newID, resource: o, messageID: messageID, at: now)
            locations?.note(entry, type: "Observation", id: newID, version: v)
        }
        noteStored(type: rp.kind.rawValue, rp.resource, entry: rp.entryIndex, as: id)
        var resource = refs.rewrite(rp.resource.settingReference("subject", to: patientRef))
        if rp.kind == .document, var o = resource.object {
            o["content"] = .array([.object(JSONObject(["attachment": .object(documentAttachment(o))]))])
            resource = .object(o)
        }
        return resource
    }

    /// `prepare` for a report whose only references are its `result`, one per Observation in order
    /// (`ReportFacts.referencesOnlyResults`, HL7 v2), with the same outcome and no walk of any tree:
    /// the Observations' ids are not noted (nothing else in the message names them), `result` is made
    /// from the ids they are stored under, and only the subjects set here are resolved. The Observations
    /// are those the reader checked and left to build (`ReportFacts.deferredObservations`): they are built
    /// where they are read or materialised. Nil when the report is not such a one.
    func prepareByPosition(_ rp: ReportFacts, id: String, patientRef: String?) throws -> JSONValue? {
        guard rp.referencesOnlyResults, rp.madeUpIDs, rp.kind == .diagnosticReport, rp.entryIndex == nil, refs.aliases.isEmpty,
              rp.observationCount == rp.deferredObservations.count,
              var report = rp.resource.object, (report["result"]?.array?.count ?? 0) == rp.observationCount else { return nil }
        let subject = patientRef.map { refs.resolved($0) ?? $0 }
        var results: [JSONValue] = []
        results.reserveCapacity(rp.observationCount)
        // Built where they are read or materialised, subject and all (`DeferredResource`, a recipe in the view record).
        for obs in rp.deferredObservations {
            let newID = try newID(type: "Observation", proposed: nil)
            try writer.putResource(type: "Observation", id: newID, deferred: obs.settingReference("subject", to: subject),
                                   messageID: messageID, at: now)
            results.append(.object(JSONObject([.init("reference", .string("Observation/" + newID))])))
        }
        noteStored(type: rp.kind.rawValue, rp.resource, entry: nil, as: id)
        if !results.isEmpty { report["result"] = .array(results) }
        return JSONValue.object(report).settingReference("subject", to: subject)
    }

    /// Marks `parent` superseded by `childID` (CDA RPLC): kept, with its DocumentReference status `superseded`.
    func supersede(_ parent: ReportRecord, by childID: String, type: String) throws -> [Issue] {
        guard parent.id != childID else { return [] }
        var old = parent
        old.state = .superseded
        old.supersededBy = childID
        old.updatedAt = now
        try writer.updateReport(old)
        try writer.removeHeldKeys(reportID: old.id)
        if let stored = try reader.resource(type: type, id: old.id), var o = stored.object {
            o["meta"] = nil
            if type == "DocumentReference" { o["status"] = .string("superseded") }
            try writer.putResource(type: type, id: old.id, resource: .object(o), messageID: messageID, at: now)
        }
        return [.information(.documentSuperseded, "The replaced document is kept and marked superseded")]
    }

    /// Links reports that were held waiting for a request that has just arrived.
    func linkHeldReports(requestID: String, keys: [String]) throws -> [Issue] {
        var issues: [Issue] = []
        guard let request = try reader.request(id: requestID) else { return [] }
        for var report in try reader.heldReports(keys: keys) where report.state == .held {
            switch ReportPlanner.release(heldPatient: writer.identity.canonical(report.patientKeys), request: candidate(request)) {
            case .link:
                report.state = .linked
                report.requestID = requestID
                report.updatedAt = now
                try writer.updateReport(report)
                try writer.removeHeldKeys(reportID: report.id)
                let held = Set(writer.identity.canonical(report.requestKeys))
                let via = writer.identity.canonical(keys).first { held.contains($0) } ?? keys.first ?? ""
                try writer.insertLink(reportID: report.id, requestID: requestID, via: via, at: now, messageID: messageID)
                if let stored = try reader.resource(type: report.kind, id: report.id), var o = stored.object {
                    o["meta"] = nil
                    let linked = report.kind == "DiagnosticReport" ? Self.addingBasedOn(.object(o), "ServiceRequest/" + requestID)
                        : Self.addingRelated(.object(o), "ServiceRequest/" + requestID)
                    try writer.putResource(type: report.kind, id: report.id, resource: linked, messageID: messageID, at: now)
                }
                issues.append(.information(.heldReportLinked, "A result received earlier was linked to this request"))
                issues += try advanceTasks(requestID: requestID, reportType: report.kind, reportID: report.id, status: report.status)
            case .refuse(let issue):
                report.state = .mismatch
                report.note = issue.code
                report.updatedAt = now
                try writer.updateReport(report)
                try writer.removeHeldKeys(reportID: report.id)
                issues.append(.warning(issue.code, type: issue.type,
                                       "A held result names this request but not the same patient; it stays with the operator"))
            case .hold, .awaitParent, .keep:
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

extension ReportPlanner.Plan {
    var isAwaitingParent: Bool {
        if case .awaitParent = self { return true }
        return false
    }
}

/// Rewrites `reference` values in a FHIR JSON tree through a map (old → new).
enum ReferenceRewriter {
    static func rewrite(_ v: JSONValue, _ map: [String: String]) -> JSONValue {
        guard !map.isEmpty else { return v }
        return rewrite(v) { map[$0] }
    }

    static func rewrite(_ v: JSONValue, _ map: (String) -> String?) -> JSONValue {
        rewritten(v, map) ?? v
    }

    /// The value with its references rewritten, or nil when none changes: an unchanged subtree is
    /// shared, never copied (most of a resource holds no reference).
    static func rewritten(_ v: JSONValue, _ map: (String) -> String?) -> JSONValue? {
        switch v {
        case .object(let o):
            var copy: JSONObject?
            for i in o.members.indices {
                let member = o.members[i]
                let new: JSONValue?
                if member.key == "reference", let s = member.value.string {
                    new = map(s).map { .string($0) }
                } else {
                    new = rewritten(member.value, map)
                }
                if let new {
                    if copy == nil { copy = o }
                    copy!.members[i].value = new
                }
            }
            return copy.map { .object($0) }
        case .array(let a):
            var copy: [JSONValue]?
            for i in a.indices {
                if let new = rewritten(a[i], map) {
                    if copy == nil { copy = a }
                    copy![i] = new
                }
            }
            return copy.map { .array($0) }
        default:
            return nil
        }
    }
}
