import Foundation
import Logging
import PostroomStore

/// An answer to put in an outbox: a drop's acknowledgement (its bytes, or a file to link or copy)
/// or a routed file.
struct OutboxFile {
    var directory: String
    var name: String
    var bytes: [UInt8]?
    /// An existing file placed under `name` (a streamed batch's acknowledgement).
    var source: String?
    /// The drop whose acknowledgement this is.
    var dropID: String?
    /// The routed file's row in `outbound`.
    var outboundSeq: Int64?
}

extension Pipeline {
    /// Places answers (temp, one syncfs, rename, directory fsync) and records that they are in place
    /// (unless not `recording`: the caller records them, `record(_:)`).
    func placeOutboxFiles(_ items: [OutboxFile], recording: Bool = true) throws {
        guard !items.isEmpty else { return }
        try FileSystem.writeAtomically(items.compactMap { f in f.bytes.map { (f.directory, f.name, $0) } },
                                       copies: items.compactMap { f in f.source.map { ($0, f.directory, f.name) } },
                                       durableFirst: [config.durableStorePath])
        guard recording else { return }
        try record(PlacedAnswers(drops: items.compactMap(\.dropID), outbound: items.compactMap(\.outboundSeq)))
    }

    /// No single input stops the processing of others (DESIGN.md §3.8): runs `body` for all `items`
    /// at once and, when that fails, for each item alone. An item that fails alone is logged with
    /// its reason, named in the run's summary (exit 74) and left as it is for the next run to retry;
    /// the run goes on. Returns the items that failed.
    @discardableResult
    func isolating<T>(_ items: [T], step: String, session: RunSession, dropID: (T) -> String?, _ body: ([T]) throws -> Void) -> [T] {
        guard !items.isEmpty else { return [] }
        do {
            try body(items)
            return []
        } catch where items.count == 1 {
            quarantine(items[0], step: step, error: error, session: session, dropID: dropID)
            return items
        } catch {}
        var failed: [T] = []
        for item in items {
            do {
                try body([item])
            } catch {
                quarantine(item, step: step, error: error, session: session, dropID: dropID)
                failed.append(item)
            }
        }
        return failed
    }

    private func quarantine<T>(_ item: T, step: String, error: any Error, session: RunSession, dropID: (T) -> String?) {
        let id = dropID(item) ?? "-"
        // The error names paths, which carry senders' file names: not logged, only summarised.
        logger.error("outputs of a drop could not be placed; left for the next run", metadata: [
            "drop": .string(id), "step": .string(step),
        ])
        session.unplaced.withLock { $0.append("\(id): \(step): \(error)") }
    }
}
