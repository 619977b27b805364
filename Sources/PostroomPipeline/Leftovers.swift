import Dispatch

/// Values the writer is done with, released on another core.
///
/// A group's claimed and decoded drops are thousands of small allocations (parsed trees, strings,
/// arrays); the last reference to them dies on the writer, which then spends its time freeing them
/// while it is the run's critical path and the other core has time to spare. Handed over here, the
/// freeing happens on a queue of its own. Nothing reads a value handed over: it is only let go.
///
/// At most `pending` values wait: a writer ahead of the queue waits for it rather than hold more
/// groups in memory (the run's peak RSS is bounded).
enum Leftovers {
    static let pending = 2
    private static let queue = DispatchQueue(label: "postroom.leftovers", qos: .utility)
    private static let slots = DispatchSemaphore(value: pending)

    /// Lets go of `value` on the queue. The caller hands over its reference (`consume`): when it was the
    /// last one, the value is freed there.
    static func release<T>(_ value: consuming T) {
        let held = Held(value)
        slots.wait()
        queue.async {
            held.value = nil
            slots.signal()
        }
    }

    /// Waits until every value handed over has been let go (tests).
    static func drain() {
        queue.sync {}
    }

    private final class Held<T>: @unchecked Sendable {
        var value: T?
        init(_ value: consuming T) { self.value = value }
    }
}
