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
