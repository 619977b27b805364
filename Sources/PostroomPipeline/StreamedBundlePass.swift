import Foundation
import PostroomCore
import PostroomStore

/// Why a streamed Bundle stopped before its end: the transaction it was applied in is rolled back
/// and the drop is settled with `result` (a refused transaction, a file-level error, a duplicate).
struct StreamedBundleStop: Error {
    var result: MessageResult
    var fileIssues: [Issue] = []
    /// For a duplicate by business keys: the earlier message and its drop.
    var duplicateOf: String?
    var duplicateDrop: String?
}

/// Pass 2 of a large `batch`/`transaction` Bundle: its entries read again from the file, decoded and
/// applied in groups (`Pipeline.bundleGroupEntries` entries or `bundleGroupBytes` of JSON, whichever comes first), all
/// inside the one store transaction of `run` — so a transaction is all or nothing and a crash leaves
/// nothing half applied — each group's response entries appended to the answer file.
final class StreamedBundlePass {
    let pipeline: Pipeline
    let drop: DropRecord
    let scope: MessageScope
    let envelope: FHIRBundleEnvelope
    let kind: FHIRBatchContext.Kind
    /// What pass 1 learnt of the whole file (fullUrls, repeated entries).
    let index: FHIRStreamedBundleIndex
    let env: AckEnvironment
    let responsePath: String
    private var out: BufferedFileWriter?
    /// What the whole Bundle's message comes to (each distinct issue once, bounded: `IssueLog`).
    private(set) var issues = IssueLog()
    /// A transaction's issues as decoded, group by group: what a refusal is answered with, as on the
    /// whole-file path (the groups applied before are rolled back, so nothing applying them said is told).
    private var decodedIssues = IssueLog()
    private(set) var entriesWritten = 0
    private(set) var anyApplied = false, anyFailed = false, held = false
    private(set) var messageType = "Bundle"
    private(set) var dedupeKeys: [String] = []
    /// `urn:` fullUrls of entries stored by earlier groups → where they were stored (`Type/id`).
    private var stored = StoredReferences()
    private var pending: [[UInt8]] = []
    private var pendingBytes = 0
    private var next = 0

    init(pipeline: Pipeline, drop: DropRecord, scope: MessageScope, envelope: FHIRBundleEnvelope, kind: FHIRBatchContext.Kind,
         index: FHIRStreamedBundleIndex, responsePath: String) {
        self.pipeline = pipeline
        self.drop = drop
        self.scope = scope
        self.envelope = envelope
        self.kind = kind
        self.index = index
        self.responsePath = responsePath
        env = pipeline.env(for: scope.channel)
    }

    /// Applies every entry inside `w`'s transaction; throws `StreamedBundleStop` to have it rolled back.
    func run(writer w: StoreWriter) throws -> MessageResult {
        out = try BufferedFileWriter(path: responsePath + ".part")
        var scanner = JSONBundleStreamScanner()
        try FileSystem.forEachChunk(of: drop.workPath) { raw in
            let entries = try raw.withMemoryRebound(to: UInt8.self) { try scanner.push($0) }
            for e in entries {
                pendingBytes += e.count
                pending.append(e)
                if pending.count >= Pipeline.bundleGroupEntries || pendingBytes >= Pipeline.bundleGroupBytes { try flush(w) }
            }
        }
        try scanner.finish()
        try flush(w)
        try finishResponse()
        let disposition: MessageResult.Disposition = kind == .transaction || anyApplied ? (held ? .held : .accepted) : .rejected
        return MessageResult(disposition: disposition, issues: issues.issues)
    }

    /// Decodes and applies the pending group.
    private func flush(_ w: StoreWriter) throws {
        guard !pending.isEmpty else { return }
        let first = next
        next += pending.count
        let (decoded, fileIssues) = FHIRStreamedBundle.decodeGroup(envelope, entries: pending, first: first, index: index,
                                                                   options: pipeline.options(for: scope.channel))
        pending.removeAll(keepingCapacity: true)
        pendingBytes = 0
        guard var m = decoded else {
            throw StreamedBundleStop(result: MessageResult(disposition: .rejected, issues: fileIssues), fileIssues: fileIssues)
        }
        if first == 0 { try begin(m, writer: w) }
        m.dedupeKeys = []
        try apply(m, first: first, writer: w)
        pipeline.checkpoint("bundle-group")
    }

