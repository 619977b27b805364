import Foundation
import PostroomStore
import Synchronization

/// The placing stages of a run, on threads of their own: a group's acknowledgements are written
/// (`answer`), then its originals placed (archive or `error/`), while the first stage decodes and
/// applies the next group.
///
/// The two are stages of their own: while one group's originals are compressed into the archive, the
/// next group's acknowledgements are written. Order is kept: each stage takes the groups one after
/// another, each only after its transaction committed, and a group's originals only after its
/// acknowledgements are in place. At most `depth` groups wait or are being placed, which bounds
/// memory. An error stops both stages (nothing submitted after it runs) and is rethrown to the
/// submitter at its next `submit` or at `drain`.
final class Placer: @unchecked Sendable {
    private let answers = DispatchQueue(label: "postroom.placer.answers")
    private let originals = DispatchQueue(label: "postroom.placer.originals")
    private let slots: DispatchSemaphore
    private let failure = Mutex<(any Error)?>(nil)

    init(depth: Int = 2) {
        slots = DispatchSemaphore(value: depth)
    }

    /// Runs `answer` after the answers submitted before it, then `place` with its result after the
    /// groups placed before it; waits when `depth` groups are already waiting.
    func submit<Answered: Sendable>(answer: @escaping @Sendable () throws -> Answered,
                                    place: @escaping @Sendable (Answered) throws -> Void) throws {
        try rethrow()
        slots.wait()
        answers.async { [self] in
            HelperThread.yieldOnWakeUp()
            guard let answered = run(answer) else {
                slots.signal()
                return
            }
            originals.async { [self] in
                defer { slots.signal() }
                HelperThread.yieldOnWakeUp()
                _ = run { try place(answered) }
            }
        }
    }

    /// Waits for everything submitted, then rethrows the first error.
    func drain() throws {
        // Every answer taken hands its placing over before it ends: the second wait sees it.
        answers.sync {}
        originals.sync {}
        try rethrow()
    }

    /// `work`'s result, or nil when it failed (recorded) or a failure came before it (not run).
    private func run<T>(_ work: () throws -> T) -> T? {
        guard failure.withLock({ $0 == nil }) else { return nil }
        do {
            return try work()
        } catch {
            failure.withLock { $0 = $0 ?? error }
            return nil
        }
    }

    private func rethrow() throws {
        if let e = failure.withLock({ $0 }) { throw e }
    }
}
