import Foundation
@testable import PostroomPipeline
import Synchronization
import Testing

/// A value handed to `Leftovers` is freed on its queue, not on the thread that handed it over.
@Suite struct LeftoversTests {
    /// Where a `Noted` was freed: nil while it lives, then whether it was on the thread that made it.
    final class Freed: Sendable {
        let onMaker = Mutex<Bool?>(nil)
        var value: Bool? { onMaker.withLock { $0 } }
    }

    /// Notes the thread it is freed on.
    final class Noted: @unchecked Sendable {
        let freed: Freed
        let maker = pthread_self()
        init(_ freed: Freed) { self.freed = freed }
        deinit {
            let here = pthread_equal(pthread_self(), maker) != 0
            freed.onMaker.withLock { $0 = here }
        }
    }

    @Test func theLastReferenceHandedOverIsFreedOnTheQueue() {
        let freed = Freed()
        let values = [Noted(freed), Noted(freed)]
        Leftovers.release(consume values)
        Leftovers.drain()
        #expect(freed.value == false)
    }

    @Test func aValueStillHeldElsewhereIsFreedWhereItsLastReferenceGoes() {
        let freed = Freed()
        var kept: Noted? = Noted(freed)
        Leftovers.release(kept)
        Leftovers.drain()
        #expect(freed.value == nil)
        kept = nil
        #expect(freed.value == true)
    }
}
