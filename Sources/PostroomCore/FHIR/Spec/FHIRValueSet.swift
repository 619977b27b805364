/// The codes of a value set bound with strength `required`.
public struct FHIRValueSet: Sendable {
    /// The canonical URL of the value set.
    public let url: String
    /// False when the package cannot expand it (external code systems such as UCUM, BCP-13,
    /// ISO 4217): such bindings are not checked.
    public let isChecked: Bool
    /// Why the value set is not checked.
    public let note: String?
    /// Every code, whatever its system (for `code` elements).
    public let codes: Set<String>
    /// Codes by system (for `Coding` and `CodeableConcept`).
    public let codesBySystem: [String: Set<String>]

    /// Whether `code` (with an optional `system`) belongs to the value set.
    public func contains(code: String, system: String?) -> Bool {
        guard let system else { return codes.contains(code) }
        return codesBySystem[system]?.contains(code) ?? false
    }
}
