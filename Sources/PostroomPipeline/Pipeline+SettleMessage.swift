import PostroomConfig
import PostroomCore
import PostroomStore

/// What settling one message needs to know about its drop (grouped and streamed drops alike).
struct MessageScope {
    var channel: PipelineConfig.Channel
    var dropID: String
    /// Errors of the whole file (a broken envelope, an undecodable drop) reject every message.
    var fileIssues: [Issue]
    /// For a reprocess: messages of the earlier drop already applied, by index.
    var applied: [Int: String]
    var isReprocess: Bool
    var now: String
}

/// A settled message: its result, and the earlier message (and drop) it repeats, if any.
struct MessageSettlement {
    var result: MessageResult
    var duplicateOf: String?
    /// The drop of the earlier message this one repeats by business keys.
    var duplicateDrop: String?
}

extension Pipeline {
    /// One message's fate inside its drop's transaction — the one path for grouped and streamed drops:
    /// decided (`decideMessage`), recorded, and its business keys kept when it was applied or held.
    /// `raw` says which bytes of the message are kept (given its result).
    func settleMessage(_ m: InboundMessage, in scope: MessageScope, original: [UInt8], format: String,
                       raw: (MessageResult) -> [UInt8]?, writer w: StoreWriter) throws -> MessageSettlement {
        let messageID = scope.dropID + "." + String(m.index)
        let s = try decideMessage(m, messageID: messageID, in: scope, original: original, writer: w)
        try w.insertMessage(MessageRecord(id: messageID, dropID: scope.dropID, index: m.index, type: m.type, format: format,
                                          disposition: s.result.disposition, duplicateOf: s.duplicateOf, issues: s.result.issues,
                                          raw: raw(s.result), at: scope.now))
        if s.result.disposition == .accepted || s.result.disposition == .held {
            try w.insertDedupeKeys(m.dedupeKeys, messageID: messageID, dropID: scope.dropID)
        }
        return s
    }

    /// Refused with its file's errors, already applied (a reprocess), a duplicate by business keys, a FHIR
    /// batch/transaction, refused for its own errors, or applied in a savepoint (undone when rejected).
    func decideMessage(_ m: InboundMessage, messageID: String, in scope: MessageScope, original: [UInt8],
                       writer w: StoreWriter) throws -> MessageSettlement {
        if scope.fileIssues.hasErrors {
            return MessageSettlement(result: MessageResult(disposition: .rejected, issues: m.issues + scope.fileIssues.filter(\.isError)))
        }
        if let earlier = scope.applied[m.index] {
            return MessageSettlement(result: Self.alreadyAppliedResult(earlier), duplicateOf: earlier)
        }
        if !scope.isReprocess, let hit = try dedupe(m, reader: w.reader) {
            return MessageSettlement(result: hit.result, duplicateOf: hit.messageID, duplicateDrop: hit.dropID)
        }
        if let batch = m.fhirBatch {
            let applier = makeApplier(messageID: messageID, in: scope, original: original, writer: w)
            var result = try applyFHIRBatch(m, batch, applier: applier)
            // Kept as a streamed Bundle keeps them: each distinct issue once, bounded.
            result.issues = IssueLog(result.issues).issues
            try queueRouted(applier.routing, dropID: scope.dropID, writer: w)
            return MessageSettlement(result: result)
        }
        if m.issues.hasErrors {
            return MessageSettlement(result: MessageResult(disposition: .rejected, issues: m.issues))
        }
        let applier = makeApplier(messageID: messageID, in: scope, original: original, writer: w)
        var applied = MessageResult(disposition: .rejected, issues: [])
        try w.savepoint({
            applied = try applier.apply(m)
            if applied.disposition == .rejected { throw RollbackSavepoint() }
        }, onRollback: {})
        if applied.disposition != .rejected { try queueRouted(applier.routing, dropID: scope.dropID, writer: w) }
        return MessageSettlement(result: applied)
    }

    func makeApplier(messageID: String, in scope: MessageScope, original: [UInt8], writer w: StoreWriter) -> Applier {
        Applier(writer: w, channel: scope.channel, messageID: messageID, now: scope.now, ids: ids, original: original,
                taskIdentifierSystem: config.taskIdentifierSystem)
    }

    /// Writes a settled drop's outcome from its record (one path for grouped and streamed drops); a drop
    /// not `recorded` yet gets its row here, settled, in one write.
    /// `kept` is the answer in the form the row keeps it, when made ahead (`Store.keptForm`).
    func markSettled(_ record: DropRecord, _ d: DropDecision, duplicateOf: String?, recorded: Bool = true, kept: [UInt8]? = nil,
                     writer w: StoreWriter) throws {
        guard recorded else {
            var settled = record
            settled.state = .processed
            settled.outcome = d.outcome
            settled.duplicateOf = duplicateOf
            settled.ackBytes = kept ?? d.ack?.bytes
            settled.errorPath = d.errorPath
            return try w.insertDrop(settled)
        }
        try w.markProcessed(dropID: record.id, outcome: d.outcome, format: record.format, duplicateOf: duplicateOf,
                            issues: record.issues, ackName: record.ackName, ackBytes: kept ?? d.ack?.bytes, ackFile: record.ackFile,
                            errorPath: d.errorPath)
    }
}