    /// The first group names the message: its type, its business keys (a duplicate stops here, nothing applied).
    private func begin(_ m: InboundMessage, writer w: StoreWriter) throws {
        messageType = m.type
        dedupeKeys = m.dedupeKeys
        if let earlier = scope.applied[0] { throw StreamedBundleStop(result: Pipeline.alreadyAppliedResult(earlier), duplicateOf: earlier) }
        if !scope.isReprocess, let hit = try pipeline.dedupe(m, reader: w.reader) {
            throw StreamedBundleStop(result: hit.result, duplicateOf: hit.messageID, duplicateDrop: hit.dropID)
        }
    }

    /// One group applied as `applyFHIRBatch` applies a whole Bundle; its response entries written.
    private func apply(_ m: InboundMessage, first: Int, writer w: StoreWriter) throws {
        guard let batch = m.fhirBatch else { return }
        if kind == .transaction, m.issues.hasErrors {
            throw StreamedBundleStop(result: MessageResult(disposition: .rejected, issues: decodedIssues.appending(m.issues).issues))
        }
        let applier = pipeline.makeApplier(messageID: drop.id + ".0", in: scope, original: [], writer: w)
        applier.refs.seed(stored)
        let result = try pipeline.applyFHIRBatch(m, batch, applier: applier)
        if kind == .transaction, result.disposition == .rejected {
            throw StreamedBundleStop(result: MessageResult(disposition: .rejected, issues: decodedIssues.appending(result.issues).issues))
        }
        try pipeline.queueRouted(applier.routing, dropID: scope.dropID, writer: w)
        // The group's own fullUrls and where they were stored, for later groups (the shared base let go first).
        applier.refs.seed(StoredReferences())
        for url in Array(m.referenceAliases.keys) + m.entryFullUrls.values where FHIRBundleIndex.isURN(url) {
            if let target = applier.refs.map[url] { stored.set(url, to: target) }
        }
        // Issues of the Bundle as a whole are found again in every group: kept once.
        let repeated = first == 0 ? [] : batch.bundleIssues
        issues.append(contentsOf: result.issues.filter { !repeated.contains($0) })
        if kind == .transaction { decodedIssues.append(contentsOf: m.issues.filter { !repeated.contains($0) }) }
        held = held || result.disposition == .held
        for r in result.entryResults ?? [] {
            if r.status.hasPrefix("2") { anyApplied = true } else { anyFailed = true }
            try writeEntry(r)
        }
    }

    private func writeEntry(_ r: FHIRBundleEntryResult) throws {
        let entry = FHIRResponseBuilder.responseEntry(r, env: env)
        try out?.write(Array((entriesWritten == 0 ? ",\n  \"entry\": [\n    " : ",\n    ").utf8))
        try out?.write(JSONWriter(pretty: true).bytes(entry, indent: 2))
        entriesWritten += 1
    }

    /// The response Bundle's head is written last but placed first: the entries go to a body file.
    private func finishResponse() throws {
        guard let body = out else { return }
        try body.write(Array((entriesWritten > 0 ? "\n  ]\n}\n" : "\n}\n").utf8))
        try body.finish()
        out = nil
        var head = JSONWriter(pretty: true).bytes(.object(FHIRResponseBuilder.batchResponseHead(type: kind, env: env)), indent: 0)
        head.removeLast(2) // "\n}": the entries and the closing brace follow
        let answer = try BufferedFileWriter(path: responsePath + ".tmp")
        try answer.write(head)
        try FileSystem.forEachChunk(of: responsePath + ".part") { try answer.write(Array($0)) }
        try answer.finish()
        try FileSystem.rename(responsePath + ".tmp", responsePath)
        try? FileSystem.remove(responsePath + ".part")
    }
}
