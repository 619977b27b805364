/// The patient-mismatch guard: a report is never linked to a request for another patient.
public enum PatientMatch: Equatable, Sendable {
    /// Both sides name the same patient (a shared key and no conflicting NHS number).
    case same
    /// The sides name different patients.
    case different
    /// One side names no patient at all: it cannot be shown to be the same.
    case unverifiable

    /// Compares the patient keys of a report and of a request.
    public static func compare(_ a: Set<String>, _ b: Set<String>) -> PatientMatch {
        if a.isEmpty || b.isEmpty { return .unverifiable }
        let nhsA = a.filter { $0.hasPrefix("nhs|") }
        let nhsB = b.filter { $0.hasPrefix("nhs|") }
        if !nhsA.isEmpty && !nhsB.isEmpty && nhsA.isDisjoint(with: nhsB) { return .different }
        return a.isDisjoint(with: b) ? .different : .same
    }
}
