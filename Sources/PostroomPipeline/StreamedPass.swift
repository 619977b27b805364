import Dispatch
import Foundation
import PostroomCore
import PostroomStore

/// Pass 1's findings about a streamed batch: the envelope's issues, its header and the segment terminator.
struct StreamedEnvelope {
    var issues: [Issue]
    var batch: HL7BatchContext
    var terminator: HL7Segmenter.Terminator?
}

/// How a streamed batch's messages fared (its results are not kept in memory).
struct StreamTally {
    var accepted = 0, rejected = 0, duplicates = 0, held = 0

    mutating func add(_ d: MessageResult.Disposition) {
        switch d {
        case .accepted: accepted += 1
        case .held: held += 1; accepted += 1
        case .duplicate: duplicates += 1
        case .rejected: rejected += 1
        }
    }
}

/// Pass 2 of a streamed batch: its messages decoded and settled in chunks of `Pipeline.streamedChunk`,
/// one transaction each, each message's ACK appended to the batch acknowledgement file. Chunks are read
/// and split ahead on another core (`ScanAhead`), and a chunk is decoded on another core while the chunk
/// before it is settled.
final class StreamedPass {
    let pipeline: Pipeline
    let drop: DropRecord
    let scope: MessageScope
    let envelope: StreamedEnvelope
    let env: AckEnvironment
    let ackName: String
    let ackPath: String
    let ackOut: BufferedFileWriter
    private(set) var tally = StreamTally()
    /// Whether an interrupted attempt stored messages of this drop (only then is each message looked up).
    let resumed: Bool
    /// The chunk read last: its raw messages, being decoded ahead.
    private var ahead: (raw: [[UInt8]], decoding: WorkAhead<Int, InboundMessage>)?
    private var savepointPolicy = SavepointPolicy()
    private var index = 0
    /// Builds and appends the ACK entries of settled chunks, in order, while the writer settles the next.
    private let acks = DispatchQueue(label: "postroom.batch-ack")
    /// Chunks handed to `acks` and not yet written: past this the writer waits (bounds memory).
    private let ackSlots = DispatchSemaphore(value: 2)
    /// ACK messages written (for the trailer), and the first write that failed: touched on `acks`, read
    /// once it is drained.
    private nonisolated(unsafe) var acked = 0
    private nonisolated(unsafe) var ackFailure: (any Error)?

    init(pipeline: Pipeline, drop: DropRecord, scope: MessageScope, envelope: StreamedEnvelope) throws {
        self.pipeline = pipeline
        self.drop = drop
        self.scope = scope
        self.envelope = envelope
        env = pipeline.env(for: scope.channel)
        let ackDir = pipeline.config.dataFolder + "/acks"
        try FileSystem.makeDirectory(ackDir)
        ackName = FileName.ack(name: drop.name, id: drop.id, suffix: "ack.hl7")
        ackPath = ackDir + "/" + drop.id + ".ack.hl7"
        ackOut = try BufferedFileWriter(path: ackPath + ".part")
        let dropID = drop.id
        resumed = try !pipeline.store.read { try $0.messagePage(dropID: dropID, limit: 1) }.isEmpty
    }

    /// Reads the file again, settles its messages chunk by chunk and places the finished acknowledgement file.
    func run() throws {
        // However the pass ends, nothing is left writing to the acknowledgement file after it.
        defer { acks.sync {} }
        try ackOut.write(HL7AckBuilder.batchHeader(envelope.batch, fileIssues: scope.fileIssues, env: env))
        let chunks = ScanAhead(try BatchChunkReader(path: drop.workPath, terminator: envelope.terminator, size: Pipeline.streamedChunk))
        defer { chunks.stop() }
        while let chunk = try chunks.next() { try flush(chunk) }
        try settleAhead()
        try acks.sync { if let ackFailure { throw ackFailure } }
        try ackOut.write(HL7AckBuilder.batchTrailer(envelope.batch, count: acked))
        try ackOut.finish()
        try FileSystem.rename(ackPath + ".part", ackPath)
    }

