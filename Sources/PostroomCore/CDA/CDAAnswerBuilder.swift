/// Builds the answer to a CDA drop: one FHIR R4 OperationOutcome (`outcome.json`).
///
/// It lists every issue of every document (identical envelope issues once), and for each
/// document an `information` issue `document-id` that echoes the document id and what became
/// of it. For ITK-wrapped documents (`CDAAnswerContext.envelope` `ITK` or `SOAP+ITK`) the
/// **first** issue carries the ITK response code (DOMAIN.md §5.6) in `details.coding` with
/// system `https://fhir.nhs.uk/STU3/CodeSystem/ITK-ResponseCodes-1` (beside Postroom's own
/// code `itk-response`), and its diagnostics echo the tracking id. One code answers the whole
/// envelope (see `ITKResponseCode.combined`).
public enum CDAAnswerBuilder {
    /// The answer to one document (used by `Acknowledger` for a single-message drop).
    public static func outcome(for ctx: CDAAnswerContext, result: MessageResult, env: AckEnvironment) -> JSONValue {
        outcome(for: [(ctx, result)], env: env)
    }

    /// The answer to a whole drop: every message and its result, in order. With no messages
    /// (the drop could not be read) the drop's issues are listed.
    public static func answer(drop: DecodedDrop, results: [MessageResult], env: AckEnvironment) -> AckFile {
        var pairs: [(CDAAnswerContext, MessageResult)] = []
        for (message, result) in zip(drop.messages, results) {
            if case .cda(let ctx) = message.answer { pairs.append((ctx, result)) }
        }
        let oo: JSONValue
        if pairs.isEmpty {
            oo = OperationOutcomeBuilder.build(id: env.makeID(), issues: drop.issues, okText: "Rejected")
        } else {
            oo = outcome(for: pairs, env: env, dropIssues: drop.issues)
        }
        return AckFile(suffix: "outcome.json", bytes: JSONWriter(pretty: true).bytes(oo))
    }

    static func outcome(for pairs: [(CDAAnswerContext, MessageResult)], env: AckEnvironment, dropIssues: [Issue] = []) -> JSONValue {
        var issues: [Issue] = []
        var seen: Set<Issue> = []
        for issue in dropIssues where seen.insert(issue).inserted { issues.append(issue) }
        for (ctx, result) in pairs {
            for issue in result.issues where seen.insert(issue).inserted { issues.append(issue) }
            if let id = ctx.documentID {
                issues.append(.information(.documentID, at: "/ClinicalDocument/id", "Document \(id): \(Acknowledger.okText(result))"))
            }
        }
        let summary = pairs.count == 1 ? Acknowledger.okText(pairs[0].1) : "\(pairs.count) documents processed"
        var oo = OperationOutcomeBuilder.build(id: env.makeID(), issues: issues, okText: summary)
        guard let ctx = pairs.first?.0, let envelope = ctx.envelope, envelope.contains("ITK") else { return oo }
        let code = ITKResponseCode.combined(pairs.map { ITKResponseCode.code(for: $0.1) })
        if case .object(var object) = oo, case .array(var list)? = object["issue"] {
            list.insert(itkIssue(code, trackingID: ctx.itkTrackingID), at: 0)
            object["issue"] = .array(list)
            oo = .object(object)
        }
        return oo
    }

    /// The OperationOutcome issue that carries the ITK response code.
    static func itkIssue(_ code: ITKResponseCode, trackingID: String?) -> JSONValue {
        let severity: String
        let type: String
        switch code {
        case .success: severity = "information"; type = "informational"
        case .duplicateMessage, .duplicateDocument: severity = "warning"; type = "duplicate"
        case .unreadable: severity = "error"; type = "structure"
        case .headerValidationFailure: severity = "error"; type = "structure"
        case .payloadValidationFailure: severity = "error"; type = "invalid"
        }
        let tracking = trackingID.map { "ITK tracking id \($0)" } ?? "ITK message without a tracking id"
        return .object(JSONObject([
            "severity": .string(severity),
            "code": .string(type),
            "details": .object(JSONObject([
                "coding": .array([
                    .object(JSONObject([
                        "system": .string(ITKResponseCode.system),
                        "code": .string(String(code.rawValue)),
                        "display": .string(code.display),
                    ])),
                    .object(JSONObject([
                        "system": .string(OperationOutcomeBuilder.issueCodeSystem),
                        "code": "itk-response",
                    ])),
                ]),
                "text": .string(code.display),
            ])),
            "diagnostics": .string("\(tracking): \(code.rawValue) \(code.display)"),
            "location": .array([.string("/DistributionEnvelope/header/@trackingid")]),
        ]))
    }
}
