import Hummingbird

/// Requires credentials: a bearer token, the session cookie, or anonymous access when configured.
/// FHIR paths answer 401 with `WWW-Authenticate: Bearer`; the web page sends browsers to its login form.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    let auth: Authenticator

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        var context = context
        if path == "/ui/login" || path == "/favicon.ico" {
            return try await next(request, context)
        }
        context.principal = auth.authenticate(request)
        if path == "/metrics" && auth.config.openMetrics {
            return try await next(request, context)
        }
        guard context.principal != nil else {
            if path == "/ui" || path.hasPrefix("/ui/") || path == "/" {
                return Response(status: .seeOther, headers: [.location: "/ui/login"])
            }
            var r = FHIRResponse.failure(.unauthorized)
            r.headers[.wwwAuthenticate] = "Bearer realm=\"postroom\""
            return r
        }
        return try await next(request, context)
    }
}
