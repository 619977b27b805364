import Foundation
import PostroomConfig

#if canImport(Glibc)
import Glibc
#endif

extension InboxScanner {
    /// What one scan of a channel decides once, shared read-only by the scan's threads.
    struct Rules: @unchecked Sendable {
        let channel: PipelineConfig.Channel
        let limit: Int
        let now: Double
        let notAfter: Double?
        let previous: [String: Look]
        let markerSuffixes: [String]
        /// The channel's ignore patterns as C strings, for `fnmatch` on raw names.
        let ignore: [[CChar]]

        init(channel: PipelineConfig.Channel, limit: Int, now: Double, notAfter: Double?, previous: [String: Look]) {
            self.channel = channel
            self.limit = limit
            self.now = now
            self.notAfter = notAfter
            self.previous = previous
            if case .marker(let s) = channel.completion { markerSuffixes = s } else { markerSuffixes = [] }
            ignore = channel.ignore.map { Array($0.utf8CString) }
        }

        /// Whether the name matches one of the channel's ignore patterns (`fnmatch`, e.g. `.*`, `*.tmp`).
        func ignored(_ name: UnsafePointer<CChar>) -> Bool {
            ignore.contains { fnmatch($0, name, 0) == 0 }
        }
    }

    /// One thread's share of a scan: the batches it read, judged as a single pass would judge them.
    final class Part: @unchecked Sendable {
        let rules: Rules
        var heap: OldestHeap
        var waiting = 0
        /// Refused entries with where they were listed (batch, position), to restore directory order.
        var refused: [(batch: Int, index: Int, refused: Refused)] = []
        var current: [String: Look] = [:]
        var failure: (any Error)?
        let batchBytes: Int

        init(_ rules: Rules, batchBytes: Int) {
            self.rules = rules
            self.batchBytes = batchBytes
            heap = OldestHeap(limit: rules.limit)
        }

        /// Takes batches from `directory` until it is exhausted (or `batches` of them are taken);
        /// returns whether it took as many as asked.
        @discardableResult
        func read(_ directory: DirectoryBatches, batches: Int = .max) throws -> Bool {
            let buffer = DirectoryBatches.Buffer(capacity: batchBytes)
            var taken = 0
            while taken < batches {
                guard let (batch, count) = try directory.next(into: buffer) else { return false }
                taken += 1
                var index = 0
                buffer.forEach(count: count) { entry in
                    take(entry, in: directory.fd, batch: batch, index: index)
                    index += 1
                }
            }
            return true
        }

        /// Judges one entry (the former per-entry body of `scan`, on the raw name).
        func take(_ entry: DirectoryBatches.Entry, in dir: Int32, batch: Int, index: Int) {
            if entry.isDotOrDotDot { return }
            let (bytes, ascii) = entry.bytes()
            var unicode: String?
            if !ascii {
                let s = String(cString: entry.name)
                guard s.utf8.elementsEqual(bytes) else {
                    // A name that is not UTF-8 has no String naming it, so it cannot be claimed: it stays,
                    // and is told (the run's summary and its log) rather than left in silence.
                    if !rules.ignored(entry.name) {
                        refused.append((batch, index, Refused(name: String(decoding: bytes, as: UTF8.self), reason: Self.notUTF8)))
                    }
                    return
                }
                unicode = s
            }
            func name() -> String { unicode ?? String(decoding: bytes, as: UTF8.self) }
            if !rules.markerSuffixes.isEmpty {
                let n = name()
                if rules.markerSuffixes.contains(where: { n.hasSuffix($0) }) { return }
            }
            if rules.ignored(entry.name) { return }
            guard let st = look(entry, in: dir, batch: batch, index: index, name: name) else { return }
            if let notAfter = rules.notAfter, st.modified > notAfter {
                waiting += 1
                return
            }
            let ready: Bool
            var marker: String?
            switch rules.channel.completion {
            case .rename: ready = true
            case .marker(let suffixes):
                let n = name()
                marker = suffixes.first { FileSystem.status(in: dir, name: n + $0)?.kind == .regular }
                    .map { rules.channel.inbox + "/" + n + $0 }
                ready = marker != nil
            case .stable(let seconds):
                ready = stable(name(), st, seconds: seconds)
            }
            guard ready, heap.wouldKeep(modified: st.modified, name: name()) else {
                waiting += 1
                return
            }
            let n = name()
            if heap.insert(Ready(name: n, path: rules.channel.inbox + "/" + n, size: st.size, modified: st.modified,
                                 marker: marker)) != nil {
                waiting += 1
            }
        }

        /// Why an entry whose name is not UTF-8 is not taken.
        static let notUTF8 = "file name is not UTF-8 (not read; rename it to be taken)"

        /// The entry's status when it is a regular file; anything else is refused (by `d_type` when
        /// the file system gives it, without a `stat`). Nil when it is refused or gone.
        private func look(_ entry: DirectoryBatches.Entry, in dir: Int32, batch: Int, index: Int,
                          name: () -> String) -> FileSystem.Status? {
            var kind: FileSystem.Status.Kind
            var st: FileSystem.Status?
            switch entry.type {
            case DirectoryBatches.Entry.regular, DirectoryBatches.Entry.unknown:
                st = FileSystem.status(in: dir, name: entry.name)
                guard let st else { return nil }
                kind = st.kind
            case DirectoryBatches.Entry.symlink: kind = .symlink
            case DirectoryBatches.Entry.fifo: kind = .fifo
            case DirectoryBatches.Entry.directory: kind = .directory
            default: kind = .other
            }
            let reason: String
            switch kind {
            case .regular: return st
            case .symlink: reason = "symbolic link (not followed)"
            case .fifo: reason = "FIFO (not read)"
            case .directory: reason = "directory (not entered)"
            case .other: reason = "not a regular file"
            }
            refused.append((batch, index, Refused(name: name(), reason: reason)))
            return nil
        }

        /// `stable` completion: ready when two looks at least `seconds` apart agree.
        private func stable(_ name: String, _ st: FileSystem.Status, seconds: Double) -> Bool {
            let seen = rules.previous[name]
            let look = Look(status: st, firstSeen: seen.map { $0.status == st ? $0.firstSeen : rules.now } ?? rules.now)
            if heap.wouldKeep(modified: st.modified, name: name) { current[name] = look }
            guard let seen, seen.status == st, rules.now - look.firstSeen >= seconds else { return false }
            return true
        }
    }
}
