/// A FHIR resource built only when it is needed, the same tree every time it is built.
///
/// A result message's Observations are needed as JSON only when they are read or materialised: the
/// reader checks each one when it decodes the message (the checks decide the acknowledgement) and hands
/// on how to build it. The build is the reader's own mapping, so the stored JSON is the same as if
/// it had been built at once (PERFORMANCE.md, the run of 2026-12-05, 18:34).
///
/// An HL7 v2 Observation also has a compact written form, its recipe (`HL7ObservationRecipe`: the OBR,
/// OBX and NTE segments it comes from and what the mapping needs besides). A view record holds the
/// recipe instead of the JSON, and the JSON is built where the record is read or materialised
/// (`DeferredResource(recipe:)`), so a run does not build it at all. The JSON is the mapping's of the
/// version that reads the record: a change to the Observation mapping takes a new recipe kind
/// (`hl7Observation`), and an earlier version cannot read a record with recipes (it refuses the record).
public struct DeferredResource: Sendable {
    /// A reference set once the resource is built, when it has no such member (`JSONValue.settingReference`).
    struct Reference: Sendable {
        var key: String
        var reference: String
    }

    /// How the resource is built: a closure, or a recipe (a class, shared by every copy: copying a
    /// deferred resource costs one reference count).
    private enum Source: Sendable {
        case make(@Sendable () -> JSONValue)
        case recipe(HL7ObservationRecipe)
    }

    private let source: Source
    /// Set in order once built.
    private var references: [Reference] = []

    public init(_ make: @escaping @Sendable () -> JSONValue) {
        source = .make(make)
    }

    init(_ recipe: HL7ObservationRecipe, references: [Reference] = []) {
        source = .recipe(recipe)
        self.references = references
    }

    /// The resource a recipe written by `writeRecipe` builds; nil when the bytes are not such a recipe.
    public init?(recipe bytes: ArraySlice<UInt8>) {
        guard let kind = bytes.first, kind == Self.hl7Observation,
              let (recipe, references) = HL7ObservationRecipe.read(bytes.dropFirst()) else { return nil }
        self.init(recipe, references: references)
    }

    /// The resource (built anew at every call).
    public func build() -> JSONValue {
        var v: JSONValue
        switch source {
        case .make(let make): v = make()
        case .recipe(let recipe): v = recipe.build()
        }
        for r in references { v = v.settingReference(r.key, to: r.reference) }
        return v
    }

    /// This resource with `key` set to a reference to `reference` when, once built, it has no `key`
    /// (`JSONValue.settingReference`); its recipe, if any, carries the reference too.
    public func settingReference(_ key: String, to reference: String?) -> DeferredResource {
        guard let reference else { return self }
        var d = self
        d.references.append(Reference(key: key, reference: reference))
        return d
    }

    /// Whether the resource has a written form (`writeRecipe`).
    public var hasRecipe: Bool {
        if case .recipe = source { true } else { false }
    }

    /// Appends the written form that `init(recipe:)` reads (nothing when `hasRecipe` is false).
    public func writeRecipe(into out: inout [UInt8]) {
        guard case .recipe(let recipe) = source else { return }
        out.append(Self.hl7Observation)
        recipe.write(references: references, into: &out)
    }

    /// The first byte of a recipe: its kind.
    static let hl7Observation: UInt8 = 1
}

extension JSONValue {
    /// This object with `key` set to `{"reference": reference}` when it has no `key` (added last);
    /// anything else unchanged.
    public func settingReference(_ key: String, to reference: String?) -> JSONValue {
        guard let reference, var o = object, o[key] == nil else { return self }
        o[key] = .object(JSONObject(["reference": .string(reference)]))
        return .object(o)
    }
}
