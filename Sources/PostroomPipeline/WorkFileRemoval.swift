import Dispatch
import Synchronization

/// Removes the work files of drops whose archive part is placed and recorded, on a second thread while
/// the run goes on (at its end: the metrics file and the run's record), the caller helping once it
/// waits (`finish`). Unlinking 4,000 work files took 5% of a one-message v2 run's critical thread,
/// serially after everything else (PERFORMANCE.md).
///
/// Only files of drops recorded `done` are given: a crash before they are all gone leaves copies that
/// the next run's recovery removes (`orphans(of:)`), as a crash between recording and removing always did.
final class WorkFileRemoval: Sendable {
    private let paths: [String]
    /// The next path to take, shared by both threads.
    private let cursor = Atomic<Int>(0)
    private let firstFailure = Mutex<(any Error)?>(nil)
    private let helper = DispatchGroup()

    /// Starts removing `paths` on a thread of the global pool (or does nothing yet when there are few).
    init(_ paths: [String]) {
        self.paths = paths
        guard paths.count >= 64 else { return }
        DispatchQueue.global(qos: .utility).async(group: helper) { [self] in removeShare() }
    }

    /// Removes whatever the helper has not taken, waits for it, and throws the first failure of either.
    func finish() throws {
        removeShare()
        helper.wait()
        if let failure = firstFailure.withLock({ $0 }) { throw failure }
    }

    private func removeShare() {
        while true {
            let i = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
            guard i < paths.count else { return }
            do {
                try FileSystem.remove(paths[i])
            } catch {
                firstFailure.withLock { $0 = $0 ?? error }
            }
        }
    }
}
