import Foundation
@testable import PostroomStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Threads working beside the writer (the view record encoder, the placing stage, the helpers that
/// claim, decode and compress ahead) are put in `SCHED_BATCH`, so that their wake-ups do not preempt
/// the writer; the writer itself keeps the normal class.
@Suite struct HelperThreadTests {
    @Test func aHelperThreadIsInTheBatchClassAndTheCallerIsNot() throws {
        #if os(Linux)
        let before = sched_getscheduler(0)
        let seen = Seen()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            HelperThread.yieldOnWakeUp()
            seen.policy = sched_getscheduler(0)
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(seen.policy == 3, "SCHED_BATCH")
        #expect(sched_getscheduler(0) == before, "only the calling thread changes class")
        #expect(before == 0, "the test thread is SCHED_OTHER")
        #endif
    }

    /// Written by the helper before it signals, read after the wait (the semaphore orders the two).
    final class Seen: @unchecked Sendable {
        var policy: Int32 = -1
    }
}
