import Foundation
import PostroomCore
import PostroomDigest
import PostroomStore

/// What pass 1 found in a large JSON file.
enum BundleScan {
    /// A `batch` or `transaction` Bundle, sound in structure: settled group by group.
    case bundle(FHIRBundleEnvelope, FHIRBatchContext.Kind, index: FHIRStreamedBundleIndex)
    /// Not JSON, truncated, or an entry that does not parse: rejected with this issue, nothing applied.
    case broken(Issue)
    /// Another resource or Bundle type: decoded whole as before (bounded by `maxFileSize`).
    case whole
}

extension Pipeline {
    /// Entries decoded and applied per group of a streamed Bundle (with at most 256 KiB of their JSON).
    static let bundleGroupEntries = 64
    static let bundleGroupBytes = 256 << 10

    /// Processes one large FHIR JSON file with bounded memory (DESIGN: the streamed path of v2 batches).
    ///
    /// Pass 1 reads it in chunks to hash it, check its structure and parse each entry on its own (a
    /// truncated or malformed file is rejected here, before anything is applied) and to collect the
    /// entries' fullUrls. A `batch` or `transaction` Bundle is then applied by `StreamedBundlePass` in
    /// groups inside one store transaction; anything else is decoded whole as a small file is.
    func processStreamedBundle(_ f: inout InFlight, session: RunSession) throws {
        let scan = try scanBundle(&f)
        let now = StoreTime.string(Date())
        let record0 = f.record
        let earlier = try store.write { w -> DropRecord? in
            try w.setDropHash(dropID: record0.id, sha256: record0.sha256)
            return record0.reprocessOf == nil ? try w.reader.appliedDrop(sha256: record0.sha256, excluding: record0.id) : nil
        }
        switch (scan, earlier) {
        case (.whole, _):
            let bytes = try FileSystem.read(f.record.workPath, limit: f.channel.maxFileSize)
            try settleWhole(&f, bytes: bytes, Decoder.decode(bytes, accepting: f.channel.formats, options: options(for: f.channel)))
        case (_, .some):
            // The same bytes applied before: `settle` answers as for any duplicate drop.
            try settleWhole(&f, bytes: [], DecodedDrop(format: .fhir, messages: [], issues: []))
        case (.broken(let issue), nil):
            try settleWhole(&f, bytes: [], DecodedDrop(format: .fhir, messages: [], issues: [issue]))
        case (.bundle(let envelope, let kind, let index), nil):
            // Not compressed ahead (`RunArchive.compressAhead`): this pass peaks at 62-63 MiB on a 50 MB
            // Bundle, and the compressor's buffers beside it passed the 64 MiB bound (PERFORMANCE.md).
            try applyStreamedBundle(&f, envelope: envelope, kind: kind, index: index, now: now)
        }
    }

    /// Pass 1: the hash (set on the record) and the file's structure, each entry parsed and let go.
    func scanBundle(_ f: inout InFlight) throws -> BundleScan {
        var scanner = JSONBundleStreamScanner()
        let hash = SHA256Stream()
        var index = FHIRStreamedBundleIndex()
        var broken: Issue?
        // A root member too large to hold apart (a large single resource): decoded whole as before.
        var whole = false
        var parsed = 0
        let parser = JSONParser(maxDepth: options(for: f.channel).maxJSONDepth)
        try FileSystem.forEachChunk(of: f.record.workPath) { chunk in
            hash.update(chunk)
            guard broken == nil, !whole else { return }
            do {
                for entry in try chunk.withMemoryRebound(to: UInt8.self, { try scanner.push($0) }) {
                    index.note(entry: try parser.parse(entry), at: parsed)
                    parsed += 1
                }
            } catch let e as JSONBundleStreamScanner.Failure where e.oversizedMember {
                whole = true
            } catch let e as JSONBundleStreamScanner.Failure {
                broken = .fatal(IssueCode.jsonSyntax, type: "structure", at: "line \(e.line), column \(e.column)",
                                "The file is not valid JSON: \(e.message)")
            } catch let e as JSONParser.Failure {
                broken = .fatal(IssueCode.jsonSyntax, type: "structure", at: "Bundle.entry[\(parsed)]",
                                "The file is not valid JSON: \(e.message) (line \(e.line), column \(e.column) of the entry)")
            }
        }
        f.record.sha256 = hash.finish()
        if broken == nil, !whole {
            do { try scanner.finish() } catch {
                broken = .fatal(IssueCode.jsonSyntax, type: "structure", at: "line \(error.line), column \(error.column)",
                                "The file is not valid JSON: \(error.message)")
            }
        }
        if whole { return .whole }
        if let broken { return .broken(broken) }
        let envelope = FHIRBundleEnvelope(members: scanner.members)
        guard let kind = envelope.batchKind else { return .whole }
        return .bundle(envelope, kind, index: index)
    }

    /// Settles a drop by the grouped path's `settle` (a file decoded whole, refused, or a duplicate drop).
    func settleWhole(_ f: inout InFlight, bytes: [UInt8], _ decoded: DecodedDrop) throws {
        f.stage = .decoded(bytes, decoded)
        var settled = f
        try store.write { w in try settle(&settled, writer: w) }
        f = settled
        // The original is moved from the work folder, never rewritten from the (empty) bytes held here.
        if case .decided(var d) = f.stage, bytes.isEmpty {
            d.original = nil
            f.stage = .decided(d)
        }
    }
}
