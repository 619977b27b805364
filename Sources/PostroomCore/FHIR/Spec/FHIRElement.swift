/// One element of a structure, as a JSON member name.
public struct FHIRElement: Sendable {
    /// What the member holds.
    public enum Kind: Sendable {
        case primitive(FHIRPrimitive)
        /// A complex datatype or backbone element: the index of its structure.
        case structure(Int)
        /// Any resource, typed by its own `resourceType` (`contained`, `Bundle.entry.resource`).
        case resource
    }

    /// The JSON member name (`status`, `valueQuantity`).
    public let name: String
    /// The spec path (`Task.input.value[x]`).
    public let path: String
    /// Minimum cardinality (for a choice: of the whole choice).
    public let min: Int
    /// Maximum repeats; `Int.max` for `*`.
    public let max: Int
    /// Primitive, structure or resource.
    public let kind: Kind
    /// The required binding's value set index, or -1.
    public let valueSet: Int
    /// The choice group index within the structure, or -1.
    public let choiceGroup: Int
    /// The required slot, or -1.
    public let requiredSlot: Int

    /// Whether the element repeats (an array in JSON).
    public var isRepeating: Bool { max > 1 }
}
