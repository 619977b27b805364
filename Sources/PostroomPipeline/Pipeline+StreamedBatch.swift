import Foundation
import PostroomCore
import PostroomDigest
import PostroomStore

extension Pipeline {
    /// Messages decoded and applied per transaction while streaming (bounds memory: 512 peaked at 64 MiB
    /// on a 200,000-message batch, 256 at 56 MiB, at the same speed).
    static let streamedChunk = 256

    /// Whether a file's first bytes say HL7 v2 (after a BOM, MLLP start byte or blank lines).
    static func startsLikeHL7v2(_ path: String) -> Bool {
        guard let fh = FileHandle(forReadingAtPath: path), let head = try? fh.read(upToCount: 64) else { return false }
        try? fh.close()
        return PayloadFormat.sniff([UInt8](head)) == .hl7v2
    }

    /// Processes one large HL7 v2 file (a batch of thousands of messages) with bounded memory.
    ///
    /// Pass 1 reads it in chunks to hash it and check the batch envelope (BTS/FTS counts: a mismatch
    /// means truncation and rejects every message). Pass 2 decodes and applies its messages in chunks,
    /// one transaction each, appending each message's ACK to the batch acknowledgement, which is kept
    /// as a file in `<data>/acks/`. A crash restarts the drop; messages applied before the crash are
    /// then recognised by their business keys and not applied again.
    func processStreamed(_ f: inout InFlight, session: RunSession) throws {
        let ch = f.channel
        let env = env(for: ch)
        let opts = options(for: ch)
        let isReprocess = f.record.reprocessOf != nil

        // Pass 1: hash and envelope.
        var scanner = HL7BatchScanner(collectMessages: false)
        let hash = SHA256Stream()
        try FileSystem.forEachChunk(of: f.record.workPath) { chunk in
            hash.update(chunk)
            _ = scanner.push(chunk)
        }
        _ = scanner.finish()
        f.record.sha256 = hash.finish()
        let fileIssues = scanner.envelope.check()
        let batch = scanner.envelope.context ?? HL7BatchContext(hasBatchHeader: false)
        let now = StoreTime.string(Date())
        let sha = f.record.sha256
        let id = f.record.id
        let record0 = f.record
        let (original, applied) = try store.write { w -> (DropRecord?, [Int: String]) in
            try w.setDropHash(dropID: id, sha256: sha)
            return isReprocess ? (nil, try alreadyApplied(record0, reader: w.reader)) : (try w.reader.appliedDrop(sha256: sha, excluding: id), [:])
        }
        if let original {
            // The same batch again: not applied again; its original acknowledgement again.
            f.outcome = .duplicate
            f.record.issues = [.information(.duplicateDrop, type: "duplicate", "The same content was received before as drop \(original.id)")]
            let suffix = original.ackName.flatMap(Self.ackSuffix)
            f.record.ackName = suffix.map { FileName.ack(name: f.record.name, id: f.record.id, suffix: $0) }
            f.record.ackFile = original.ackFile
            f.ack = original.ackBytes.flatMap { b in f.record.ackName.map { ($0, b) } }
            let record = f.record
            try store.write { w in
                try w.insertMessage(MessageRecord(id: record.id + ".0", dropID: record.id, index: 0, type: "batch", format: "hl7v2",
                                                  disposition: .duplicate, duplicateOf: original.id, issues: record.issues, at: now))
                try w.markProcessed(dropID: record.id, outcome: .duplicate, format: "hl7v2", duplicateOf: original.id, issues: record.issues,
                                    ackName: record.ackName, ackBytes: f.ack?.bytes, ackFile: record.ackFile, errorPath: nil)
            }
            return
        }

        // Pass 2: messages in chunks.
        let ackDir = config.dataFolder + "/acks"
        try FileSystem.makeDirectory(ackDir)
        let ackName = FileName.ack(name: f.record.name, id: f.record.id, suffix: "ack.hl7")
        let ackPath = ackDir + "/" + f.record.id + ".ack.hl7"
        let ackOut = try BufferedFileWriter(path: ackPath + ".part")
        try ackOut.write(HL7AckBuilder.batchHeader(batch, fileIssues: fileIssues, env: env))
        var ackCount = 0, accepted = 0, rejected = 0, duplicates = 0, held = 0, index = 0
        var pending: [[UInt8]] = []
        let record = f.record

        func flush() throws {
            guard !pending.isEmpty else { return }
            var decoded = [InboundMessage?](repeating: nil, count: pending.count)
            let first = index
            let terminator = scanner.terminator
            let raw = pending
            decoded.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let slots = out
                DispatchQueue.concurrentPerform(iterations: raw.count) { i in
                    slots[i] = HL7v2Decoder.decodeMessage(raw[i], index: first + i, options: opts, terminator: terminator)
                }
            }
            index += pending.count
            var entries: [[UInt8]] = []
            try store.write { w in
                for (i, maybe) in decoded.enumerated() {
                    guard let m = maybe else { continue }
                    let messageID = record.id + "." + String(m.index)
                    var result: MessageResult
                    var dupOf: String?
                    if let earlier = try w.reader.message(id: messageID) {
                        // Applied by an attempt that was interrupted: its chunk committed whole, so keep its result.
                        let r = MessageResult(disposition: earlier.disposition, issues: earlier.issues)
                        switch r.disposition {
                        case .accepted: accepted += 1
                        case .held: held += 1; accepted += 1
                        case .duplicate: duplicates += 1
                        case .rejected: rejected += 1
                        }
                        let entry = HL7AckBuilder.batchEntry(for: m.answer, result: r, fileIssues: fileIssues, errorsOnly: ch.errorsOnly, env: env)
                        ackCount += entry.count
                        entries.append(entry.bytes)
                        continue
                    }
                    if fileIssues.hasErrors {
                        result = MessageResult(disposition: .rejected, issues: m.issues + fileIssues.filter(\.isError))
                    } else if let earlier = applied[m.index] {
                        result = Self.alreadyAppliedResult(earlier)
                        dupOf = earlier
                    } else if !isReprocess, let hit = try dedupe(m, reader: w.reader) {
                        result = hit.result
                        dupOf = hit.messageID
                    } else if m.issues.hasErrors {
                        result = MessageResult(disposition: .rejected, issues: m.issues)
                    } else {
                        let applier = Applier(writer: w, channel: ch, messageID: messageID, now: now, ids: ids, original: pending[i], taskIdentifierSystem: config.taskIdentifierSystem)
                        var applied = MessageResult(disposition: .rejected, issues: [])
                        try w.savepoint({
                            applied = try applier.apply(m)
                            if applied.disposition == .rejected { throw RollbackSavepoint() }
                        }, onRollback: {})
                        result = applied
                        if applied.disposition != .rejected { try queueRouted(applier.routing, dropID: record.id, writer: w) }
                    }
                    // The raw message is kept only when it was rejected (for a reprocess); the file is archived whole.
                    try w.insertMessage(MessageRecord(id: messageID, dropID: record.id, index: m.index, type: m.type, format: "hl7v2",
                                                      disposition: result.disposition, duplicateOf: dupOf, issues: result.issues,
                                                      raw: result.disposition == .rejected ? pending[i] : nil, at: now))
                    switch result.disposition {
                    case .accepted: accepted += 1
                    case .held: held += 1; accepted += 1
                    case .duplicate: duplicates += 1
                    case .rejected: rejected += 1
                    }
                    if result.disposition == .accepted || result.disposition == .held {
                        try w.insertDedupeKeys(m.dedupeKeys, messageID: messageID, dropID: record.id)
                    }
                    let entry = HL7AckBuilder.batchEntry(for: m.answer, result: result, fileIssues: fileIssues, errorsOnly: ch.errorsOnly, env: env)
                    ackCount += entry.count
                    entries.append(entry.bytes)
                }
            }
            for e in entries { try ackOut.write(e) }
            pending.removeAll(keepingCapacity: true)
            checkpoint("batch-chunk")
        }

