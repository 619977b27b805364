import Foundation

/// Builds HL7 v2 acknowledgements (DOMAIN.md §6.6) and batch acknowledgements (§6.7).
public enum HL7AckBuilder {
    /// The acknowledgement of one message, or no bytes when none is due (an ACK is never
    /// acknowledged; in enhanced mode MSH-15/16 may ask for none).
    ///
    /// Original mode (MSH-15 and MSH-16 empty): one ACK with AA/AE/AR. Enhanced mode: a commit
    /// ACK (CA/CE/CR) as MSH-15 asks, then an application ACK (AA/AE/AR) as MSH-16 asks.
    /// Each ACK swaps MSH-3/4 with MSH-5/6, has a new MSH-10, MSH-9 `ACK^<trigger>^ACK`,
    /// echoes MSH-11/12, and MSA-2 = the original MSH-10; ERR segments carry the issues.
    public static func acknowledgement(for ctx: HL7AckContext, result: MessageResult, env: AckEnvironment) -> [UInt8] {
        messages(for: ctx, result: result, env: env).flatMap { encode($0, ctx) }
    }

    /// The segments of each ACK message due for one message (none for an ACK).
    static func messages(for ctx: HL7AckContext, result: MessageResult, env: AckEnvironment) -> [[String]] {
        guard !ctx.isAcknowledgement else { return [] }
        let enhanced = !ctx.acceptAckType.isEmpty || !ctx.applicationAckType.isEmpty
        guard enhanced else { return [ack(ctx, code: HL7AckPolicy.applicationCode(result), result: result, env: env)] }
        var out: [[String]] = []
        let commit = HL7AckPolicy.commitCode(result)
        let commitDue = HL7AckPolicy.isDue(ctx.acceptAckType, positive: commit == "CA")
        if commitDue { out.append(ack(ctx, code: commit, result: commit == "CA" ? nil : result, env: env)) }
        let application = HL7AckPolicy.applicationCode(result)
        if commit == "CA" || !commitDue, HL7AckPolicy.isDue(ctx.applicationAckType, positive: application == "AA") {
            out.append(ack(ctx, code: application, result: result, env: env))
        }
        return out
    }

    /// One ACK message's segments.
    static func ack(_ ctx: HL7AckContext, code: String, result: MessageResult?, env: AckEnvironment) -> [String] {
        let f = String(ctx.fieldSeparator)
        let comp = ctx.encodingCharacters.first ?? "^"
        let trigger = ctx.triggerEvent.isEmpty ? "" : "\(comp)\(escape(ctx.triggerEvent, ctx))\(comp)ACK"
        var msh = ["MSH", ctx.encodingCharacters,
                   ctx.receivingApplication.isEmpty ? escape(env.application, ctx) : ctx.receivingApplication,
                   ctx.receivingFacility.isEmpty ? escape(env.facility, ctx) : ctx.receivingFacility,
                   ctx.sendingApplication, ctx.sendingFacility, timestamp(env), "", "ACK" + trigger, escape(env.makeControlID(), ctx),
                   ctx.processingID.isEmpty ? "P" : ctx.processingID, ctx.versionID.isEmpty ? "2.5.1" : ctx.versionID]
        if !ctx.characterSet.isEmpty {
            msh += ["", "", "", "", "", ctx.characterSet]
        }
        let legacy = isBefore25(ctx.versionID)
        // Warnings and errors, and the one informational line a placer needs: the Task that tracks its order.
        let reported = (result?.issues ?? []).filter { $0.severity >= .warning || $0.has(.taskCreated) }.prefix(50)
        var msa = ["MSA", code, ctx.controlID]
        if legacy, code != "AA", code != "CA", let first = reported.first(where: \.isError) {
            msa.append(escape(first.text, ctx))
        }
        var out = [msh.joined(separator: f), msa.joined(separator: f)]
        for issue in reported {
            out.append(err(issue, ctx, legacy: legacy))
        }
        return out
    }

