/// Validates FHIR R4 JSON resources against the spec tables, for every R4 resource type.
///
/// One walk over the `JSONValue` tree checks: unknown elements, missing required elements,
/// repeats, JSON types, primitive formats, empty objects/arrays and nulls, required bindings,
/// extensions (ext-1), contained resources and Bundle entries (each by its own type), Bundle
/// invariants bdl-1…bdl-12, references inside Bundles and to contained resources, and the
/// NHS identifier rules. Every finding is an `Issue` with a FHIRPath-like location.
public struct FHIRValidator: Sendable {
    /// What the walk found.
    public struct Report: Sendable {
        /// Every finding, in document order (Bundle rules first).
        public var issues: [Issue]
        /// Conditional references (`Task?identifier=…`) in transaction or batch Bundles, for the store to resolve.
        public var conditionalReferences: [FHIRConditionalReferenceUse]
    }

    /// The definitions validated against.
    public let spec: FHIRSpec
    /// Hashes of the fullUrls (normalised) of entries outside the Bundle validated: a group of a streamed
    /// Bundle's entries resolves `urn:` references to the rest of the file through them (8 bytes an entry).
    public var externalFullUrls: Set<Int> = []
    /// Entries of the Bundle validated that repeat one outside it (a streamed Bundle's earlier groups).
    public var externalRepeats = FHIRStreamedBundleIndex.Local()

    public init(spec: FHIRSpec = .r4) {
        self.spec = spec
    }

    /// Validates one resource (a Bundle included) and everything inside it. `rootIndex`, when given, is
    /// the index of `resource` itself (a Bundle), made once for the walk and the mapping.
    public func validate(_ resource: JSONValue, rootIndex: FHIRBundleIndex? = nil) -> Report {
        var walker = FHIRWalker(spec: spec)
        walker.rootIndex = rootIndex
        walker.externalFullUrls = externalFullUrls
        walker.externalRepeats = externalRepeats
        walker.walkResource(resource, contained: false)
        return Report(issues: walker.issues, conditionalReferences: walker.conditionals)
    }

    /// The issues of one resource (a convenience over `validate(_:)`).
    public func issues(_ resource: JSONValue) -> [Issue] {
        validate(resource).issues
    }
}
