import Foundation

/// A streamed batch's chunks of messages read and split on another core (`LowPriorityThread`, below the writer),
/// at most `depth` chunks ahead of the writer, which takes them in order (`next`). Reading and splitting was the
/// writer's own work between its transactions (about 5% of its time on a batch of 40,000 ORU messages).
///
/// When no thread can be had, the writer reads the chunks itself, as before. However the pass ends, `stop` is called:
/// it returns once the helper has stopped reading the file.
final class ScanAhead: @unchecked Sendable {
    private let reader: BatchChunkReader
    private let depth: Int
    private let state = NSCondition()
    /// Guarded by `state`: chunks read and not taken, whether the helper has ended (end of file, failure or
    /// stop), its failure, whether the writer asked it to stop.
    private var chunks: [[[UInt8]]] = []
    private var ended = false
    private var failure: (any Error)?
    private var stopping = false
    private var threaded = false

    init(_ reader: BatchChunkReader, depth: Int = 2) {
        precondition(depth > 0)
        self.reader = reader
        self.depth = depth
        threaded = LowPriorityThread.start { [self] in produce() }
    }

    /// The next chunk in the file's order, or nil after the last; a failure to read the file is thrown here.
    func next() throws -> [[UInt8]]? {
        guard threaded else { return try reader.next() }
        state.lock()
        defer { state.unlock() }
        while chunks.isEmpty && !ended { state.wait() }
        if !chunks.isEmpty {
            state.broadcast()
            return chunks.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops the helper (the chunks not taken are dropped) and waits until it no longer reads the file.
    func stop() {
        guard threaded else { return }
        state.lock()
        stopping = true
        state.broadcast()
        while !ended { state.wait() }
        chunks = []
        state.unlock()
    }

    /// On the helper: reads chunks while there is room for them, until the end of the file, a failure or `stop`.
    private func produce() {
        while true {
            state.lock()
            while chunks.count >= depth && !stopping { state.wait() }
            let stop = stopping
            state.unlock()
            if stop { break }
            do {
                guard let chunk = try reader.next() else { break }
                state.lock()
                chunks.append(chunk)
                state.broadcast()
                state.unlock()
            } catch {
                state.lock()
                failure = error
                state.unlock()
                break
            }
        }
        state.lock()
        ended = true
        state.broadcast()
        state.unlock()
    }
}
