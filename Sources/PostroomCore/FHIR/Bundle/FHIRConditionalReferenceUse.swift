/// A conditional reference found in a Bundle: where it is and what it asks for.
public struct FHIRConditionalReferenceUse: Sendable, Hashable {
    /// The index of the Bundle entry it sits in (nil outside entries).
    public var entryIndex: Int?
    /// The FHIRPath-like location of the `reference` element.
    public var location: String
    /// The parsed search.
    public var reference: FHIRConditionalReference
}
