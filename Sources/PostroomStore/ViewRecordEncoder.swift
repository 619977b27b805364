import Dispatch
import Foundation
import PostroomCore
import Synchronization

/// One resource version as `putResource` wrote it, not yet serialised: the writer thread hands the
/// tree on, and the JSON text is made off the critical path (`ViewRecordEncoder`).
struct JournalEntry: Sendable {
    var type: String
    var id: String
    var version: Int
    var lastUpdated: String
    var messageID: String?
    /// The resource exactly as it will be stored (`resourceType`, `id`, `meta` first).
    var resource: JSONValue

    /// The entry with its JSON text, as a record holds it.
    var viewEntry: ViewEntry {
        ViewEntry(type: type, id: id, version: version, lastUpdated: lastUpdated, messageID: messageID,
                  json: JSONWriter().bytes(resource))
    }
}

/// Makes view records (each entry's JSON, the framing, the deflate) on a thread of its own while the
/// writer goes on with the next message: on the one-message and batch loads that work was about a
/// sixth of the writer thread, which is the one thread a run waits for (PERFORMANCE.md).
///
/// One encoder per `Store`, used by one write transaction at a time (GRDB serialises writers); each
/// transaction takes a `Batch`, whose records are inserted before the transaction commits, so a record
/// commits with the workflow rows of its message exactly as before. A batch whose transaction fails is
/// dropped with everything it holds.
final class ViewRecordEncoder: Sendable {
    private let queue = DispatchQueue(label: "postroom.view-record-encoder")
    /// Touched only on `queue`.
    private nonisolated(unsafe) let compressor = ViewCompressor()
    /// Records handed to the thread together: one wake-up per record cost the writer more than the
    /// encoding it saved.
    static let chunk = 4
    /// Chunks handed on and not yet encoded: past this the writer waits, so the trees waiting (about
    /// 100 KiB a message) stay within the memory bound whatever the speed of either side.
    static let inFlightLimit = 3
    private let slots = DispatchSemaphore(value: ViewRecordEncoder.inFlightLimit)

    /// The records of one write transaction.
    final class Batch: Sendable {
        fileprivate let encoder: ViewRecordEncoder
        /// By record seq: the entries until encoded, then the deflated record (or the error).
        fileprivate let records = Mutex<[Int64: Record]>([:])

        fileprivate enum Record {
            /// `token` tells a record apart from a later one under the same seq (after a rollback).
            case waiting(token: Int, messageID: String?, entries: [JournalEntry])
            case encoded(messageID: String?, data: Result<[UInt8], ViewRecordFailure>)
        }

        fileprivate init(encoder: ViewRecordEncoder) { self.encoder = encoder }

        /// Records submitted and not yet handed to the thread (the writer's side only).
        private nonisolated(unsafe) var unsent: [(seq: Int64, token: Int)] = []
        private nonisolated(unsafe) var tokens = 0
        /// Seqs submitted since the writer was last outside every savepoint, in order: what a savepoint
        /// rolled back forgets is those submitted after its mark (seqs drawn from a database sequence
        /// need not follow each other).
        private nonisolated(unsafe) var submitted: [Int64] = []

        /// How many records were submitted since `settleSubmitted` (a savepoint's mark).
        var submittedCount: Int { submitted.count }

        /// Outside every savepoint: no mark refers to what was submitted before.
        func settleSubmitted() { submitted.removeAll(keepingCapacity: true) }

        /// Queues the entries of record `seq`; every `chunk` records go to the encoder thread.
        func submit(seq: Int64, messageID: String?, entries: [JournalEntry]) {
            tokens += 1
            let token = tokens
            records.withLock { $0[seq] = .waiting(token: token, messageID: messageID, entries: entries) }
            unsent.append((seq, token))
            submitted.append(seq)
            if unsent.count >= ViewRecordEncoder.chunk { send() }
        }

        /// Hands the unsent records to the encoder thread.
        private func send() {
            guard !unsent.isEmpty else { return }
            let sent = unsent
            unsent = []
            encoder.slots.wait()
            encoder.queue.async { [self] in
                defer { encoder.slots.signal() }
                for (seq, token) in sent { encode(seq, token: token) }
            }
        }

        /// On the encoder thread: record `seq`'s JSON, framing and deflate.
        private func encode(_ seq: Int64, token: Int) {
            guard case .waiting(token, let m, let e)? = records.withLock({ $0[seq] }) else { return }
            let data = Result { try encoder.compressor.deflate(ViewRecord.encode(e.map(\.viewEntry)[...])) }
                .mapError { $0 as? ViewRecordFailure ?? ViewRecordFailure(description: "\($0)") }
            records.withLock { r in
                // A savepoint rolled back meanwhile forgets the record: it stays forgotten.
                if case .waiting(token, _, _)? = r[seq] { r[seq] = .encoded(messageID: m, data: data) }
            }
        }

        /// Forgets the records submitted after the first `count` (their savepoint was rolled back).
        func forget(keepingFirst count: Int) {
            guard submitted.count > count else { return }
            let gone = Set(submitted[count...])
            submitted.removeSubrange(count...)
            unsent.removeAll { gone.contains($0.seq) }
            records.withLock { r in for seq in gone { r[seq] = nil } }
        }

        /// The entries of record `seq` (for a read inside the transaction), encoded or not.
        func entries(seq: Int64) throws -> [ViewEntry]? {
            switch records.withLock({ $0[seq] }) {
            case .waiting(_, _, let entries)?: return entries.map(\.viewEntry)
            case .encoded(_, let data)?: return try ViewRecord.decode(ViewCompressor.inflate(data.get()))
            case nil: return nil
            }
        }

        /// Takes the records already encoded, in seq order, without waiting for the others.
        func takeEncoded() throws -> [(seq: Int64, messageID: String?, data: [UInt8])] {
            let done = records.withLock { r -> [(Int64, Record)] in
                let done = r.filter { if case .encoded = $0.value { true } else { false } }
                for seq in done.keys { r[seq] = nil }
                return Array(done)
            }
            return try done.sorted { $0.0 < $1.0 }.map { seq, record in
                guard case .encoded(let m, let data) = record else { throw ViewRecordFailure(description: "view record \(seq) was not encoded") }
                return (seq, m, try data.get())
            }
        }

        /// Waits for every record and takes them all, in seq order (to insert before the commit).
        func finish() throws -> [(seq: Int64, messageID: String?, data: [UInt8])] {
            send()
            encoder.queue.sync {}
            return try takeEncoded()
        }
    }

    func batch() -> Batch { Batch(encoder: self) }
}
