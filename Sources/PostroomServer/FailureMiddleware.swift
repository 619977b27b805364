import Foundation
import Hummingbird
import Logging

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
                failure = FHIRFailure(status: e.status, type: "invalid", code: .badRequest, text: "The request could not be read")
            default:
                logger.error("request failed", metadata: ["route": .string(context.endpointPath ?? "unmatched"),
                                                          "error": .string(String(describing: type(of: error)))])
                failure = .internalError
            }
            return ui ? UIPage.failure(failure) : FHIRResponse.failure(failure)
        }
    }
}
