/// ITK3 response codes (DOMAIN.md §5.6, `https://fhir.nhs.uk/STU3/CodeSystem/ITK-ResponseCodes-1`)
/// that Postroom returns for ITK-wrapped CDA documents.
public enum ITKResponseCode: Int, Sendable, CaseIterable {
    /// The message could not be read.
    case unreadable = 10009
    /// The ITK header (DistributionEnvelope header, manifest, payload list) is invalid.
    case headerValidationFailure = 20006
    /// The same message (tracking id) was received before.
    case duplicateMessage = 20007
    /// The same document was received before.
    case duplicateDocument = 20008
    /// A payload failed validation.
    case payloadValidationFailure = 20009
    /// Accepted.
    case success = 20013

    /// The code system of ITK response codes.
    public static let system = "https://fhir.nhs.uk/STU3/CodeSystem/ITK-ResponseCodes-1"

    /// The code's display text.
    public var display: String {
        switch self {
        case .unreadable: "Unreadable message"
        case .headerValidationFailure: "ITK header validation failure"
        case .duplicateMessage: "Duplicate message"
        case .duplicateDocument: "Duplicate document"
        case .payloadValidationFailure: "Payload validation failure"
        case .success: "Success"
        }
    }

    /// Whether the code is positive (success or a duplicate that was accepted before).
    public var isNegative: Bool { self == .unreadable || self == .headerValidationFailure || self == .payloadValidationFailure }

    /// The issue code a pipeline puts in `MessageResult.issues` when a duplicate matched the
    /// ITK tracking id (`itk|…` key): the answer is then 20007 rather than 20008.
    public static let duplicateMessageIssueCode = IssueCode.duplicateMessage.code

    /// The code for one message's result (see `CDAAnswerBuilder`).
    ///
    /// - duplicate: 20007 when an issue has code `duplicate-message`, else 20008 (the document
    ///   was seen before);
    /// - accepted or held: 20013;
    /// - rejected: 10009 when the XML or the payload could not be read (`xml-…`,
    ///   `itk-payload-unreadable`), 20006 for ITK envelope errors (`itk-…`, `soap-…`), 20009 otherwise.
    public static func code(for result: MessageResult) -> ITKResponseCode {
        switch result.disposition {
        case .duplicate:
            return result.issues.contains { $0.code == duplicateMessageIssueCode } ? .duplicateMessage : .duplicateDocument
        case .accepted, .held:
            return .success
        case .rejected:
            let errors = result.issues.filter(\.isError)
            if errors.contains(where: { $0.code.hasPrefix("xml-") || $0.has(.itkPayloadUnreadable) }) { return .unreadable }
            if errors.contains(where: { $0.code.hasPrefix("itk-") || $0.code.hasPrefix("soap-") }) { return .headerValidationFailure }
            return .payloadValidationFailure
        }
    }

    /// The one code for a whole envelope (ITK answers a message with one code): the first of
    /// 10009, 20006, 20009, 20007, 20008, 20013 that any payload has.
    public static func combined(_ codes: [ITKResponseCode]) -> ITKResponseCode {
        let precedence: [ITKResponseCode] = [.unreadable, .headerValidationFailure, .payloadValidationFailure,
                                             .duplicateMessage, .duplicateDocument, .success]
        return precedence.first { codes.contains($0) } ?? .success
    }
}
