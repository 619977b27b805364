import Foundation
import PostroomConfig
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Finds complete files in a channel's inbox, oldest first (mtime, then name), never holding
/// more than `limit` candidates in memory however many files wait.
///
/// It never follows or reads symlinks, FIFOs, sockets or directories: it reports them. It keeps
/// the previous look at each file so `stable` completion can compare two looks.
public final class InboxScanner: Sendable {
    /// A file ready to be claimed.
    public struct Ready: Sendable, Equatable {
        public var name: String
        public var path: String
        public var size: Int64
        public var modified: Double
        /// The marker file consumed with it (`marker` completion).
        public var marker: String?
    }

    /// An inbox entry Postroom will not take, and why.
    public struct Refused: Sendable, Equatable, Hashable {
        public var name: String
        public var reason: String
    }

    /// What one scan found.
    public struct Scan: Sendable {
        public var ready: [Ready] = []
        /// Files seen but not yet complete (or beyond the scan limit).
        public var waiting = 0
        public var refused: [Refused] = []
    }

    struct Look {
        var status: FileSystem.Status
        var firstSeen: Double
    }

    /// The previous look at each file, per channel (a scan and a claim may come from different threads).
    private let looks = Mutex<[String: [String: Look]]>([:])

    /// Bytes of directory entries each scan thread reads with one `getdents64` (about 8,000 names).
    let batchBytes: Int

    public init() { batchBytes = 256 << 10 }

    /// A scanner reading smaller batches (tests: many batches from a small folder).
    init(batchBytes: Int) { self.batchBytes = batchBytes }

    /// Scans a channel's inbox. `now` is the monotonic-enough wall clock in seconds.
    ///
    /// The directory is read in large `getdents64` batches by up to `threads` threads at once, each
    /// looking at (`fstatat`) the names of its own batches and keeping its own oldest `limit`; the
    /// shares are merged at the end, so the result is the one a single pass in directory order gives.
    ///
    /// - Parameter notAfter: files modified after this time (seconds since the epoch) wait for a later scan.
    public func scan(_ channel: PipelineConfig.Channel, limit: Int, now: Double = Date().timeIntervalSince1970,
                     notAfter: Double? = nil, threads: Int = InboxScanner.defaultThreads) throws -> Scan {
        let rules = Rules(channel: channel, limit: limit, now: now, notAfter: notAfter,
                          previous: looks.withLock { $0[channel.name] } ?? [:])
        let directory = try DirectoryBatches(channel.inbox)
        let parts = (0..<max(1, threads)).map { _ in Part(rules, batchBytes: batchBytes) }
        if parts.count == 1 {
            try parts[0].read(directory)
        } else {
            DispatchQueue.concurrentPerform(iterations: parts.count) { i in
                do { try parts[i].read(directory) } catch { parts[i].failure = error }
            }
        }
        if let failure = parts.lazy.compactMap(\.failure).first { throw failure }
        let (scan, current) = Self.merge(parts)
        looks.withLock { $0[channel.name] = current }
        return scan
    }

    /// Puts the threads' shares together: the oldest `limit` of all, the rest counted as waiting,
    /// refusals back in directory order.
    static func merge(_ parts: [Part]) -> (Scan, [String: Look]) {
        var scan = Scan()
        var heap = parts[0].heap
        var current = parts[0].current
        var refused = parts[0].refused
        scan.waiting = parts[0].waiting
        for part in parts.dropFirst() {
            scan.waiting += part.waiting + heap.absorb(part.heap)
            current.merge(part.current) { a, _ in a }
            refused += part.refused
        }
        scan.ready = heap.sorted()
        scan.refused = refused.sorted { ($0.batch, $0.index) < ($1.batch, $1.index) }.map(\.refused)
        return (scan, current)
    }

    /// Threads a scan uses: both cores of a small machine (a large inbox is mostly `fstatat` time).
    public static let defaultThreads = min(max(1, ProcessInfo.processInfo.activeProcessorCount), 4)

    /// Forgets a claimed file's look.
    public func forget(channel: String, name: String) {
        looks.withLock { $0[channel]?[name] = nil }
    }

}

/// Keeps the `limit` oldest files (by mtime, then name) seen in a stream of directory entries.
struct OldestHeap {
    let limit: Int
    // A max-heap: the root is the youngest kept file, evicted when an older one arrives.
    private var items: [InboxScanner.Ready] = []

    init(limit: Int) { self.limit = max(1, limit) }

    static func younger(_ a: InboxScanner.Ready, _ b: InboxScanner.Ready) -> Bool {
        a.modified != b.modified ? a.modified > b.modified : a.name > b.name
    }

    /// Whether a file of this mtime and name would be kept (`name` is only asked for on a tie of mtimes).
    func wouldKeep(modified: Double, name: @autoclosure () -> String) -> Bool {
        guard items.count >= limit, let root = items.first else { return true }
        return root.modified != modified ? modified < root.modified : name() < root.name
    }

    /// Takes in another heap's files; returns how many did not fit.
    mutating func absorb(_ other: OldestHeap) -> Int {
        var dropped = 0
        for r in other.items where !wouldKeep(modified: r.modified, name: r.name) || insert(r) != nil {
            dropped += 1
        }
        return dropped
    }

    /// Inserts; returns the item that no longer fits (the youngest), if any.
    mutating func insert(_ r: InboxScanner.Ready) -> InboxScanner.Ready? {
        if items.count < limit {
            items.append(r)
            siftUp(items.count - 1)
            return nil
        }
        guard let root = items.first, Self.younger(root, r) else { return r }
        items[0] = r
        siftDown(0)
        return root
    }

    func sorted() -> [InboxScanner.Ready] {
        items.sorted { Self.younger($1, $0) }
    }

    private mutating func siftUp(_ i: Int) {
        var c = i
        while c > 0 {
            let p = (c - 1) / 2
            guard Self.younger(items[c], items[p]) else { return }
            items.swapAt(c, p)
            c = p
        }
    }

    private mutating func siftDown(_ i: Int) {
        var p = i
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < items.count, Self.younger(items[l], items[m]) { m = l }
            if r < items.count, Self.younger(items[r], items[m]) { m = r }
            if m == p { return }
            items.swapAt(p, m)
            p = m
        }
    }
}
