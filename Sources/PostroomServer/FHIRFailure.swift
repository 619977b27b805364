import Hummingbird
import PostroomCore

/// A FHIR request that cannot be answered as asked: becomes an OperationOutcome with `status`.
///
/// The text names parameters and rules, never the values a client sent (they may be NHS numbers).
struct FHIRFailure: Error, Sendable {
    var status: HTTPResponse.Status
    /// The FHIR IssueType (`not-supported`, `invalid`, `not-found`, `login`, `exception`...).
    var type: String
    /// Postroom's stable issue code.
    var code: IssueCode
    var text: String

    static func unknownParameter(_ name: String, type: String) -> FHIRFailure {
        let supported = (FHIRSearchParameters.parameters[type] ?? []).map(\.name) + FHIRSearchParameters.control
        return FHIRFailure(status: .badRequest, type: "not-supported", code: .searchParameterUnknown,
                           text: "Search parameter '\(name)' is not supported for \(type) (supported: \(supported.joined(separator: ", ")))")
    }

    static func invalid(_ name: String, _ why: String) -> FHIRFailure {
        FHIRFailure(status: .badRequest, type: "invalid", code: .searchValueInvalid, text: "The value of '\(name)' \(why)")
    }

    static func unknownType(_ type: String) -> FHIRFailure {
        FHIRFailure(status: .notFound, type: "not-supported", code: .resourceTypeUnknown,
                    text: "Resource type is not served here (served: \(FHIRSearchParameters.types.joined(separator: ", ")))")
    }

    static func unknownResource(_ type: String) -> FHIRFailure {
        FHIRFailure(status: .notFound, type: "not-found", code: .resourceNotFound, text: "No \(type) with this id is stored")
    }

    static let notFound = FHIRFailure(status: .notFound, type: "not-found", code: .pathNotFound,
                                      text: "Nothing is served at this path; see /metadata for what is supported")

    static let readOnly = FHIRFailure(status: .methodNotAllowed, type: "not-supported", code: .readOnly,
                                      text: "This server is read-only: only GET is supported")

    static let unauthorized = FHIRFailure(status: .unauthorized, type: "login", code: .unauthorized,
                                          text: "A bearer token is required (Authorization: Bearer <token>)")

    static let internalError = FHIRFailure(status: .internalServerError, type: "exception", code: .internalError,
                                           text: "The server could not answer this request; the error is logged")

    /// The OperationOutcome of this failure.
    var outcome: JSONValue {
        OperationOutcomeBuilder.build(id: Hex.lowercase(Digest.randomBytes(16)),
                                      issues: [Issue(.error, code, type: type, text)])
    }
}
