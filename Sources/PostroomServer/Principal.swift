/// Who made a request: a configured token's name, or `anonymous` when the configuration allows it.
public struct Principal: Sendable, Equatable {
    /// The token's name (`anonymous` without credentials).
    public var name: String
    /// Whether the credentials came from the browser session cookie (not a bearer header).
    public var viaCookie: Bool
}
