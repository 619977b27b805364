/// Chooses and builds the acknowledgement of a drop from what became of its messages.
public enum Acknowledger {
    /// The acknowledgement file of a drop, or nil when nothing must be answered (an ACK, a response message).
    ///
    /// - Parameters:
    ///   - drop: the decoded drop.
    ///   - results: one result per message of `drop.messages`, in order.
    ///   - dropIssues: issues of the file as a whole (if any is an error, every message was rejected).
    ///   - errorsOnly: for v2 batches, list only the negative ACKs.
    public static func answer(drop: DecodedDrop, results: [MessageResult], env: AckEnvironment, errorsOnly: Bool = false) -> AckFile? {
        if let batch = drop.batch {
            return HL7AckBuilder.batchAcknowledgement(batch: batch, messages: drop.messages, results: results,
                                                      fileIssues: drop.issues, errorsOnly: errorsOnly, env: env)
        }
        guard let message = drop.messages.first, let result = results.first else {
            // Nothing readable: an OperationOutcome with the drop's issues.
            let oo = OperationOutcomeBuilder.build(id: env.makeID(), issues: drop.issues)
            return AckFile(suffix: "outcome.json", bytes: JSONWriter(pretty: true).bytes(oo))
        }
        switch message.answer {
        case .hl7v2(let ctx):
            if ctx.isAcknowledgement { return nil }
            // Empty when enhanced mode asks for no acknowledgement (MSH-15/16 NE, ER on success, SU on error).
            let bytes = HL7AckBuilder.acknowledgement(for: ctx, result: result, env: env)
            return bytes.isEmpty ? nil : AckFile(suffix: "ack.hl7", bytes: bytes)
        case .fhirMessage(let ctx):
            if ctx.isResponse { return nil }
            let bundle = FHIRResponseBuilder.response(to: ctx, result: result, env: env)
            return AckFile(suffix: "response.json", bytes: JSONWriter(pretty: true).bytes(bundle))
        case .fhirResource(let type, _) where type == "OperationOutcome":
            // An OperationOutcome is itself an answer: answering it would start a loop.
            return nil
        case .fhirResource, .unreadable:
            if let batch = message.fhirBatch, let entries = result.entryResults {
                let bundle = FHIRResponseBuilder.batchResponse(type: batch.kind, entryResults: entries, env: env)
                return AckFile(suffix: "response.json", bytes: JSONWriter(pretty: true).bytes(bundle))
            }
            let oo = OperationOutcomeBuilder.build(id: env.makeID(), issues: result.issues, okText: okText(result))
            return AckFile(suffix: "outcome.json", bytes: JSONWriter(pretty: true).bytes(oo))
        case .cda:
            return CDAAnswerBuilder.answer(drop: drop, results: results, env: env)
        }
    }

    static func okText(_ result: MessageResult) -> String {
        switch result.disposition {
        case .accepted: "Accepted"
        case .held: "Accepted; held until the request it answers arrives"
        case .duplicate: "Duplicate of a message already processed"
        case .rejected: "Rejected"
        }
    }
}
