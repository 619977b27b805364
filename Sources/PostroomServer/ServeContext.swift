import Hummingbird

/// The per-request context of `postroom serve`: Hummingbird's core storage plus who is asking.
public struct ServeContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Set by the authentication middleware; nil on the routes that need no credentials.
    public var principal: Principal?

    /// A context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
    }
}
