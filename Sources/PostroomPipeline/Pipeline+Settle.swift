import Foundation
import PostroomCore
import PostroomStore

/// What settling a drop decided about the drop as a whole (its messages are recorded as they are settled).
struct DropVerdict {
    var outcome: DropRecord.Outcome = .rejected
    var issues: [Issue] = []
    var ackFile: AckFile?
    /// The drop this one repeats; "message" when its messages were all duplicates (not stored as the drop's).
    var duplicateOf: String?
    var messageCount = 0
    /// The messages' results (held ones counted, issues logged).
    var results: [MessageResult] = []
    /// Makes the answer (pure: from the drop and its results), when it is not known yet (`ackFile`).
    var makeAnswer: (@Sendable () -> AckFile?)?
}

extension Pipeline {
    /// Decides a drop's outcome inside the group's transaction: an opened archive, a refusal, a duplicate
    /// drop, or its messages one by one (`settleMessage`); then the acknowledgement's bytes, where a
    /// rejected original goes, and the drop marked processed (`markSettled`): the drop is `.decided`.
    /// With `ahead`, a decoded drop's answer is made on another core and the drop finished later
    /// (`finishAhead`); `index` is its place in the group.
    func settle(_ f: inout InFlight, writer w: StoreWriter, ahead: AnswersAhead? = nil, index: Int = 0) throws {
        let now = StoreTime.string(Date())
        let env = env(for: f.channel)
        var verdict = DropVerdict()
        var original: [UInt8]?
        var decoded: DecodedDrop?
        var members: [ArchiveExpansion.Member] = []
        switch f.stage {
        case .opened(let bytes, let x):
            original = bytes
            members = x.members
            verdict = try settleExpansion(f.record, x, env: env, writer: w)
        case .refused(let refusal):
            verdict = DropVerdict(outcome: .rejected, issues: [refusal], ackFile: Self.outcomeFile([refusal], env: env))
        case .read(let bytes), .decoded(let bytes, _):
            original = bytes
            if case .decoded(_, let d) = f.stage { decoded = d }
            if f.record.reprocessOf == nil, let earlier = try w.reader.appliedDrop(sha256: f.record.sha256, excluding: f.record.id) {
                verdict = try settleDuplicateDrop(f.record, of: earlier, now: now, writer: w)
            } else if let decoded {
                verdict = try settleDecoded(f, decoded, original: bytes, env: env, now: now, ahead: ahead, writer: w)
            }
        case .streaming, .decided:
            return
        }
        if let make = verdict.makeAnswer {
            verdict.makeAnswer = nil
            if let ahead {
                ahead.submit(index: index, dropID: f.record.id, sha256: f.record.sha256, verdict: verdict, decoded: decoded,
                             original: original, now: now, build: make)
                return
            }
            verdict.ackFile = make()
        }
        try finishSettle(&f, verdict, decoded: decoded, original: original, members: members, now: now, writer: w)
    }

    /// Settles a group's drops in order, their answers made on another core (`AnswersAhead`), and finishes
    /// each drop once its answer is made: all of it in the caller's transaction.
    func settleGroup(_ group: inout [InFlight], writer w: StoreWriter) throws {
        let ahead = AnswersAhead()
        for i in group.indices where group[i].streamed == nil {
            if ahead.mustFinish(before: group[i]) { try finishAhead(ahead, &group, writer: w) }
            try settle(&group[i], writer: w, ahead: ahead, index: i)
        }
        try finishAhead(ahead, &group, writer: w)
    }

    /// Finishes the drops whose answers were made ahead, in the order they were settled.
    func finishAhead(_ ahead: AnswersAhead, _ group: inout [InFlight], writer w: StoreWriter) throws {
        for p in ahead.take() {
            var verdict = p.verdict
            verdict.ackFile = p.job.answer
            try finishSettle(&group[p.index], verdict, decoded: p.decoded, original: p.original, members: [], now: p.now,
                             kept: p.job.kept, writer: w)
        }
    }

    /// An opened archive: accepted (its members recorded as drops of their own) unless opening it failed.
    func settleExpansion(_ record: DropRecord, _ x: ArchiveExpansion, env: AckEnvironment, writer w: StoreWriter) throws -> DropVerdict {
        var issues = x.issues
        let outcome: DropRecord.Outcome = x.issues.hasErrors ? .rejected : .accepted
        if outcome == .accepted {
            issues.append(.information(.archiveOpened, type: "informational",
                                       "The archive was opened into \(x.members.count) drop(s), each answered on its own"))
            for m in x.members {
                try w.insertDrop(Self.memberRecord(m, of: record, run: record.runID))
            }
        }
        return DropVerdict(outcome: outcome, issues: issues, ackFile: Self.outcomeFile(issues, env: env))
    }

    /// An OperationOutcome answer for a drop refused (or opened) as a whole.
    static func outcomeFile(_ issues: [Issue], env: AckEnvironment) -> AckFile {
        let oo = OperationOutcomeBuilder.build(id: env.makeID(), issues: issues)
        return AckFile(suffix: "outcome.json", bytes: JSONWriter(pretty: true).bytes(oo))
    }