    /// Starts decoding a chunk of messages on another core (`decodeAhead`) and settles the chunk before
    /// it meanwhile.
    func flush(_ raw: [[UInt8]]) throws {
        guard !raw.isEmpty else { return }
        let chunk = (raw: raw, decoding: decodeAhead(raw, first: index))
        index += raw.count
        try settleAhead()
        ahead = chunk
    }

    /// Settles the chunk decoded ahead, if any, in one transaction and hands its ACKs to be built and
    /// appended off the writer thread (`appendACKs`).
    func settleAhead() throws {
        guard let (raw, decoding) = ahead else { return }
        ahead = nil
        let decoded = decoding.take()
        let before = tally
        // The body may run again (savepoints elided, a PostgreSQL retry): it starts from the tally as it was.
        let settle = { [self] (w: StoreWriter) throws -> [(AnswerContext, MessageResult)] in
            tally = before
            var answers: [(AnswerContext, MessageResult)] = []
            for (i, m) in decoded.enumerated() {
                answers.append((m.answer, try self.settle(m, raw: raw[i], writer: w)))
            }
            return answers
        }
        let answers = try pipeline.writeSettling(&savepointPolicy, settle)
        appendACKs(answers)
        pipeline.checkpoint("batch-chunk")
    }

    /// Builds the ACK entries of a settled chunk and appends them to the batch acknowledgement, in
    /// chunk order, on `acks` (pure work, about 4% of the writer's time on a batch).
    private func appendACKs(_ answers: [(AnswerContext, MessageResult)]) {
        ackSlots.wait()
        // The pass outlives the work: `run` waits for `acks` however it ends.
        nonisolated(unsafe) let pass = self
        nonisolated(unsafe) let answers = answers
        acks.async {
            defer { pass.ackSlots.signal() }
            pass.writeACKs(answers)
        }
    }

    /// On `acks`: the entries of one chunk, appended in order; the first failure stops the rest.
    private func writeACKs(_ answers: [(AnswerContext, MessageResult)]) {
        guard ackFailure == nil else { return }
        do {
            for (answer, result) in answers {
                let entry = HL7AckBuilder.batchEntry(for: answer, result: result, fileIssues: scope.fileIssues,
                                                     errorsOnly: scope.channel.errorsOnly, env: env)
                acked += entry.count
                try ackOut.write(entry.bytes)
            }
        } catch {
            ackFailure = error
        }
    }

    /// One message: kept as it was when an interrupted attempt committed its chunk, else settled; its result.
    func settle(_ m: InboundMessage, raw: [UInt8], writer w: StoreWriter) throws -> MessageResult {
        let result: MessageResult
        if resumed, let earlier = try w.reader.message(id: drop.id + "." + String(m.index)) {
            // Applied by an attempt that was interrupted: its chunk committed whole, so keep its result.
            result = MessageResult(disposition: earlier.disposition, issues: earlier.issues)
        } else {
            // The raw message is kept only when it was rejected (for a reprocess); the file is archived whole.
            result = try pipeline.settleMessage(m, in: scope, original: raw, format: "hl7v2",
                                                raw: { $0.disposition == .rejected ? raw : nil }, writer: w).result
        }
        tally.add(result.disposition)
        return result
    }

    /// A chunk's messages decoded by a helper thread while the writer settles the chunk before, the rest
    /// by the writer when it comes for them (`WorkAhead`): one more chunk in memory, and the writer's
    /// share of decoding (a sixth of its time on a batch) off the critical path.
    private func decodeAhead(_ raw: [[UInt8]], first: Int) -> WorkAhead<Int, InboundMessage> {
        let terminator = envelope.terminator
        let opts = pipeline.options(for: scope.channel)
        return WorkAhead(Array(raw.indices)) { i in
            HL7v2Decoder.decodeMessage(raw[i], index: first + i, options: opts, terminator: terminator)
        }
    }
}
