extension HL7AckBuilder {
    /// The batch acknowledgement: FHS/BHS (FHS-12 / BHS-12 = the original FHS-11 / BHS-11), the
    /// ACKs of every message (only the negative ones when `errorsOnly`), BTS/FTS with counts.
    /// For back-to-back messages with no envelope, just the ACKs one after another.
    ///
    /// File-level errors (a truncated batch) reject every message: each ACK carries them.
    public static func batchAcknowledgement(batch: HL7BatchContext, messages: [InboundMessage], results: [MessageResult],
                                            fileIssues: [Issue], errorsOnly: Bool, env: AckEnvironment) -> AckFile {
        var body: [UInt8] = []
        var count = 0
        for (m, r) in zip(messages, results) {
            let part = batchEntry(for: m.answer, result: r, fileIssues: fileIssues, errorsOnly: errorsOnly, env: env)
            body += part.bytes
            count += part.count
        }
        guard batch.hasBatchHeader else { return AckFile(suffix: "ack.hl7", bytes: body) }
        return AckFile(suffix: "ack.hl7", bytes: batchHeader(batch, fileIssues: fileIssues, env: env) + body + batchTrailer(batch, count: count))
    }

    /// The ACKs of one message of a batch (empty for an ACK, or for a positive one when `errorsOnly`),
    /// and how many ACK messages that is; file-level errors reject the message. For streaming a batch's answer.
    public static func batchEntry(for answer: AnswerContext, result r: MessageResult, fileIssues: [Issue], errorsOnly: Bool,
                                  env: AckEnvironment) -> (bytes: [UInt8], count: Int) {
        guard case .hl7v2(let ctx) = answer, !ctx.isAcknowledgement else { return ([], 0) }
        let fileErrors = fileIssues.filter(\.isError)
        var result = r
        if !fileErrors.isEmpty {
            result = MessageResult(disposition: .rejected, issues: fileErrors + r.issues.filter { !fileErrors.contains($0) },
                                   transient: r.transient)
        }
        if errorsOnly && result.isPositive { return ([], 0) }
        var bytes: [UInt8] = []
        var count = 0
        for ack in self.messages(for: ctx, result: result, env: env) {
            bytes += encode(ack, ctx)
            count += 1
        }
        return (bytes, count)
    }

    /// The FHS/BHS of a batch acknowledgement (FHS-12 / BHS-12 = the original FHS-11 / BHS-11); empty for
    /// back-to-back messages with no envelope.
    public static func batchHeader(_ batch: HL7BatchContext, fileIssues: [Issue], env: AckEnvironment) -> [UInt8] {
        guard batch.hasBatchHeader else { return [] }
        let std = HL7AckContext()
        let ts = timestamp(env)
        let comment = fileIssues.filter(\.isError).first.map { escape($0.text, std) } ?? ""
        var head: [String] = []
        if batch.hasFileHeader {
            head.append(["FHS", "^~\\&", escape(env.application, std), escape(env.facility, std), batch.sendingApplication,
                         batch.sendingFacility, ts, "", "", comment, escape(env.makeControlID(), std), batch.fileControlID ?? ""].joined(separator: "|"))
        }
        head.append(["BHS", "^~\\&", escape(env.application, std), escape(env.facility, std), batch.sendingApplication,
                     batch.sendingFacility, ts, "", "", comment, escape(env.makeControlID(), std), batch.batchControlID ?? ""].joined(separator: "|"))
        return encode(head, std)
    }

    /// The BTS/FTS of a batch acknowledgement holding `count` ACK messages; empty with no envelope.
    public static func batchTrailer(_ batch: HL7BatchContext, count: Int) -> [UInt8] {
        guard batch.hasBatchHeader else { return [] }
        var tail = ["BTS|\(count)"]
        if batch.hasFileHeader { tail.append("FTS|1") }
        return encode(tail, HL7AckContext())
    }
}