    /// The same bytes were applied before: not again; the original acknowledgement again (grouped and
    /// streamed drops; a streamed batch names the earlier drop itself and lists as one `batch` message).
    func settleDuplicateDrop(_ record: DropRecord, of original: DropRecord, now: String, streamed: Bool = false,
                             writer w: StoreWriter) throws -> DropVerdict {
        let duplicateOf = streamed ? original.id : original.duplicateOf ?? original.id
        let issues: [Issue] = [.information(.duplicateDrop, type: "duplicate", "The same content was received before as drop \(duplicateOf)")]
        var ackFile: AckFile?
        if let bytes = original.ackBytes, let suffix = original.ackName.flatMap(Self.ackSuffix) {
            ackFile = AckFile(suffix: suffix, bytes: bytes)
        }
        try w.insertMessage(MessageRecord(id: record.id + ".0", dropID: record.id, index: 0, type: streamed ? "batch" : original.format ?? "",
                                          format: streamed ? "hl7v2" : original.format ?? "", disposition: .duplicate, duplicateOf: duplicateOf,
                                          issues: issues, at: now))
        return DropVerdict(outcome: .duplicate, issues: issues, ackFile: ackFile, duplicateOf: duplicateOf)
    }

    /// A decoded drop: each message settled in turn; the drop's outcome from their results and its answer.
    func settleDecoded(_ f: InFlight, _ decoded: DecodedDrop, original: [UInt8], env: AckEnvironment, now: String,
                       ahead: AnswersAhead? = nil, writer w: StoreWriter) throws -> DropVerdict {
        let isReprocess = f.record.reprocessOf != nil
        let scope = MessageScope(channel: f.channel, dropID: f.record.id, fileIssues: decoded.issues,
                                 applied: isReprocess ? try alreadyApplied(f.record, reader: w.reader) : [:],
                                 isReprocess: isReprocess, now: now)
        var results: [MessageResult] = []
        var originalAck: AckFile?
        for m in decoded.messages {
            let s = try settleMessage(m, in: scope, original: original, format: m.format.rawValue, raw: { _ in m.raw }, writer: w)
            if decoded.messages.count == 1, let dropID = s.duplicateDrop {
                originalAck = try ahead?.answer(ofDrop: dropID) ?? singleMessageAck(of: dropID, reader: w.reader)
            }
            results.append(s.result)
        }
        var verdict = DropVerdict(outcome: Self.outcome(results, dropIssues: decoded.issues), issues: decoded.issues,
                                  messageCount: decoded.messages.count, results: results)
        if verdict.outcome == .accepted, results.contains(where: { $0.entryResults?.contains { !$0.status.hasPrefix("2") } == true }) {
            verdict.outcome = .partial
        }
        if verdict.outcome == .duplicate, let originalAck {
            verdict.ackFile = originalAck
        } else {
            let errorsOnly = f.channel.errorsOnly, settled = results
            verdict.makeAnswer = { Acknowledger.answer(drop: decoded, results: settled, env: env, errorsOnly: errorsOnly) }
        }
        if verdict.outcome == .duplicate { verdict.duplicateOf = decoded.messages.isEmpty ? nil : "message" }
        return verdict
    }

    /// The answer of an earlier drop of one message (sent again for a duplicate of that message).
    func singleMessageAck(of dropID: String, reader: StoreReader) throws -> AckFile? {
        guard let orig = try reader.drop(id: dropID), try reader.messages(dropID: dropID).count == 1 else { return nil }
        guard let bytes = orig.ackBytes, let suffix = orig.ackName.flatMap(Self.ackSuffix) else { return nil }
        return AckFile(suffix: suffix, bytes: bytes)
    }

    /// The drop-level record of a settled drop: a file-level message when it has none, its answer's name,
    /// its error path, the drop marked processed, and its stage `.decided`.
    func finishSettle(_ f: inout InFlight, _ verdict: DropVerdict, decoded: DecodedDrop?, original: [UInt8]?,
                      members: [ArchiveExpansion.Member], now: String, kept: [UInt8]? = nil, writer w: StoreWriter) throws {
        if decoded?.messages.isEmpty ?? true, verdict.duplicateOf == nil {
            // A file-level outcome (unreadable, too large, an opened archive) still lists as one message.
            let isArchive: Bool
            if case .opened = f.stage { isArchive = true } else { isArchive = false }
            try w.insertMessage(MessageRecord(id: f.record.id + ".0", dropID: f.record.id, index: 0,
                                              type: isArchive ? "archive" : (decoded?.format?.rawValue ?? "unreadable"),
                                              format: decoded?.format?.rawValue ?? "", disposition: verdict.outcome == .rejected ? .rejected : .accepted,
                                              issues: verdict.issues, at: now))
        }
        var d = DropDecision(outcome: verdict.outcome, messageCount: verdict.messageCount,
                             held: verdict.results.filter { $0.disposition == .held }.count, original: original,
                             decodedFormat: decoded?.format?.rawValue, messageIssues: verdict.results.flatMap(\.issues), members: members)
        if let ackFile = verdict.ackFile {
            d.ack = (FileName.ack(name: f.record.name, id: f.record.id, suffix: ackFile.suffix), ackFile.bytes)
        }
        if d.outcome == .rejected {
            d.errorPath = errorPath(for: f.record, channel: f.channel)
        }
        f.record.ackName = d.ack?.name
        f.record.format = decoded?.format?.rawValue ?? f.record.format
        f.record.errorPath = d.errorPath
        f.record.issues = verdict.issues
        try markSettled(f.record, d, duplicateOf: verdict.duplicateOf == "message" ? nil : verdict.duplicateOf, recorded: f.recorded,
                        kept: kept, writer: w)
        f.recorded = true
        f.record.state = .processed
        f.record.outcome = d.outcome
        f.stage = .decided(d)
    }
}
