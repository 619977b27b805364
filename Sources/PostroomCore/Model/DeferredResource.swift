/// A FHIR resource built only when it is needed, the same tree every time it is built.
///
/// A result message's Observations are needed as JSON only when their view record is written, which
/// happens on the view encoder's thread (`ViewRecordEncoder`), not on the writer's: the reader checks
/// each one when it decodes the message (the checks decide the acknowledgement) and hands on how to
/// build it. The build is the reader's own mapping, so the stored JSON is the same as if it had been
/// built at once (PERFORMANCE.md, the run of 2026-12-05, 18:34).
public struct DeferredResource: Sendable {
    private let make: @Sendable () -> JSONValue

    public init(_ make: @escaping @Sendable () -> JSONValue) {
        self.make = make
    }

    /// The resource (built anew at every call).
    public func build() -> JSONValue { make() }

    /// This resource with `change` applied to it once it is built.
    public func map(_ change: @escaping @Sendable (JSONValue) -> JSONValue) -> DeferredResource {
        let make = self.make
        return DeferredResource { change(make()) }
    }
}
