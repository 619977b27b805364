/// Decides what to do with a report given the requests its keys matched (DOMAIN.md §3.4).
public enum Correlator {
    /// A request as correlation sees it: its id and its patient's keys.
    public struct Candidate: Sendable, Hashable {
        public var requestID: String
        public var patientKeys: Set<String>
        public init(requestID: String, patientKeys: Set<String>) {
            self.requestID = requestID
            self.patientKeys = patientKeys
        }
    }

    /// The decision for one report.
    public enum Decision: Equatable, Sendable {
        /// Link to this request.
        case link(requestID: String)
        /// No request yet: hold the report until one arrives.
        case hold
        /// Refused, with the reason.
        case refuse(Issue)
    }

    /// Links when exactly one request matches and it is for the same patient; holds when none
    /// matches; refuses when several different requests match or the patient differs.
    public static func decide(reportPatient: Set<String>, candidates: [Candidate]) -> Decision {
        var unique: [Candidate] = []
        for c in candidates where !unique.contains(where: { $0.requestID == c.requestID }) { unique.append(c) }
        guard let only = unique.first else { return .hold }
        if unique.count > 1 {
            return .refuse(.error(.multipleRequestsMatch, type: "multiple-matches",
                                  "The report's identifiers match \(unique.count) different requests"))
        }
        switch PatientMatch.compare(reportPatient, only.patientKeys) {
        case .same: return .link(requestID: only.requestID)
        case .different:
            return .refuse(.error(.patientMismatch, type: "business-rule",
                                  "The report is for a different patient than the request it names"))
        case .unverifiable:
            return .refuse(.error(.patientUnverifiable, type: "business-rule",
                                  "The report or its request names no patient, so they cannot be linked safely"))
        }
    }
}
