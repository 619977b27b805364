/// A FHIR resource built only when it is needed, the same tree every time it is built.
///
/// A result message's Observations are needed as JSON only when their view record is written or read:
/// the reader checks each one when it decodes the message (the checks decide the acknowledgement) and
/// hands on how to build it. The build is the reader's own mapping, so the stored JSON is the same as if
/// it had been built at once (PERFORMANCE.md, the run of 2026-12-05, 18:34).
///
/// An HL7 v2 Observation also has a compact written form, its recipe (`HL7ObservationRecipe`: the OBR,
/// OBX and NTE segments it comes from and what the mapping needs besides). A view record holds the
/// recipe instead of the JSON, and the JSON is built where the record is read or materialised
/// (`DeferredResource(recipe:)`), so a run does not build it at all.
public struct DeferredResource: Sendable {
    private let make: @Sendable () -> JSONValue
    private let recipe: HL7ObservationRecipe?

    public init(_ make: @escaping @Sendable () -> JSONValue) {
        self.make = make
        recipe = nil
    }

    init(_ recipe: HL7ObservationRecipe) {
        self.make = { recipe.build() }
        self.recipe = recipe
    }

    /// The resource a recipe written by `writeRecipe` builds; nil when the bytes are not such a recipe.
    public init?(recipe bytes: ArraySlice<UInt8>) {
        guard let kind = bytes.first, kind == Self.hl7Observation,
              let r = HL7ObservationRecipe(reading: bytes.dropFirst()) else { return nil }
        self.init(r)
    }

    /// The resource (built anew at every call).
    public func build() -> JSONValue { make() }

    /// This resource with `key` set to a reference to `reference` when, once built, it has no `key`
    /// (`JSONValue.settingReference`); the recipe, if any, carries the reference too.
    public func settingReference(_ key: String, to reference: String?) -> DeferredResource {
        guard let reference else { return self }
        if var r = recipe {
            r.references.append(.init(key: key, reference: reference))
            return DeferredResource(r)
        }
        let make = self.make
        return DeferredResource { make().settingReference(key, to: reference) }
    }

    /// Whether the resource has a written form (`writeRecipe`).
    public var hasRecipe: Bool { recipe != nil }

    /// Appends the written form that `init(recipe:)` reads (nothing when `hasRecipe` is false).
    public func writeRecipe(into out: inout [UInt8]) {
        guard let recipe else { return }
        out.append(Self.hl7Observation)
        recipe.write(into: &out)
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
