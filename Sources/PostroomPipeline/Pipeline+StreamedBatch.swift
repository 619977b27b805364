import Foundation
import PostroomCore
import PostroomDigest
import PostroomStore

/// The kinds of file that are streamed rather than read whole.
enum StreamedFormat {
    /// An HL7 v2 file (a batch of messages): settled in chunks of messages.
    case hl7v2
    /// A FHIR JSON file: a `batch` or `transaction` Bundle settled in groups of entries, anything else decoded whole.
    case fhirJSON
    /// An XML file of a CDA channel: a bare ClinicalDocument checked in chunks, its original kept by
    /// reference (`processStreamedCDA`); anything else decoded whole.
    case cdaXML
}

extension Pipeline {
    /// Messages decoded and applied per transaction while streaming (bounds memory: 512 peaked at 64 MiB
    /// on a 200,000-message batch, 256 at 56 MiB, at the same speed).
    static let streamedChunk = 256

    /// How a large file is streamed, from its first bytes (read once): an HL7 v2 file (after a BOM,
    /// MLLP start byte or blank lines) or a FHIR JSON file, when the channel takes that format; nil
    /// for anything else (read whole, bounded by `maxFileSize`).
    static func streamedFormat(_ path: String, accepting formats: Set<PayloadFormat>) -> StreamedFormat? {
        guard let fh = FileHandle(forReadingAtPath: path), let head = try? fh.read(upToCount: 4096) else { return nil }
        try? fh.close()
        switch PayloadFormat.sniff([UInt8](head)) {
        case .hl7v2 where formats.contains(.hl7v2):
            return .hl7v2
        case .fhir where formats.contains(.fhir):
            // JSON only: FHIR XML is refused whole, as before.
            let blanks: Set<UInt8> = [0xEF, 0xBB, 0xBF, 0x0B, 0x20, 0x09, 0x0A, 0x0D]
            return head.first { !blanks.contains($0) } == UInt8(ascii: "{") ? .fhirJSON : nil
        case .cda where formats.contains(.cda):
            return .cdaXML
        default:
            return nil
        }
    }

    /// Processes one large HL7 v2 file (a batch of thousands of messages) with bounded memory.
    ///
    /// Pass 1 reads it in chunks to hash it and check the batch envelope (BTS/FTS counts: a mismatch
    /// means truncation and rejects every message). Pass 2 decodes and applies its messages in chunks,
    /// one transaction each, appending each message's ACK to the batch acknowledgement, which is kept
    /// as a file in `<data>/acks/`. A crash restarts the drop; messages applied before the crash are
    /// then recognised by their business keys and not applied again.
    func processStreamed(_ f: inout InFlight, as format: StreamedFormat, session: RunSession) throws {
        if format == .fhirJSON { return try processStreamedBundle(&f, session: session) }
        if format == .cdaXML { return try processStreamedCDA(&f, session: session) }
        let isReprocess = f.record.reprocessOf != nil
        let envelope = try scanStreamed(&f)
        let now = StoreTime.string(Date())
        let sha = f.record.sha256
        let record0 = f.record
        let (original, applied) = try store.write { w -> (DropRecord?, [Int: String]) in
            try w.setDropHash(dropID: record0.id, sha256: sha)
            return isReprocess ? (nil, try alreadyApplied(record0, reader: w.reader))
                : (try w.reader.appliedDrop(sha256: sha, excluding: record0.id), [:])
        }
        if let original {
            try settleStreamedDuplicate(&f, of: original, now: now)
            return
        }
        let scope = MessageScope(channel: f.channel, dropID: f.record.id, fileIssues: envelope.issues, applied: applied,
                                 isReprocess: isReprocess, now: now)
        // A sound envelope: the original is most likely archived, so it is compressed while its messages are settled.
        if !envelope.issues.hasErrors { session.archive.compressAhead(f.record, modified: f.modified) }
        let pass = try StreamedPass(pipeline: self, drop: f.record, scope: scope, envelope: envelope)
        try pass.run()
        try settleStreamed(&f, pass)
    }

    /// Pass 1 of a streamed batch: its hash (set on the record) and its envelope.
    func scanStreamed(_ f: inout InFlight) throws -> StreamedEnvelope {
        var scanner = HL7BatchScanner(collectMessages: false)
        let hash = SHA256Stream()
        try FileSystem.forEachChunk(of: f.record.workPath) { chunk in
            hash.update(chunk)
            _ = scanner.push(chunk)
        }
        _ = scanner.finish()
        f.record.sha256 = hash.finish()
        return StreamedEnvelope(issues: scanner.envelope.check(), batch: scanner.envelope.context ?? HL7BatchContext(hasBatchHeader: false),
                                terminator: scanner.terminator)
    }

    /// The same batch again: not applied again; its original acknowledgement again (a stored answer, or
    /// the original's acknowledgement file).
    func settleStreamedDuplicate(_ f: inout InFlight, of original: DropRecord, now: String) throws {
        f.record.ackName = original.ackName.flatMap(Self.ackSuffix).map { FileName.ack(name: f.record.name, id: f.record.id, suffix: $0) }
        f.record.ackFile = original.ackFile
        f.record.format = "hl7v2"
        let name = f.record.ackName
        let d = DropDecision(outcome: .duplicate, ack: original.ackBytes.flatMap { b in name.map { ($0, b) } })
        var record = f.record
        try store.write { w in
            let verdict = try settleDuplicateDrop(record, of: original, now: now, streamed: true, writer: w)
            record.issues = verdict.issues
            try markSettled(record, d, duplicateOf: verdict.duplicateOf, writer: w)
        }
        f.record = record
        f.record.state = .processed
        f.record.outcome = .duplicate
        f.stage = .decided(d)
    }

    /// A streamed batch after pass 2: its outcome from the messages' tally, its acknowledgement file, marked processed.
    func settleStreamed(_ f: inout InFlight, _ pass: StreamedPass) throws {
        let t = pass.tally
        let fileIssues = pass.scope.fileIssues
        let total = t.accepted + t.rejected + t.duplicates
        var d = DropDecision(outcome: total == 0 || t.rejected == total || fileIssues.hasErrors ? .rejected
                                : t.rejected > 0 ? .partial : t.duplicates == total ? .duplicate : .accepted,
                             messageCount: total, held: t.held)
        f.record.issues = fileIssues + (total == 0 ? [.fatal(.noMessages, "The file holds no HL7 v2 message")] : [])
        f.record.ackName = pass.ackName
        f.record.ackFile = pass.ackPath
        f.record.format = "hl7v2"
        if d.outcome == .rejected { d.errorPath = errorPath(for: f.record, channel: f.channel) }
        f.record.errorPath = d.errorPath
        let record = f.record
        try store.write { w in try markSettled(record, d, duplicateOf: nil, writer: w) }
        f.record.state = .processed
        f.record.outcome = d.outcome
        f.stage = .decided(d)
    }
}