        var scanner2 = HL7BatchScanner(terminator: scanner.terminator)
        try FileSystem.forEachChunk(of: f.record.workPath) { chunk in
            for message in scanner2.push(chunk) {
                pending.append(message)
                if pending.count >= Self.streamedChunk { try flush() }
            }
        }
        pending += scanner2.finish()
        try flush()
        try ackOut.write(HL7AckBuilder.batchTrailer(batch, count: ackCount))
        try ackOut.finish()
        try FileSystem.rename(ackPath + ".part", ackPath)

        let total = accepted + rejected + duplicates
        f.messageCount = total
        f.heldCount = held
        f.outcome = total == 0 || rejected == total || fileIssues.hasErrors ? .rejected
            : rejected > 0 ? .partial : duplicates == total ? .duplicate : .accepted
        f.record.issues = fileIssues + (total == 0 ? [.fatal(.noMessages, "The file holds no HL7 v2 message")] : [])
        f.record.ackName = ackName
        f.record.ackFile = ackPath
        f.record.format = "hl7v2"
        if f.outcome == .rejected { f.errorPath = errorPath(for: f.record, channel: ch) }
        f.record.errorPath = f.errorPath
        let done = f
        try store.write { w in
            try w.markProcessed(dropID: done.record.id, outcome: done.outcome, format: "hl7v2", duplicateOf: nil, issues: done.record.issues,
                                ackName: ackName, ackBytes: nil, ackFile: ackPath, errorPath: done.errorPath)
        }
        f.record.state = .processed
        f.record.outcome = f.outcome
    }
}
