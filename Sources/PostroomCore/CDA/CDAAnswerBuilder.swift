/// Builds the answer to a CDA document drop: an OperationOutcome echoing the document id.
public enum CDAAnswerBuilder {
    public static func outcome(for ctx: CDAAnswerContext, result: MessageResult, env: AckEnvironment) -> JSONValue {
        var issues = result.issues
        if let id = ctx.documentID {
            issues.append(.information("document-id", at: "/ClinicalDocument/id", "Document \(id): \(Acknowledger.okText(result))"))
        }
        return OperationOutcomeBuilder.build(id: env.makeID(), issues: issues, okText: Acknowledger.okText(result))
    }
}
