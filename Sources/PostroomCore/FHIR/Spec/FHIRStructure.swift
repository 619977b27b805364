/// One object shape: a resource, a complex datatype, or a backbone element inside one.
public struct FHIRStructure: Sendable {
    /// What the validator does besides the generic walk when it meets this shape.
    public enum Role: Sendable {
        case plain, identifier, reference, coding, codeableConcept, `extension`, bundle, narrative
    }

    /// The type name (`Task`, `Quantity`) or element path (`Task.input`).
    public let name: String
    /// Whether this is the root of a resource type.
    public let isResource: Bool
    /// Datatype-specific rules to apply after the generic walk.
    public let role: Role
    /// The members it allows.
    public internal(set) var elements: [FHIRElement]
    /// JSON member name → index in `elements` (choice types expanded: `valueQuantity`…).
    public internal(set) var elementIndex: [String: Int]
    /// Bit mask of the required slots; slot `i` belongs to `requiredSlotPaths[i]`.
    public internal(set) var requiredMask: UInt64
    /// Spec paths of the required elements, by slot.
    public internal(set) var requiredSlotPaths: [String]
    /// Names of the choice groups (`value[x]`), by group index.
    public internal(set) var choiceGroups: [String]
}
