extension HL7AckBuilder {
    /// The batch acknowledgement: FHS/BHS (FHS-12 / BHS-12 = the original FHS-11 / BHS-11), the
    /// ACKs of every message (only the negative ones when `errorsOnly`), BTS/FTS with counts.
    /// For back-to-back messages with no envelope, just the ACKs one after another.
    ///
    /// File-level errors (a truncated batch) reject every message: each ACK carries them.
    public static func batchAcknowledgement(batch: HL7BatchContext, messages: [InboundMessage], results: [MessageResult],
                                            fileIssues: [Issue], errorsOnly: Bool, env: AckEnvironment) -> AckFile {
        let fileErrors = fileIssues.filter(\.isError)
        var body: [UInt8] = []
        var count = 0
        for (m, r) in zip(messages, results) {
            guard case .hl7v2(let ctx) = m.answer, !ctx.isAcknowledgement else { continue }
            var result = r
            if !fileErrors.isEmpty {
                result = MessageResult(disposition: .rejected, issues: fileErrors + r.issues.filter { !fileErrors.contains($0) },
                                       transient: r.transient)
            }
            if errorsOnly && result.isPositive { continue }
            for ack in self.messages(for: ctx, result: result, env: env) {
                body += encode(ack, ctx)
                count += 1
            }
        }
        guard batch.hasBatchHeader else { return AckFile(suffix: "ack.hl7", bytes: body) }
        let std = HL7AckContext()
        let ts = timestamp(env)
        let comment = fileErrors.first.map { escape($0.text, std) } ?? ""
        var head: [String] = []
        if batch.hasFileHeader {
            head.append(["FHS", "^~\\&", escape(env.application, std), escape(env.facility, std), batch.sendingApplication,
                         batch.sendingFacility, ts, "", "", comment, escape(env.makeID(), std), batch.fileControlID ?? ""].joined(separator: "|"))
        }
        head.append(["BHS", "^~\\&", escape(env.application, std), escape(env.facility, std), batch.sendingApplication,
                     batch.sendingFacility, ts, "", "", comment, escape(env.makeID(), std), batch.batchControlID ?? ""].joined(separator: "|"))
        var tail = ["BTS|\(count)"]
        if batch.hasFileHeader { tail.append("FTS|1") }
        return AckFile(suffix: "ack.hl7", bytes: encode(head, std) + body + encode(tail, std))
    }
}
