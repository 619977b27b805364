import Hummingbird

/// The per-request context of `postroom serve`: Hummingbird's core storage plus who is asking.
public struct ServeContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Set by the authentication middleware; nil on the routes that need no credentials.
    public var principal: Principal?
    /// The client's IP address, when the connection tells it (for throttling failed sign-ins).
    public var remoteAddress: String?

    /// A context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
