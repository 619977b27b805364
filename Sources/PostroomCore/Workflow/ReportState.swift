/// Where a stored report or document stands with its request (stored as its raw value, as before).
public enum ReportState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Linked to the request it answers.
    case linked
    /// Waiting for its request (or for the document it replaces).
    case held
    /// Held, but the request it names is for another patient (parked for an operator).
    case mismatch
    /// Replaced by a later document; kept.
    case superseded
}

/// A FHIR request's status (ServiceRequest/MedicationRequest `status`, request-status value set) as Postroom sets it.
/// A request's stored status is the sender's own code when the sender gives one; these are the ones Postroom sets.
public enum RequestStatus: String, Sendable, CaseIterable, Hashable {
    case draft, active
    case onHold = "on-hold"
    case revoked, completed
    case enteredInError = "entered-in-error"
    case unknown
}
