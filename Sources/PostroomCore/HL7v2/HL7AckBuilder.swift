import Foundation

/// Builds HL7 v2 acknowledgements (ACK) and batch acknowledgements.
public enum HL7AckBuilder {
    /// The ACK of one message: MSH-3/4 swapped with MSH-5/6, a new MSH-10, `ACK^<trigger>^ACK`,
    /// MSH-11/12 echoed, MSA-1 AA/AE/AR and MSA-2 = the original MSH-10, one ERR per issue.
    public static func acknowledgement(for ctx: HL7AckContext, result: MessageResult, env: AckEnvironment) -> [UInt8] {
        Array(segments(for: ctx, result: result, env: env).joined(separator: "\r").utf8) + [0x0D]
    }

    /// The batch acknowledgement: FHS/BHS (BHS-12 = the original BHS-11), one ACK per message
    /// (only negative ones when `errorsOnly`), BTS/FTS with counts.
    public static func batchAcknowledgement(batch: HL7BatchContext, messages: [InboundMessage], results: [MessageResult],
                                            fileIssues: [Issue], errorsOnly: Bool, env: AckEnvironment) -> AckFile {
        let ts = timestamp(env)
        var lines: [String] = []
        if batch.hasFileHeader {
            lines.append("FHS|^~\\&|\(env.application)|\(env.facility)|\(batch.sendingApplication)|\(batch.sendingFacility)|\(ts)||||\(env.makeID())|\(batch.fileControlID ?? "")")
        }
        lines.append("BHS|^~\\&|\(env.application)|\(env.facility)|\(batch.sendingApplication)|\(batch.sendingFacility)|\(ts)||||\(env.makeID())|\(batch.batchControlID ?? "")")
        var count = 0
        for (m, r) in zip(messages, results) {
            guard case .hl7v2(let ctx) = m.answer, !ctx.isAcknowledgement else { continue }
            if errorsOnly && r.isPositive { continue }
            lines.append(contentsOf: segments(for: ctx, result: r, env: env))
            count += 1
        }
        lines.append("BTS|\(count)")
        if batch.hasFileHeader { lines.append("FTS|1") }
        return AckFile(suffix: "ack.hl7", bytes: Array(lines.joined(separator: "\r").utf8) + [0x0D])
    }

    static func segments(for ctx: HL7AckContext, result: MessageResult, env: AckEnvironment) -> [String] {
        let f = String(ctx.fieldSeparator)
        let code: String
        switch result.disposition {
        case .accepted, .held, .duplicate: code = "AA"
        case .rejected: code = result.transient ? "AR" : "AE"
        }
        let msh = ["MSH", ctx.encodingCharacters, ctx.receivingApplication.isEmpty ? env.application : ctx.receivingApplication,
                   ctx.receivingFacility.isEmpty ? env.facility : ctx.receivingFacility, ctx.sendingApplication, ctx.sendingFacility,
                   timestamp(env), "", "ACK^\(ctx.triggerEvent)^ACK", env.makeID(), ctx.processingID, ctx.versionID]
        var out = [msh.joined(separator: f), ["MSA", code, ctx.controlID].joined(separator: f)]
        for issue in result.issues where issue.severity >= .warning {
            let severity = issue.severity == .warning ? "W" : "E"
            out.append(["ERR", "", issue.location ?? "", "207", severity, "", "", "", escape(issue.text, ctx)].joined(separator: f))
        }
        return out
    }

    static func escape(_ text: String, _ ctx: HL7AckContext) -> String {
        let enc = Array(ctx.encodingCharacters)
        let esc = enc.count > 2 ? enc[2] : "\\"
        var out = ""
        for ch in text {
            if ch == esc { out += "\(esc)E\(esc)" }
            else if ch == ctx.fieldSeparator { out += "\(esc)F\(esc)" }
            else if enc.count > 0, ch == enc[0] { out += "\(esc)S\(esc)" }
            else if enc.count > 1, ch == enc[1] { out += "\(esc)R\(esc)" }
            else if enc.count > 3, ch == enc[3] { out += "\(esc)T\(esc)" }
            else if ch == "\r" || ch == "\n" { out += " " }
            else { out.append(ch) }
        }
        return out
    }

    /// `YYYYMMDDHHMMSS+ZZZZ` in the environment's time zone.
    static func timestamp(_ env: AckEnvironment) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = env.timeZone
        f.dateFormat = "yyyyMMddHHmmssZ"
        return f.string(from: env.now)
    }
}
