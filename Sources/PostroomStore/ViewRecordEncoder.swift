import Dispatch
import Foundation
import PostroomCore
import Synchronization

/// One resource version as `putResource` wrote it, not yet serialised: the writer thread hands on the
/// tree (or how to build it, `DeferredResource`), and the JSON text is made off the critical path
/// (`ViewRecordEncoder`).
struct JournalEntry: Sendable {
    var type: String
    var id: String
    var version: Int
    var lastUpdated: String
    var messageID: String?
    /// The resource as given, before `writeJSON` puts `resourceType`, `id` and `meta` first: stamped
    /// where its JSON is written (on the encoder's thread), not on the writer's.
    var body: Body
    /// Whether Postroom generated the id just now (`reserveNew(…, generated: true)`): the first versions
    /// of such ids may share a range key (`ViewJournal.insertKeys`).
    var generated = false
    /// For a version stored `unlessUnchanged`, the hash of what it says apart from `meta` (`ContentHash`),
    /// kept with its key.
    var contentHash: Int64? = nil

    /// The entry with its JSON text, as a record holds it.
    var viewEntry: ViewEntry {
        var json: [UInt8] = []
        writeJSON(into: &json)
        return ViewEntry(type: type, id: id, version: version, lastUpdated: lastUpdated, messageID: messageID, json: json)
    }

    /// The entry with its JSON text and the tree that text is written from (`stampedTree`): for an entry
    /// whose tree is built anyway (from a recipe), so that nothing parses the text again.
    var builtViewEntry: ViewEntry {
        let tree = JSONValue.object(stampedTree())
        var json: [UInt8] = []
        JSONWriter().append(tree, to: &json)
        return ViewEntry(type: type, id: id, version: version, lastUpdated: lastUpdated, messageID: messageID, json: json, tree: tree)
    }

    /// The resource as stored, as a tree: what `writeJSON` writes (the same members in the same order).
    func stampedTree() -> JSONObject {
        let o = body.tree
        var out = JSONObject()
        out.members.reserveCapacity(o.members.count + 3)
        out.members += [.init("resourceType", .string(type)), .init("id", .string(id)),
                        .init("meta", .object(stamped(Self.meta(of: o) ?? JSONObject())))]
        Self.forEachUnstamped(o) { out.members.append($0) }
        return out
    }

