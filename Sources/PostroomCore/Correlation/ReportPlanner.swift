/// Which request a result answers, whether the patient is the same, hold or link (DOMAIN.md §3.4):
/// decided from what the store knows, as a value; the pipeline carries the plan out.
///
/// Every key and patient key given here is canonical (`IdentityNamespaces.canonical`), so a v2
/// order, a FHIR ServiceRequest and a CDA order id that name the same order meet whatever format
/// each came in, and the patient-mismatch guard sees every pair.
public enum ReportPlanner {
    /// What the store knows about a report that arrived.
    public struct Situation: Sendable {
        /// The report's patient keys (canonical).
        public var patientKeys: Set<String>
        /// A stored version of the same report (its identity), when there is one.
        public var existing: Stored?
        /// The document it replaces (CDA RPLC / `relatesTo replaces`): nil when it names none.
        public var replaces: Replaced?
        /// Whether the report names any request at all.
        public var namesRequests: Bool
        /// The requests its keys matched, each with the (canonical) key that matched.
        public var candidates: [(key: String, candidate: Correlator.Candidate)]

        public init(patientKeys: Set<String>, existing: Stored? = nil, replaces: Replaced? = nil, namesRequests: Bool,
                    candidates: [(key: String, candidate: Correlator.Candidate)]) {
            self.patientKeys = patientKeys
            self.existing = existing
            self.replaces = replaces
            self.namesRequests = namesRequests
            self.candidates = candidates
        }
    }

    /// A stored report as the planner needs it.
    public struct Stored: Sendable {
        public var patientKeys: Set<String>
        public var requestID: String?
        public init(patientKeys: Set<String>, requestID: String?) {
            self.patientKeys = patientKeys
            self.requestID = requestID
        }
    }

    /// The document a replacement names: `stored` is nil until it has arrived.
    public struct Replaced: Sendable {
        public var identity: String
        public var stored: Stored?
        public init(identity: String, stored: Stored?) {
            self.identity = identity
            self.stored = stored
        }
    }

    /// The decision.
    public enum Plan: Equatable, Sendable {
        /// A new version of a report already linked: it stays with its request.
        case keep(requestID: String)
        /// Link to the request, recording the key it was found by.
        case link(requestID: String, via: String)
        /// No request yet: hold until one arrives under any of the report's keys.
        case hold
        /// A replacement whose parent has not arrived: hold until the parent does.
        case awaitParent(identity: String)
        /// Refused with the reason; nothing of the report is stored.
        case refuse(Issue)
    }

    public static func plan(_ s: Situation) -> Plan {
        if let existing = s.existing {
            if PatientMatch.compare(s.patientKeys, existing.patientKeys) == .different {
                return .refuse(.error(.patientMismatch, type: "business-rule",
                                      "A new version of a stored report names a different patient"))
            }
            if let rid = existing.requestID { return .keep(requestID: rid) }
        }
        if s.existing == nil, let replaced = s.replaces {
            guard let parent = replaced.stored else { return .awaitParent(identity: replaced.identity) }
            if PatientMatch.compare(s.patientKeys, parent.patientKeys) == .different {
                return .refuse(.error(.patientMismatch, type: "business-rule", "The document replaces one about a different patient"))
            }
            if !s.namesRequests, let rid = parent.requestID { return .link(requestID: rid, via: "replaces|" + replaced.identity) }
        }
        switch Correlator.decide(reportPatient: s.patientKeys, candidates: s.candidates.map(\.candidate)) {
        case .link(let rid): return .link(requestID: rid, via: s.candidates.first { $0.candidate.requestID == rid }?.key ?? "")
        case .hold: return .hold
        case .refuse(let issue): return .refuse(issue)
        }
    }

    /// A held report meets a request that has just arrived under one of its keys: link it, or —
    /// when the request is for another patient — refuse it, so it is reported rather than left waiting.
    public static func release(heldPatient: Set<String>, request: Correlator.Candidate) -> Plan {
        switch Correlator.decide(reportPatient: heldPatient, candidates: [request]) {
        case .link(let rid): return .link(requestID: rid, via: "")
        case .hold: return .hold
        case .refuse(let issue): return .refuse(issue)
        }
    }
}
