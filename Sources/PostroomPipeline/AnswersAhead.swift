import Dispatch
import PostroomCore
import PostroomStore

/// Acknowledgements built, and compressed for their drops' rows, on another core while the writer
/// applies the group's next drops.
///
/// A decoded drop's answer depends only on its messages' results, known once they are applied: building
/// it (a FHIR response message, a v2 ACK, an OperationOutcome) and compressing it for the drop's row is a
/// tenth of the writer's time on FHIR Bundles, and the writer is the run's critical path while the other
/// core has time to spare. The writer hands the job over and goes on; each such drop's row is written
/// with its answer when the group's drops are applied (`Pipeline.finishAhead`), in the same transaction,
/// so what the commit records is unchanged. What could read a pending drop's row first — an identical file later in
/// the group (`appliedDrop`), a reprocess — finishes the pending drops before it (`mustFinish`); a
/// message repeating one of a pending drop's messages takes the answer from here (`answer(ofDrop:)`).
final class AnswersAhead {
    /// One answer being made: written by the queue, read by the writer after `ready` is signalled.
    final class Job: @unchecked Sendable {
        fileprivate(set) var answer: AckFile?
        fileprivate(set) var kept: [UInt8]?
        private let ready = DispatchSemaphore(value: 0)
        private var waited = false

        fileprivate func make(_ build: () -> AckFile?) {
            answer = build()
            kept = answer.map { Store.keptForm(of: $0.bytes) }
            ready.signal()
        }

        /// Waits for the answer (once; the writer alone calls this).
        func wait() {
            guard !waited else { return }
            ready.wait()
            waited = true
        }
    }

    /// A drop whose messages are settled and whose answer is being made.
    struct Pending {
        var index: Int
        var dropID: String
        var verdict: DropVerdict
        var decoded: DecodedDrop?
        var original: [UInt8]?
        var now: String
        var job: Job
    }

    private static let queue = DispatchQueue(label: "postroom.answers")
    private var pending: [Pending] = []
    /// The pending drops' content hashes (a later identical file reads their rows: `mustFinish`).
    private var hashes: Set<String> = []
    /// Jobs not handed to the queue yet: handed over `batch` at a time (one wake-up of the queue's thread
    /// each; one a drop cost more than the answers it moved, PERFORMANCE.md).
    private var unsent: [(Job, @Sendable () -> AckFile?)] = []
    static let batch = 16

    private func send() {
        guard !unsent.isEmpty else { return }
        let jobs = unsent
        unsent = []
        Self.queue.async { for (job, build) in jobs { job.make(build) } }
    }

    /// Hands over the making of drop `index`'s answer; the drop is finished once it is made (`take`).
    func submit(index: Int, dropID: String, sha256: String, verdict: DropVerdict, decoded: DecodedDrop?, original: [UInt8]?, now: String,
                build: @escaping @Sendable () -> AckFile?) {
        let job = Job()
        unsent.append((job, build))
        if unsent.count >= Self.batch { send() }
        pending.append(Pending(index: index, dropID: dropID, verdict: verdict, decoded: decoded, original: original, now: now, job: job))
        hashes.insert(sha256)
    }

    /// Whether the pending drops must be finished before `f` is settled: it could read one of their rows.
    func mustFinish(before f: InFlight) -> Bool {
        guard !pending.isEmpty else { return false }
        return f.record.reprocessOf != nil || hashes.contains(f.record.sha256)
    }

    /// The answer a pending drop's row will keep, as `singleMessageAck` would read it (its only message's
    /// answer); nil when `dropID` is not pending.
    func answer(ofDrop dropID: String) -> AckFile?? {
        guard let p = pending.first(where: { $0.dropID == dropID }) else { return nil }
        guard p.verdict.messageCount == 1 else { return .some(nil) }
        send()
        p.job.wait()
        return .some(p.job.answer)
    }

    /// Takes the pending drops, in the order they were handed over, each once its answer is made.
    func take() -> [Pending] {
        defer {
            pending = []
            hashes = []
        }
        send()
        for p in pending { p.job.wait() }
        return pending
    }
}
