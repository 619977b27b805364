import Foundation
import PostroomCore
import PostroomStore

/// What settling a drop decided about the drop as a whole (its messages are recorded as they are settled).
struct DropVerdict {
    var issues: [Issue] = []
    var ackFile: AckFile?
    /// The drop this one repeats; "message" when its messages were all duplicates (not stored as the drop's).
    var duplicateOf: String?
}

extension Pipeline {
    /// Decides a drop's outcome inside the group's transaction: an opened archive, a refusal, a duplicate
    /// drop, or its messages one by one (`settleMessage`); then the acknowledgement's bytes, where a
    /// rejected original goes, and the drop marked processed (`markSettled`).
    func settle(_ f: inout InFlight, writer w: StoreWriter) throws {
        let now = StoreTime.string(Date())
        let env = env(for: f.channel)
        var verdict = DropVerdict()
        if let x = f.expansion {
            verdict = try settleExpansion(&f, x, env: env, writer: w)
        } else if let refusal = f.refusal {
            f.outcome = .rejected
            verdict = DropVerdict(issues: [refusal], ackFile: Self.outcomeFile([refusal], env: env))
        } else if f.record.reprocessOf == nil, let original = try w.reader.appliedDrop(sha256: f.record.sha256, excluding: f.record.id) {
            verdict = try settleDuplicateDrop(&f, of: original, now: now, writer: w)
        } else if let decoded = f.decoded {
            verdict = try settleDecoded(&f, decoded, env: env, now: now, writer: w)
        }
        try finishSettle(&f, verdict, now: now, writer: w)
    }

    /// An opened archive: accepted (its members recorded as drops of their own) unless opening it failed.
    func settleExpansion(_ f: inout InFlight, _ x: ArchiveExpansion, env: AckEnvironment, writer w: StoreWriter) throws -> DropVerdict {
        var issues = x.issues
        f.outcome = x.issues.hasErrors ? .rejected : .accepted
        if f.outcome == .accepted {
            issues.append(.information(.archiveOpened, type: "informational",
                                       "The archive was opened into \(x.members.count) drop(s), each answered on its own"))
            for m in x.members {
                try w.insertDrop(Self.memberRecord(m, of: f.record, run: f.record.runID))
            }
        }
        return DropVerdict(issues: issues, ackFile: Self.outcomeFile(issues, env: env))
    }

    /// An OperationOutcome answer for a drop refused (or opened) as a whole.
    static func outcomeFile(_ issues: [Issue], env: AckEnvironment) -> AckFile {
        let oo = OperationOutcomeBuilder.build(id: env.makeID(), issues: issues)
        return AckFile(suffix: "outcome.json", bytes: JSONWriter(pretty: true).bytes(oo))
    }

    /// The same bytes were applied before: not again; the original acknowledgement again.
    func settleDuplicateDrop(_ f: inout InFlight, of original: DropRecord, now: String, writer w: StoreWriter) throws -> DropVerdict {
        let duplicateOf = original.duplicateOf ?? original.id
        f.outcome = .duplicate
        let issues: [Issue] = [.information(.duplicateDrop, type: "duplicate", "The same content was received before as drop \(duplicateOf)")]
        var ackFile: AckFile?
        if let bytes = original.ackBytes, let suffix = original.ackName.flatMap(Self.ackSuffix) {
            ackFile = AckFile(suffix: suffix, bytes: bytes)
        }
        try w.insertMessage(MessageRecord(id: f.record.id + ".0", dropID: f.record.id, index: 0, type: original.format ?? "",
                                          format: original.format ?? "", disposition: .duplicate, duplicateOf: duplicateOf,
                                          issues: issues, at: now))
        return DropVerdict(issues: issues, ackFile: ackFile, duplicateOf: duplicateOf)
    }

    /// A decoded drop: each message settled in turn; the drop's outcome from their results and its answer.
    func settleDecoded(_ f: inout InFlight, _ decoded: DecodedDrop, env: AckEnvironment, now: String,
                       writer w: StoreWriter) throws -> DropVerdict {
        let isReprocess = f.record.reprocessOf != nil
        let scope = MessageScope(channel: f.channel, dropID: f.record.id, fileIssues: decoded.issues,
                                 applied: isReprocess ? try alreadyApplied(f.record, reader: w.reader) : [:],
                                 isReprocess: isReprocess, now: now)
        f.messageCount = decoded.messages.count
        var results: [MessageResult] = []
        var originalAck: AckFile?
        for m in decoded.messages {
            let s = try settleMessage(m, in: scope, original: f.bytes ?? [], format: m.format.rawValue, raw: { _ in m.raw }, writer: w)
            if decoded.messages.count == 1, let dropID = s.duplicateDrop {
                originalAck = try singleMessageAck(of: dropID, reader: w.reader)
            }
            results.append(s.result)
        }
        f.results = results
        f.outcome = Self.outcome(results, dropIssues: decoded.issues)
        if f.outcome == .accepted, results.contains(where: { $0.entryResults?.contains { !$0.status.hasPrefix("2") } == true }) {
            f.outcome = .partial
        }
        var verdict = DropVerdict(issues: decoded.issues)
        if f.outcome == .duplicate, let originalAck {
            verdict.ackFile = originalAck
        } else {
            verdict.ackFile = Acknowledger.answer(drop: decoded, results: results, env: env, errorsOnly: f.channel.errorsOnly)
        }
        if f.outcome == .duplicate { verdict.duplicateOf = decoded.messages.isEmpty ? nil : "message" }
        return verdict
    }

    /// The answer of an earlier drop of one message (sent again for a duplicate of that message).
    func singleMessageAck(of dropID: String, reader: StoreReader) throws -> AckFile? {
        guard let orig = try reader.drop(id: dropID), try reader.messages(dropID: dropID).count == 1 else { return nil }
        guard let bytes = orig.ackBytes, let suffix = orig.ackName.flatMap(Self.ackSuffix) else { return nil }
        return AckFile(suffix: suffix, bytes: bytes)
    }

    /// The drop-level record of a settled drop: a file-level message when it has none, its answer's name,
    /// its error path, and the drop marked processed.
    func finishSettle(_ f: inout InFlight, _ verdict: DropVerdict, now: String, writer w: StoreWriter) throws {
        if f.decoded?.messages.isEmpty ?? true, verdict.duplicateOf == nil {
            // A file-level outcome (unreadable, too large, an opened archive) still lists as one message.
            try w.insertMessage(MessageRecord(id: f.record.id + ".0", dropID: f.record.id, index: 0,
                                              type: f.expansion != nil ? "archive" : (f.decoded?.format?.rawValue ?? "unreadable"),
                                              format: f.decoded?.format?.rawValue ?? "", disposition: f.outcome == .rejected ? .rejected : .accepted,
                                              issues: verdict.issues, at: now))
        }
        if let ackFile = verdict.ackFile {
            f.ack = (FileName.ack(name: f.record.name, id: f.record.id, suffix: ackFile.suffix), ackFile.bytes)
        }
        if f.outcome == .rejected {
            f.errorPath = errorPath(for: f.record, channel: f.channel)
        }
        f.record.ackName = f.ack?.name
        f.record.format = f.decoded?.format?.rawValue ?? f.record.format
        f.record.errorPath = f.errorPath
        f.record.issues = verdict.issues
        try markSettled(f, duplicateOf: verdict.duplicateOf == "message" ? nil : verdict.duplicateOf, writer: w)
        f.record.state = .processed
        f.record.outcome = f.outcome
    }
}