    /// One ERR segment: ERR-2 location (ERL), ERR-3 table 0357, ERR-4 severity, ERR-5 Postroom's
    /// code, ERR-7 diagnostic, ERR-8 user message. Before v2.5, ERR-1 (ELD) instead.
    static func err(_ issue: Issue, _ ctx: HL7AckContext, legacy: Bool) -> String {
        let f = String(ctx.fieldSeparator)
        let c = ctx.encodingCharacters.first ?? "^"
        let code = HL7AckPolicy.errorCode(for: issue)
        let codeCWE = [code, HL7AckPolicy.errorTexts[code] ?? "", "HL70357"].joined(separator: String(c))
        let location = issue.location.flatMap(HL7Location.init)
        if legacy {
            var eld: [String] = [location?.segment ?? "", location.map { String($0.segmentIndex ?? 1) } ?? "",
                                 location?.field.map(String.init) ?? "", ""]
            eld[3] = codeCWE.replacingOccurrences(of: String(c), with: String(ctx.encodingCharacters.dropFirst(3).first ?? "&"))
            return ["ERR", eld.joined(separator: String(c))].joined(separator: f)
        }
        let severity = issue.severity == .warning ? "W" : issue.severity == .information ? "I" : "E"
        let text = escape(issue.text, ctx)
        return ["ERR", "", location?.erl(component: c) ?? "", codeCWE, severity,
                [escape(issue.code, ctx), "", "POSTROOM"].joined(separator: String(c)), "", escape(issue.code, ctx) + ": " + text, text]
            .joined(separator: f)
    }

    /// Whether a version id is before 2.5 (ERR then has only ERR-1).
    static func isBefore25(_ version: String) -> Bool {
        let parts = versionNumbers(version)
        guard parts.count >= 2 else { return false }
        return parts[0] == 2 && parts[1] < 5
    }

    /// The numbers of a version id's leading digits and dots (`2.5.1` → 2, 5, 1): a number too large
    /// for `Int` is left out. Printable ASCII by its bytes, anything else by its characters.
    static func versionNumbers(_ version: String) -> [Int] {
        guard version.isPrintableASCII else {
            return version.prefix { $0.isNumber || $0 == "." }.split(separator: ".").compactMap { Int($0) }
        }
        let head = version.utf8.prefix { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") }
        return head.split(separator: UInt8(ascii: ".")).compactMap { Int(String(decoding: $0, as: UTF8.self)) }
    }

    /// Escapes text with the message's own delimiters.
    static func escape(_ text: String, _ ctx: HL7AckContext) -> String {
        HL7Escape.escape(text, delimiters: delimiters(ctx))
    }

    /// The delimiters of an acknowledgement context.
    static func delimiters(_ ctx: HL7AckContext) -> HL7Delimiters {
        let enc = Array(ctx.encodingCharacters.utf8)
        let field = ctx.fieldSeparator.asciiValue ?? 0x7C
        guard enc.count >= 4 else { return HL7Delimiters.standard }
        return HL7Delimiters(field: field, component: enc[0], repetition: enc[1], escape: enc[2], subcomponent: enc[3],
                             truncation: enc.count > 4 ? enc[4] : nil)
    }

    /// The bytes of segments, each ended by CR, in the message's character set (UTF-8 unless 8859/1).
    static func encode(_ segments: [String], _ ctx: HL7AckContext) -> [UInt8] {
        var out: [UInt8] = []
        let latin1 = ["8859/1", "ISO-8859-1", "ISO8859-1"].contains(ctx.characterSet.uppercased())
        for s in segments {
            if latin1 {
                for u in s.unicodeScalars { out.append(u.value < 0x100 ? UInt8(u.value) : 0x3F) }
            } else {
                out.append(contentsOf: s.utf8)
            }
            out.append(0x0D)
        }
        return out
    }

    /// `YYYYMMDDHHMMSS+ZZZZ` in the environment's time zone.
    static func timestamp(_ env: AckEnvironment) -> String {
        let t = CivilDate.local(env.now, in: env.timeZone)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let a = abs(t.offsetSeconds) / 60
        let zone = (t.offsetSeconds < 0 ? "-" : "+") + two(a / 60) + two(a % 60)
        return "\(t.year)\(two(t.month))\(two(t.day))\(two(t.hour))\(two(t.minute))\(two(t.second))" + zone
    }
}
