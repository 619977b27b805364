import Foundation
import PostroomStore
import Synchronization

/// The second stage of a run, on its own thread: writes a group's acknowledgements and places its
/// originals (archive or `error/`) while the first stage decodes and applies the next group.
///
/// Order is kept: groups are placed one after another, each only after its transaction committed.
/// At most `depth` groups wait, which bounds memory. An error stops the stage and is rethrown to the
/// submitter at its next `submit` or at `drain`.
final class Placer: @unchecked Sendable {
    private let queue = DispatchQueue(label: "postroom.placer")
    private let slots: DispatchSemaphore
    private let failure = Mutex<(any Error)?>(nil)

    init(depth: Int = 2) {
        slots = DispatchSemaphore(value: depth)
    }

    /// Runs `work` after the work submitted before it; waits when `depth` groups are already waiting.
    func submit(_ work: @escaping @Sendable () throws -> Void) throws {
        try rethrow()
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            HelperThread.yieldOnWakeUp()
            guard failure.withLock({ $0 == nil }) else { return }
            do {
                try work()
            } catch {
                failure.withLock { $0 = error }
            }
        }
    }

    /// Waits for everything submitted, then rethrows the first error.
    func drain() throws {
        queue.sync {}
        try rethrow()
    }

    private func rethrow() throws {
        if let e = failure.withLock({ $0 }) { throw e }
    }
}
