import Foundation
import Hummingbird
import Logging

/// Logs every request as method, route template (`/:type/:id`, never the concrete path or query),
/// status and duration — nothing a patient could be identified by.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    let logger: Logger

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, context, status: status, since: start)
            throw error
        }
    }

    func log(_ request: Request, _ context: ServeContext, status: Int, since start: ContinuousClock.Instant) {
        let d = ContinuousClock.now - start
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? "unmatched"),
            "status": .stringConvertible(status),
            "ms": .string(String(format: "%.1f", ms)),
        ])
    }
}

/// Turns whatever a handler throws into an answer: an OperationOutcome on FHIR paths, a small HTML
/// page under `/ui`. An unexpected error is a 500 whose log names only the error's type.
struct FailureMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    let logger: Logger

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let ui = request.uri.path == "/ui" || request.uri.path.hasPrefix("/ui/")
            var failure: FHIRFailure
            switch error {
            case let f as FHIRFailure:
                failure = f
            case let e as HTTPError where e.status == .notFound:
                failure = request.method == .get || request.method == .head || ui ? .notFound : .readOnly
            case let e as any HTTPResponseError where e.status.code < 500:
                failure = FHIRFailure(status: e.status, type: "invalid", code: "bad-request", text: "The request could not be read")
            default:
                logger.error("request failed", metadata: ["route": .string(context.endpointPath ?? "unmatched"),
                                                          "error": .string(String(describing: type(of: error)))])
                failure = .internalError
            }
            return ui ? UIPage.failure(failure) : FHIRResponse.failure(failure)
        }
    }
}

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
