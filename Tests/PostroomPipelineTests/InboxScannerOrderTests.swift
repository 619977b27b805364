import Foundation
import PostroomConfig
@testable import PostroomPipeline
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The scanner's order (oldest first: mtime, then name) and what it refuses, whatever the number of
/// threads and the size of the directory batches: the same answer a single pass in directory order gives.
@Suite struct InboxScannerOrderTests {
    /// Sets a file's mtime (and atime) to `seconds` + `nanos`.
    static func touch(_ path: String, _ seconds: Int, _ nanos: Int = 0) {
        var t = [timespec(tv_sec: seconds, tv_nsec: nanos), timespec(tv_sec: seconds, tv_nsec: nanos)]
        #expect(utimensat(AT_FDCWD, path, &t, AT_SYMLINK_NOFOLLOW) == 0)
    }

    /// The order as the scanner promised it before it read batches on several threads: every
    /// regular, non-ignored file `lstat` sees, sorted by (mtime as a Double, name as a String).
    static func reference(_ inbox: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: inbox)
        var files: [(Double, String)] = []
        for name in names where !InboxScannerOrderTests.ignored(name) {
            guard let st = FileSystem.status(inbox + "/" + name), st.kind == .regular else { continue }
            files.append((st.modified, name))
        }
        return files.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
    }

    static func ignored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".tmp") || name.hasSuffix(".part")
    }

    /// A harness whose inbox holds `count` files with mixed mtimes: runs of equal mtimes (ties broken
    /// by name), names created in an order unrelated to their age, and sub-second differences.
    static func mixedInbox(count: Int) throws -> PipelineHarness {
        let h = try PipelineHarness()
        for i in 0..<count {
            // A permutation of 0..<count, so creation order (and likely directory order) is not age order.
            let n = (i * 7919) % count
            let path = h.inbox + "/" + String(format: "f%05d.hl7", n)
            #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
            // Groups of five share an mtime; every seventh file differs from its group by a nanosecond pattern.
            touch(path, 1_700_000_000 + (count - n) / 5, n % 7 == 0 ? 500_000_000 : 0)
        }
        return h
    }

    @Test func mixedMtimesAreTakenOldestFirstWithTiesBrokenByName() throws {
        let h = try PipelineHarness()
        let ages: [(String, Int, Int)] = [
            ("c.hl7", 30, 0), ("a.hl7", 30, 0), ("b.hl7", 10, 0), ("z.hl7", 5, 0), ("y.hl7", 30, 0),
            ("é.hl7", 30, 0), ("e.hl7", 30, 0), ("m.hl7", 10, 250_000_000), ("0.hl7", 40, 0),
        ]
        for (name, seconds, nanos) in ages {
            #expect(FileManager.default.createFile(atPath: h.inbox + "/" + name, contents: Data("x".utf8)))
            Self.touch(h.inbox + "/" + name, 1_700_000_000 + seconds, nanos)
        }
        let expected = ["z.hl7", "b.hl7", "m.hl7", "a.hl7", "c.hl7", "e.hl7", "y.hl7", "é.hl7", "0.hl7"]
        #expect(try Self.reference(h.inbox) == expected)
        for threads in [1, 2, 4] {
            let scan = try InboxScanner().scan(h.config.channels[0], limit: 100, threads: threads)
            #expect(scan.ready.map(\.name) == expected, "threads: \(threads)")
            #expect(scan.ready.map(\.path) == expected.map { h.inbox + "/" + $0 })
            #expect(scan.waiting == 0 && scan.refused.isEmpty)
            #expect(scan.ready.first?.modified == 1_700_000_005)
        }
    }

    @Test(arguments: [1, 2, 3])
    func manyBatchesOnSeveralThreadsGiveTheSingleThreadedOrder(threads: Int) throws {
        let h = try Self.mixedInbox(count: 600)
        let expected = try Self.reference(h.inbox)
        #expect(expected.count == 600)
        // Small batches: dozens of getdents64 calls shared by the threads.
        let scanner = InboxScanner(batchBytes: 1024)
        let all = try scanner.scan(h.config.channels[0], limit: 1000, threads: threads)
        #expect(all.ready.map(\.name) == expected)
        #expect(all.waiting == 0)
        // A bounded scan keeps exactly the oldest `limit` and counts the rest as waiting.
        let bounded = try scanner.scan(h.config.channels[0], limit: 37, threads: threads)
        #expect(bounded.ready.map(\.name) == Array(expected.prefix(37)))
        #expect(bounded.waiting == 600 - 37)
    }

    /// The merge of the threads' shares, made deterministic: three shares take the batches in turn,
    /// so each holds some of the oldest files, a refusal and its own evictions.
    @Test func sharesTakingBatchesInTurnMergeToTheSingleThreadedAnswer() throws {
        let h = try Self.mixedInbox(count: 300)
        for name in ["d1", "d2", "d3", "d4"] {
            try FileManager.default.createDirectory(atPath: h.inbox + "/" + name, withIntermediateDirectories: false)
        }
        let expected = try Self.reference(h.inbox)
        let single = try InboxScanner(batchBytes: 1024).scan(h.config.channels[0], limit: 25, threads: 1)
        let rules = InboxScanner.Rules(channel: h.config.channels[0], limit: 25, now: 0, notAfter: nil, previous: [:])
        let parts = (0..<3).map { _ in InboxScanner.Part(rules, batchBytes: 1024) }
        let directory = try DirectoryBatches(h.inbox)
        var turn = 0
        while try parts[turn % 3].read(directory, batches: 1) { turn += 1 }
        #expect(turn > 6)  // many batches, every share took some
        #expect(parts.allSatisfy { !$0.heap.sorted().isEmpty })
        let (merged, _) = InboxScanner.merge(parts)
        #expect(merged.ready.map(\.name) == Array(expected.prefix(25)))
        #expect(merged.ready == single.ready)
        #expect(merged.waiting == 300 - 25 && merged.waiting == single.waiting)
        #expect(merged.refused == single.refused)
        #expect(Set(merged.refused.map(\.name)) == ["d1", "d2", "d3", "d4"])
    }

    @Test(arguments: [1, 2])
    func nonRegularEntriesAndTemporaryNamesAreNeverCandidates(threads: Int) throws {
        let h = try PipelineHarness()
        for i in 0..<40 {
            let path = h.inbox + "/" + String(format: "r%02d.hl7", i)
            #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
            Self.touch(path, 1_700_000_000 + 40 - i)
        }
        // Older than every regular file, so a scan that took them would put them first.
        #expect(symlink(h.inbox + "/r00.hl7", h.inbox + "/link.hl7") == 0)
        #expect(mkfifo(h.inbox + "/pipe.hl7", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: h.inbox + "/folder.hl7", withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: h.inbox + "/.hidden-folder", withIntermediateDirectories: false)
        for name in [".hidden.hl7", "upload.tmp", "upload.hl7.part"] {
            #expect(FileManager.default.createFile(atPath: h.inbox + "/" + name, contents: Data("x".utf8)))
        }
        for name in ["link.hl7", "pipe.hl7", "folder.hl7", ".hidden.hl7", "upload.tmp", "upload.hl7.part"] {
            Self.touch(h.inbox + "/" + name, 1_600_000_000)
        }
        let scan = try InboxScanner(batchBytes: 1024).scan(h.config.channels[0], limit: 100, threads: threads)
        #expect(scan.ready.map(\.name) == (0..<40).reversed().map { String(format: "r%02d.hl7", $0) })
        #expect(scan.waiting == 0)
        let refused = Dictionary(uniqueKeysWithValues: scan.refused.map { ($0.name, $0.reason) })
        #expect(refused == ["link.hl7": "symbolic link (not followed)", "pipe.hl7": "FIFO (not read)",
                            "folder.hl7": "directory (not entered)"])
        // Refusals come in directory order, as one pass lists them.
        let listed = try FileManager.default.contentsOfDirectory(atPath: h.inbox).filter { refused[$0] != nil }
        #expect(scan.refused.map(\.name) == listed)
    }

    /// A name that is not UTF-8 cannot be claimed (no String names it): it is left where it is and
    /// told as not taken, never passed over in silence; the files beside it are taken as usual.
    @Test func aNameThatIsNotUTF8IsToldAndLeft() throws {
        let h = try PipelineHarness()
        #expect(FileManager.default.createFile(atPath: h.inbox + "/good.hl7", contents: Data("x".utf8)))
        // "bé.hl7" in Latin-1: 0xE9 alone is not UTF-8.
        let path = Array(h.inbox.utf8) + [0x2F, 0x62, 0xE9, 0x2E, 0x68, 0x6C, 0x37]
        let fd = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
        #expect(fd >= 0)
        close(fd)
        let scan = try InboxScanner(batchBytes: 1024).scan(h.config.channels[0], limit: 100, threads: 1)
        #expect(scan.ready.map(\.name) == ["good.hl7"])
        #expect(scan.refused.map(\.name) == ["b\u{FFFD}.hl7"])
        #expect(scan.refused.map(\.reason) == [InboxScanner.Part.notUTF8])
    }
}
