import Dispatch
import Synchronization

/// Work done ahead on another core while the writer is busy with what came before it: a helper thread
/// (`LowPriorityThread`, below the writer) takes the inputs from the first, and the writer, when it
/// comes for the outputs before the helper is done, takes the rest itself rather than wait (`take`).
///
/// Each output is written only by the one who takes its input's index, so every input is worked once.
/// Used for the next group's claims (`ClaimAhead`) and a streamed batch's next chunk of messages.
final class WorkAhead<Input, Output>: @unchecked Sendable {
    private let inputs: [Input]
    private let slots: UnsafeMutableBufferPointer<Output?>
    private let next = Atomic<Int>(0)
    private let helperDone = DispatchSemaphore(value: 0)
    private let work: (Input) -> Output

    init(_ inputs: [Input], work: @escaping (Input) -> Output) {
        self.inputs = inputs
        slots = .allocate(capacity: inputs.count)
        slots.initialize(repeating: nil)
        self.work = work
        // Below the writer: when both cores are busy, the writer (the critical path) runs first.
        let started = LowPriorityThread.start { [self] in
            doWhileLeft()
            helperDone.signal()
        }
        // No thread to be had: the writer does it all itself in `take`.
        if !started { helperDone.signal() }
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// The outputs, in the inputs' order: the inputs the helper has not taken yet are worked here.
    /// They are handed over once: taking again gives nothing.
    func take() -> [Output] {
        doWhileLeft()
        helperDone.wait()
        helperDone.signal()
        var out: [Output] = []
        out.reserveCapacity(slots.count)
        for i in slots.indices {
            if let o = slots[i] { out.append(o) }
            slots[i] = nil
        }
        return out
    }

    private func doWhileLeft() {
        while true {
            let i = next.add(1, ordering: .relaxed).oldValue
            guard i < slots.count else { return }
            slots[i] = work(inputs[i])
        }
    }
}
