import Foundation
import PostroomCore
import PostroomStore

extension Pipeline {
    /// Pass 2 of a streamed Bundle (`StreamedBundlePass`) and the drop settled in the same transaction: its
    /// one message, its answer (the response Bundle written while streaming) and its outcome. When the pass
    /// stops (a refused transaction, another FHIR version, a duplicate) everything it applied is rolled back
    /// and the drop is settled on its own with an OperationOutcome.
    func applyStreamedBundle(_ f: inout InFlight, envelope: FHIRBundleEnvelope, kind: FHIRBatchContext.Kind,
                             index: FHIRStreamedBundleIndex, now: String) throws {
        let record0 = f.record
        let isReprocess = record0.reprocessOf != nil
        var applied: [Int: String] = [:]
        if isReprocess { applied = try store.read { try alreadyApplied(record0, reader: $0) } }
        let scope = MessageScope(channel: f.channel, dropID: record0.id, fileIssues: [], applied: applied,
                                 isReprocess: isReprocess, now: now)
        let ackDir = config.dataFolder + "/acks"
        try FileSystem.makeDirectory(ackDir)
        let responsePath = ackDir + "/" + record0.id + ".response.json"
        let pass = StreamedBundlePass(pipeline: self, drop: record0, scope: scope, envelope: envelope, kind: kind,
                                      index: index, responsePath: responsePath)
        var record = record0
        record.format = "fhir"
        var d: DropDecision
        do {
            d = try store.write { w -> DropDecision in
                let result = try pass.run(writer: w)
                record.ackName = FileName.ack(name: record.name, id: record.id, suffix: "response.json")
                record.ackFile = responsePath
                let outcome: DropRecord.Outcome = result.disposition == .rejected ? .rejected : pass.anyFailed ? .partial : .accepted
                return try recordStreamedBundle(&record, result, outcome: outcome, pass: pass, duplicateOf: nil, writer: w)
            }
        } catch let stop as StreamedBundleStop {
            try? FileSystem.remove(responsePath + ".part")
            record.issues = stop.fileIssues
            let env = env(for: f.channel)
            var ack = Self.outcomeFile(stop.fileIssues.isEmpty ? stop.result.issues : stop.fileIssues, env: env)
            d = try store.write { w -> DropDecision in
                if let dropID = stop.duplicateDrop, let original = try singleMessageAck(of: dropID, reader: w.reader) { ack = original }
                record.ackName = FileName.ack(name: record.name, id: record.id, suffix: ack.suffix)
                let outcome: DropRecord.Outcome = stop.result.disposition == .duplicate ? .duplicate : .rejected
                var d = try recordStreamedBundle(&record, stop.result, outcome: outcome, pass: pass, duplicateOf: stop.duplicateOf,
                                                 writer: w)
                d.ack = record.ackName.map { (name: $0, bytes: ack.bytes) }
                try markSettled(record, d, duplicateOf: outcome == .duplicate ? "message" : nil, writer: w)
                return d
            }
        }
        f.record = record
        f.record.state = .processed
        f.record.outcome = d.outcome
        f.stage = .decided(d)
    }

    /// The Bundle's one message recorded (its business keys kept when it was applied) and, for an answered
    /// pass, the drop marked processed; returns the drop's decision.
    func recordStreamedBundle(_ record: inout DropRecord, _ result: MessageResult, outcome: DropRecord.Outcome,
                              pass: StreamedBundlePass, duplicateOf: String?, writer w: StoreWriter) throws -> DropDecision {
        let messageID = record.id + ".0"
        try w.insertMessage(MessageRecord(id: messageID, dropID: record.id, index: 0, type: pass.messageType, format: "fhir",
                                          disposition: result.disposition, duplicateOf: duplicateOf, issues: result.issues,
                                          at: pass.scope.now))
        if result.disposition == .accepted || result.disposition == .held {
            try w.insertDedupeKeys(pass.dedupeKeys, messageID: messageID, dropID: record.id)
        }
        var d = DropDecision(outcome: outcome, messageCount: 1, held: result.disposition == .held ? 1 : 0,
                             decodedFormat: "fhir", messageIssues: result.issues)
        if outcome == .rejected { d.errorPath = errorPath(for: record, channel: pass.scope.channel) }
        record.errorPath = d.errorPath
        if record.ackFile != nil { try markSettled(record, d, duplicateOf: nil, writer: w) }
        return d
    }
}
