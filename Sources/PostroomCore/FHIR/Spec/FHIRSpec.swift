/// The FHIR R4 definitions the validator works from: every resource and datatype as object
/// shapes (`FHIRStructure`), the primitive types and the value sets of required bindings.
///
/// Built once, at first use, from the generated tables (`FHIRSpec.tableText`, made by
/// `postroom-fhir-gen` from the official core package), so nothing here is typed by hand.
public final class FHIRSpec: Sendable {
    /// The FHIR R4 (4.0.1) core specification.
    public static let r4 = FHIRSpec(tableText: FHIRSpec.tableText)

    /// Every object shape: resource and datatype roots, then their backbone elements.
    public let structures: [FHIRStructure]
    /// Type name (resource or complex datatype) → index of its root structure.
    public let typeIndex: [String: Int]
    /// The names of the concrete resource types.
    public let resourceTypes: Set<String>
    /// Primitive type name → the spec's regex (kept for documentation and cross-checks).
    public let primitiveRegexes: [String: String]
    /// The value sets of required bindings, by index.
    public let valueSets: [FHIRValueSet]
    /// Element type names the tables use but the loader could not resolve (should be empty).
    public let unresolvedTypes: Set<String>
    /// The structure of `Element` (what `_primitive` objects hold) and of `Bundle.entry`.
    let elementStructure: Int
    let bundleEntryStructure: Int

    init(structures: [FHIRStructure], typeIndex: [String: Int], resourceTypes: Set<String>,
         primitiveRegexes: [String: String], valueSets: [FHIRValueSet], unresolvedTypes: Set<String>) {
        self.structures = structures
        self.typeIndex = typeIndex
        self.resourceTypes = resourceTypes
        self.primitiveRegexes = primitiveRegexes
        self.valueSets = valueSets
        self.unresolvedTypes = unresolvedTypes
        elementStructure = typeIndex["Element"] ?? 0
        bundleEntryStructure = structures.firstIndex { $0.name == "Bundle.entry" } ?? -1
    }

    /// The root structure of a resource type, or nil when R4 has no such resource.
    public func resource(_ type: String) -> FHIRStructure? {
        guard resourceTypes.contains(type), let i = typeIndex[type] else { return nil }
        return structures[i]
    }

    /// The root structure index of a resource or datatype.
    public func structureIndex(ofType type: String) -> Int? { typeIndex[type] }
}

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