    /// Appends the JSON text of the resource as stored: `resourceType`, `id` and `meta` (its own, with
    /// `versionId` and `lastUpdated` set) first, as FHIR tools print them, then its other members in order.
    /// The first member of each of those three names is replaced, as setting them by key would; no
    /// stamped tree is made.
    func writeJSON(into out: inout [UInt8]) {
        let o = body.tree
        let writer = JSONWriter()
        out.append(contentsOf: #"{"resourceType":"#.utf8)
        JSONWriter.writeString(type, into: &out)
        out.append(contentsOf: #","id":"#.utf8)
        JSONWriter.writeString(id, into: &out)
        out.append(contentsOf: #","meta":"#.utf8)
        if let meta = Self.meta(of: o) {
            writer.append(.object(stamped(meta)), to: &out)
        } else {
            // What the writer makes of a meta of these two members alone, without making the tree.
            out.append(contentsOf: #"{"versionId":"#.utf8)
            JSONWriter.writeString(String(version), into: &out)
            out.append(contentsOf: #","lastUpdated":"#.utf8)
            JSONWriter.writeString(lastUpdated, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        Self.forEachUnstamped(o) { m in
            out.append(UInt8(ascii: ","))
            JSONWriter.writeString(m.key, into: &out)
            out.append(UInt8(ascii: ":"))
            writer.append(m.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The resource's own meta (its first `meta` member, when an object).
    private static func meta(of o: JSONObject) -> JSONObject? {
        o.members.first(where: { $0.key == "meta" })?.value.object
    }

    /// `meta` with this version's `versionId` and `lastUpdated` set.
    private func stamped(_ meta: JSONObject) -> JSONObject {
        var m = meta
        m["versionId"] = .string(String(version))
        m["lastUpdated"] = .string(lastUpdated)
        return m
    }

    /// The members of `o` after the first `resourceType`, `id` and `meta`, which the stamped ones replace.
    private static func forEachUnstamped(_ o: JSONObject, _ body: (JSONObject.Member) -> Void) {
        var seen = (type: false, id: false, meta: false)
        for m in o.members {
            switch m.key {
            case "resourceType" where !seen.type: seen.type = true
            case "id" where !seen.id: seen.id = true
            case "meta" where !seen.meta: seen.meta = true
            default: body(m)
            }
        }
    }

    /// What the entry weighs while it waits for the encoder (`ViewRecordEncoder.inFlightWeight`).
    var weight: Int {
        if case .tree = body { ViewRecordEncoder.treeWeight } else { 1 }
    }

    /// A resource as `putResource` was given it: its tree, or how to build it (an Observation of an
    /// HL7 v2 result: its recipe goes into the record, and it is built where the record is read).
    enum Body: Sendable {
        case tree(JSONObject)
        case deferred(DeferredResource)

        var tree: JSONObject {
            switch self {
            case .tree(let o): o
            case .deferred(let d): d.build().object ?? JSONObject()
            }
        }
    }
}

/// Makes view records (each entry's JSON, the framing, the compression) on a thread of its own while the
/// writer goes on with the next message: on the one-message and batch loads that work was about a
/// sixth of the writer thread, which is the one thread a run waits for (PERFORMANCE.md).
///
/// One encoder per `Store`, used by one write transaction at a time (GRDB serialises writers); each
/// transaction takes a `Batch`, whose records are inserted before the transaction commits, so a record
/// commits with the workflow rows of its message exactly as before. A batch whose transaction fails is
/// dropped with everything it holds.
final class ViewRecordEncoder: Sendable {
    /// The encoder's thread (internal: a test stalls it).
    let queue = DispatchQueue(label: "postroom.view-record-encoder")
    /// Messages whose records are handed to the thread together: one wake-up per one-message record cost
    /// the writer more than the encoding it saved. A record of several messages (`ViewJournal.recordMessages`)
    /// goes at once.
    static let chunk = 4
    /// Or fewer messages holding this many versions (about four one-message v2 results' worth).
    static let chunkEntries = 48
    /// What the versions handed on and not yet encoded may weigh: past this the writer waits, so the trees
    /// waiting stay within the memory bound whatever the speed of either side. A version given as a tree
    /// weighs `treeWeight`, one given as a recipe (a v2 result's Observation: its segments' bytes) 1. The
    /// bound is the twelve full chunks of FHIR trees (~5 MB) it was when counted in chunks; chunks of v2
    /// results (two trees and ~10 recipes a message) may now be ~30 ahead instead of 12. The encoder's thread
    /// does not preempt the writer (`HelperThread`), so it runs in bursts: with 12 chunks, the writer of a
    /// 200,000-message batch waited 1.2 s of its 15.7 s for it.
    static let inFlightWeight = 12 * chunkEntries * treeWeight
    static let treeWeight = 4
    private let slots = DispatchSemaphore(value: ViewRecordEncoder.inFlightWeight)

    /// The records of one write transaction.
    final class Batch: Sendable {
        fileprivate let encoder: ViewRecordEncoder
        /// By record seq: the entries until encoded, then the compressed record (or the error).
        fileprivate let records = Mutex<[Int64: Record]>([:])

        fileprivate enum Record {
            case waiting(messageID: String?, entries: [JournalEntry])
            /// Being encoded by one thread (the encoder's, or the writer's in `finish`).
            case encoding(messageID: String?, entries: [JournalEntry])
            case encoded(messageID: String?, data: Result<[UInt8], ViewRecordFailure>)
        }

        fileprivate init(encoder: ViewRecordEncoder) { self.encoder = encoder }

        /// Records submitted and not yet handed to the thread (the writer's side only), and their entries.
        private nonisolated(unsafe) var unsent: [Int64] = []
        private nonisolated(unsafe) var unsentMessages = 0
        private nonisolated(unsafe) var unsentEntries = 0
        private nonisolated(unsafe) var unsentWeight = 0
        /// Seqs submitted since the writer was last outside every savepoint, in order: what a savepoint
        /// rolled back forgets is those submitted after its mark (seqs drawn from a database sequence
        /// need not follow each other).
        private nonisolated(unsafe) var submitted: [Int64] = []

        /// How many records were submitted since `settleSubmitted` (a savepoint's mark).
        var submittedCount: Int { submitted.count }

        /// Outside every savepoint: no mark refers to what was submitted before.
        func settleSubmitted() { submitted.removeAll(keepingCapacity: true) }

        /// Queues the entries of record `seq` (of `messages` messages); they go to the encoder thread once
        /// `chunk` messages or `chunkEntries` versions wait.
        func submit(seq: Int64, messageID: String?, entries: [JournalEntry], messages: Int = 1) {
            records.withLock { $0[seq] = .waiting(messageID: messageID, entries: entries) }
            unsent.append(seq)
            unsentMessages += messages
            unsentEntries += entries.count
            unsentWeight += entries.reduce(0) { $0 + $1.weight }
            submitted.append(seq)
            if unsentMessages >= ViewRecordEncoder.chunk || unsentEntries >= ViewRecordEncoder.chunkEntries { send() }
        }

        /// Hands the unsent records to the encoder thread.
        private func send() {
            guard !unsent.isEmpty else { return }
            let sent = unsent
            // A message of more versions than the whole bound waits for every other chunk, then goes alone.
            let units = min(max(unsentWeight, 1), ViewRecordEncoder.inFlightWeight)
            unsent = []
            unsentMessages = 0
            unsentEntries = 0
            unsentWeight = 0
            for _ in 0..<units { encoder.slots.wait() }
            encoder.queue.async { [self] in
                defer { for _ in 0..<units { encoder.slots.signal() } }
                HelperThread.yieldOnWakeUp()
                for seq in sent { encode(seq, with: encoder.threadCodec) }
            }
        }

        /// Record `seq`'s JSON, framing and compression, unless another thread has taken it (the thread that
        /// moves it from waiting to encoding encodes it), or `evenIfTaken`: then both may, and the first to
        /// finish stores it (`finish`, which does not wait for a thread that may itself be waiting for a core).
        private func encode(_ seq: Int64, with codec: RecordCodec, evenIfTaken: Bool = false) {
            let taken = records.withLock { r -> (String?, [JournalEntry])? in
                switch r[seq] {
                case .waiting(let m, let e)?:
                    r[seq] = .encoding(messageID: m, entries: e)
                    return (m, e)
                case .encoding(let m, let e)? where evenIfTaken: return (m, e)
                default: return nil
                }
            }
            guard let (m, e) = taken else { return }
            if codec === encoder.threadCodec { encoder.tookRecord?() }
            let data = Result { try codec.compressedRecord(e) }
                .mapError { $0 as? ViewRecordFailure ?? ViewRecordFailure(description: "\($0)") }
            records.withLock { r in
                // Stored by the first to finish. A savepoint rolled back meanwhile forgets the record: it
                // stays forgotten (a seq is never taken again in a transaction).
                if case .encoding? = r[seq] { r[seq] = .encoded(messageID: m, data: data) }
            }
        }

        /// Forgets the records submitted after the first `count` (their savepoint was rolled back).
        func forget(keepingFirst count: Int) {
            guard submitted.count > count else { return }
            let gone = Set(submitted[count...])
            submitted.removeSubrange(count...)
            unsent.removeAll { gone.contains($0) }
            if unsent.isEmpty { (unsentMessages, unsentEntries, unsentWeight) = (0, 0, 0) }
            records.withLock { r in for seq in gone { r[seq] = nil } }
        }

        /// The entries of record `seq` that `matching` takes (for a read inside the transaction), encoded or
        /// not: entries not yet encoded are built only if taken.
        func entries(seq: Int64, matching: (_ type: String, _ id: String, _ version: Int) -> Bool) throws -> [ViewEntry]? {
            switch records.withLock({ $0[seq] }) {
            case .waiting(_, let entries)?, .encoding(_, let entries)?: return entries.filter { matching($0.type, $0.id, $0.version) }.map(\.viewEntry)
            case .encoded(_, let data)?:
                return try ViewRecord.decode(ViewCompressor.decompress(data.get()), matching: matching)
            case nil: return nil
            }
        }

        /// Takes the records already encoded, in seq order, without waiting for the others.
        func takeEncoded() throws -> [(seq: Int64, messageID: String?, data: [UInt8])] {
            let done = records.withLock { r -> [(seq: Int64, messageID: String?, data: Result<[UInt8], ViewRecordFailure>)] in
                let done = r.compactMap { seq, record in
                    if case .encoded(let m, let data) = record { (seq: seq, messageID: m, data: data) } else { nil }
                }
                for d in done { r[d.seq] = nil }
                return done
            }
            return try done.sorted { $0.seq < $1.seq }.map { ($0.seq, $0.messageID, try $0.data.get()) }
        }

        /// Every record, in seq order (to insert before the commit). The writer does not wait for the
        /// encoder's thread, which does not preempt another and may be waiting for a core: it encodes what
        /// is not encoded yet itself, from the last (the records not handed on, then those the thread has not
        /// reached: it works from the first); a record that thread is in the middle of is encoded by both,
        /// and what the thread has still queued for this batch then finds nothing to do.
        func finish() throws -> [(seq: Int64, messageID: String?, data: [UInt8])] {
            (unsent, unsentMessages, unsentEntries, unsentWeight) = ([], 0, 0, 0)
            let left = records.withLock { r in
                r.compactMap { seq, record -> Int64? in if case .encoded = record { nil } else { seq } }
            }
            for seq in left.sorted(by: >) { encode(seq, with: encoder.writerCodec, evenIfTaken: true) }
            return try takeEncoded()
        }
    }

    func batch() -> Batch { Batch(encoder: self) }

    /// The encoder thread's codec (touched only on `queue`), and the writer's, for the records it encodes
    /// itself at the end of a transaction (touched only by the writer: one transaction at a time).
    fileprivate nonisolated(unsafe) let threadCodec = RecordCodec()
    fileprivate nonisolated(unsafe) let writerCodec = RecordCodec()
    /// Called on the encoder's thread each time it has taken a record to encode, before encoding it (tests:
    /// a thread held in the middle of a record). Set before the encoder is used.
    nonisolated(unsafe) var tookRecord: (@Sendable () -> Void)?
}

/// Frames and compresses view records, a buffer and a compression context kept from one record to the next:
/// one per thread that encodes.
final class RecordCodec {
    private let compressor = ViewCompressor()
    /// The framed record before compression.
    private var framing: [UInt8] = []

    /// Past this the framing buffer is not kept for the next record (a record holding a large document
    /// would otherwise keep its size allocated for as long as the store is open).
    static let framingKept = 4 << 20

    /// The record of `entries`, framed, compressed.
    func compressedRecord(_ entries: [JournalEntry]) throws -> [UInt8] {
        framing.removeAll(keepingCapacity: true)
        ViewRecord.encode(entries, into: &framing)
        defer { if framing.capacity > Self.framingKept { framing = [] } }
        return try compressor.compress(framing)
    }
}
