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
        let seen = ManagedAtomicBox()
        let thread = Thread {
            HelperThread.yieldOnWakeUp()
            seen.value = sched_getscheduler(0)
        }
        thread.start()
        while !thread.isFinished { usleep(1_000) }
        #expect(seen.value == 3, "SCHED_BATCH")
        #expect(sched_getscheduler(0) == before, "only the calling thread changes class")
        #expect(before == 0, "the test thread is SCHED_OTHER")
        #endif
    }

    final class ManagedAtomicBox: @unchecked Sendable {
        var value: Int32 = -1
    }
}
