import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
import PostroomConfig
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

    private struct Look {
        var status: FileSystem.Status
        var firstSeen: Double
    }

    /// The previous look at each file, per channel (a scan and a claim may come from different threads).
    private let looks = Mutex<[String: [String: Look]]>([:])

    public init() {}

    /// Scans a channel's inbox. `now` is the monotonic-enough wall clock in seconds.
    ///
    /// - Parameter notAfter: files modified after this time (seconds since the epoch) wait for a later scan.
    public func scan(_ channel: PipelineConfig.Channel, limit: Int, now: Double = Date().timeIntervalSince1970,
                     notAfter: Double? = nil) throws -> Scan {
        var scan = Scan()
        var heap = OldestHeap(limit: limit)
        var markerSuffixes: [String] = []
        if case .marker(let s) = channel.completion { markerSuffixes = s }
        let previous = looks.withLock { $0[channel.name] } ?? [:]
        var current: [String: Look] = [:]
        try FileSystem.forEachEntry(in: channel.inbox) { name, dir in
            if markerSuffixes.contains(where: { name.hasSuffix($0) }) { return true }
            if Self.ignored(name, channel.ignore) { return true }
            guard let st = FileSystem.status(in: dir, name: name) else { return true }
            var path: String { channel.inbox + "/" + name }
            switch st.kind {
            case .regular: break
            case .symlink: scan.refused.append(Refused(name: name, reason: "symbolic link (not followed)")); return true
            case .fifo: scan.refused.append(Refused(name: name, reason: "FIFO (not read)")); return true
            case .directory: scan.refused.append(Refused(name: name, reason: "directory (not entered)")); return true
            case .other: scan.refused.append(Refused(name: name, reason: "not a regular file")); return true
            }
            if let notAfter, st.modified > notAfter {
                scan.waiting += 1
                return true
            }
            var marker: String?
            switch channel.completion {
            case .rename:
                break
            case .marker(let suffixes):
                guard let m = suffixes.first(where: { FileSystem.status(in: dir, name: name + $0)?.kind == .regular }) else {
                    scan.waiting += 1
                    return true
                }
                marker = path + m
            case .stable(let seconds):
                let seen = previous[name]
                let look = Look(status: st, firstSeen: seen.map { $0.status == st ? $0.firstSeen : now } ?? now)
                if heap.wouldKeep(modified: st.modified, name: name) { current[name] = look }
                guard let seen, seen.status == st, now - look.firstSeen >= seconds else {
                    scan.waiting += 1
                    return true
                }
            }
            if !heap.wouldKeep(modified: st.modified, name: name)
                || heap.insert(Ready(name: name, path: path, size: st.size, modified: st.modified, marker: marker)) != nil {
                scan.waiting += 1
            }
            return true
        }
        looks.withLock { $0[channel.name] = current }
        scan.ready = heap.sorted()
        return scan
    }

    /// Forgets a claimed file's look.
    public func forget(channel: String, name: String) {
        looks.withLock { $0[channel]?[name] = nil }
    }

    /// Whether the name matches one of the channel's ignore patterns (`fnmatch`, e.g. `.*`, `*.tmp`).
    static func ignored(_ name: String, _ patterns: [String]) -> Bool {
        patterns.contains { fnmatch($0, name, 0) == 0 }
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

    func wouldKeep(modified: Double, name: String) -> Bool {
        guard items.count >= limit, let root = items.first else { return true }
        return root.modified != modified ? modified < root.modified : name < root.name
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
