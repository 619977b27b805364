import Foundation
import PostroomCore
import PostroomStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` at any instant: the next run finishes the work — no drop lost, none applied twice,
/// every acknowledgement written exactly once, every drop in the archive or in `error/`.
@Suite(.serialized) struct CrashRecoveryTests {
    static let orders = 10
    static let rejects = 3

    /// A workspace with two rename channels and small groups, so a run has many commit points.
    static func workspace(partDrops: Int = 10_000) throws -> (Workspace, [String: [UInt8]]) {
        let ws = try Workspace()
        try """
            { "data": "data", "groupSize": 3, "archive": { "partDrops": \(partDrops) },
              "channels": [
                { "name": "orders", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } },
                { "name": "results", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        var originals: [String: [UInt8]] = [:]
        for n in 0..<orders {
            let o = Loads.order(n), r = Loads.result(n)
            try ws.drop(o, as: String(format: "order-%03d.hl7", n), channel: "orders")
            try ws.drop(r, as: String(format: "result-%03d.hl7", n), channel: "results")
            originals[String(format: "order-%03d.hl7", n)] = o
            originals[String(format: "result-%03d.hl7", n)] = r
        }
        for n in 0..<rejects {
            let b = Loads.reject(n)
            try ws.drop(b, as: String(format: "bad-%03d.hl7", n), channel: "orders")
            originals[String(format: "bad-%03d.hl7", n)] = b
        }
        return (ws, originals)
    }

    /// Checks DESIGN.md §3 after a crash and a completing run.
    static func checkInvariants(_ ws: Workspace, originals: [String: [UInt8]], context: String) throws {
        // Nothing left behind.
        for ch in ["orders", "results"] {
            #expect(ws.files(in: "inbox/" + ch).isEmpty, "\(context): inbox \(ch)")
            #expect(ws.files(in: "work/" + ch).isEmpty, "\(context): work \(ch)")
        }
        // Every original in exactly one place: an archive member or error/.
        var places = try ws.archivedPlaces(of: originals, context: context)
        for ch in ["orders", "results"] {
            for f in ws.files(in: "error/" + ch) where !f.hasSuffix(".error.json") {
                #expect(ws.files(in: "error/" + ch).contains(f + ".error.json"), "\(context): sidecar of \(f)")
                let original = f.split(separator: ".").prefix(2).joined(separator: ".")
                #expect(originals[original] == ws.read("error/\(ch)/\(f)"), "\(context): error bytes of \(f)")
                places[original, default: 0] += 1
            }
        }
        for name in originals.keys {
            #expect(places[name] == 1, "\(context): \(name) is in \(places[name] ?? 0) places")
        }
        // One drop per original, every drop done, one acknowledgement file each.
        let store = try ws.store()
        let drops = try store.read { try $0.drops(limit: 10_000) }
        #expect(drops.count == originals.count, "\(context): \(drops.count) drops for \(originals.count) files")
        #expect(drops.allSatisfy { $0.state == .done }, "\(context): unfinished drops")
        var ackFiles: [String] = []
        for ch in ["orders", "results"] { ackFiles += ws.files(in: "outbox/" + ch) }
        #expect(!ackFiles.contains { $0.hasPrefix(".") }, "\(context): temp files left in an outbox")
        #expect(ackFiles.count == originals.count, "\(context): \(ackFiles.count) acknowledgements for \(originals.count) drops")
        for d in drops {
            #expect(ackFiles.filter { $0.contains("." + d.id + ".") }.count == 1, "\(context): acks of \(d.name)")
            #expect(d.outcome == (d.name.hasPrefix("bad") ? .rejected : .accepted), "\(context): outcome of \(d.name)")
        }
        // Applied exactly once.
        let (requests, reports, tasks) = try store.read { r in (try r.requests(openOnly: false), try r.reports(), try r.tasks()) }
        #expect(requests.count == orders, "\(context): requests")
        #expect(reports.count == orders && reports.allSatisfy { $0.state == .linked }, "\(context): reports")
        #expect(tasks.count == orders && tasks.allSatisfy { $0.status == .completed }, "\(context): tasks")
        for t in tasks {
            let h = try store.read { try $0.taskHistory(taskID: t.id) }
            #expect(h.map(\.to) == ["requested", "accepted", "in-progress", "completed"], "\(context): history")
        }
    }

    static let points = ["claimed", "recorded", "processed", "acked", "errored", "archive-closed", "archive-placed", "archive-recorded"]

    @Test(arguments: points)
    func killedAtAPointTheNextRunFinishesTheWork(_ point: String) throws {
        for n in [1, 2, 4] {
            let (ws, originals) = try Self.workspace()
            let crashed = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"], environment: ["POSTROOM_CRASH_AT": "\(point):\(n)"])
            // Points late in a run are reached once only: those runs finish normally.
            #expect([137, 65].contains(crashed.code), "\(point):\(n) exit \(crashed.code) \(crashed.stderr)")
            let again = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
            #expect([0, 65].contains(again.code), "\(point):\(n) second run \(again.stderr)")
            try Self.checkInvariants(ws, originals: originals, context: "\(point):\(n)")
        }
    }

    /// A group is recorded where it is settled: killed after its claim, its files are in `work/` with no row,
    /// and so are those of the next group claimed so far, claimed while it was to be settled (`ClaimAhead`). The next run
    /// records them as received when they were claimed (the claim's rename), not when it finds them.
    @Test func aDropClaimedBeforeACrashKeepsWhenItWasReceived() throws {
        let (ws, originals) = try Self.workspace()
        let crashed = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"], environment: ["POSTROOM_CRASH_AT": "recorded:1"])
        #expect(crashed.code == 137, "exit \(crashed.code) \(crashed.stderr)")
        let claimed = ["orders", "results"].flatMap { ws.files(in: "work/" + $0) }.map { String($0.prefix(26)) }
        // The next group's claims race the kill: 0 to 3 of its files.
        #expect((3...6).contains(claimed.count), "the first group's files and the next group's: \(claimed)")
        #expect(try ws.store().read { r in try claimed.compactMap { try r.drop(id: $0) } }.isEmpty, "no row before the group settles")
        Thread.sleep(forTimeInterval: 1.5)
        let restarted = Date()
        let again = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
        #expect([0, 65].contains(again.code), "second run \(again.stderr)")
        try Self.checkInvariants(ws, originals: originals, context: "recorded:1")
        for id in claimed {
            let d = try #require(try ws.store().read { try $0.drop(id: id) })
            let received = try #require(StoreTime.date(d.receivedAt))
            #expect(received < restarted.addingTimeInterval(-1), "\(id) received \(d.receivedAt), found at \(restarted)")
        }
    }

    @Test(arguments: ["archive-closed", "archive-placed", "archive-recorded"])
    func aRunArchivedInPartsIsFinishedWhicheverPartACrashInterrupts(_ point: String) throws {
        // 20 accepted drops in parts of 4: five archive files; crash at the first, third and fifth part.
        for n in [1, 3, 5] {
            let (ws, originals) = try Self.workspace(partDrops: 4)
            let crashed = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"], environment: ["POSTROOM_CRASH_AT": "\(point):\(n)"])
            #expect(crashed.code == 137, "\(point):\(n) exit \(crashed.code) \(crashed.stderr)")
            let again = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
            #expect([0, 65].contains(again.code), "\(point):\(n) second run \(again.stderr)")
            try Self.checkInvariants(ws, originals: originals, context: "parts \(point):\(n)")
            #expect(try ws.archives().allSatisfy { $0.value.filter { $0.key != "manifest.json" }.count <= 4 })
        }
        let (ws, originals) = try Self.workspace(partDrops: 4)
        let run = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
        #expect(run.code == 65)
        try Self.checkInvariants(ws, originals: originals, context: "parts")
        let archives = try ws.archives()
        #expect(archives.count == 5)
        #expect(archives.allSatisfy { $0.value["manifest.json"] != nil })
    }

    /// A run killed after placing an archive part whose file is then unreadable (damaged, or replaced
    /// by something else): the next run cannot adopt it, says so, and archives its drops again rather
    /// than stopping there (and every later run with it).
    @Test func aPlacedPartThatCannotBeReadDoesNotStopTheNextRun() throws {
        let (ws, originals) = try Self.workspace(partDrops: 4)
        let part = try Self.damagedPartAfterACrash(ws, at: "archive-placed:1")
        let again = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
        #expect([0, 65].contains(again.code), "second run: exit \(again.code) \(again.stderr)")
        #expect(again.stderr.contains("placed archive without a readable manifest"), "\(again.stderr)")
        #expect(!again.stderr.contains("order-") && !again.stderr.contains("result-"), "no file names in the log")
        // The damaged file is the operator's to look at; without it every original is in one place.
        try FileManager.default.removeItem(atPath: part.path)
        try Self.checkInvariants(ws, originals: originals, context: "unreadable part")
    }

    /// Runs until the crash point `at`, where one archive part is placed, and damages that part: its path and its bytes.
    static func damagedPartAfterACrash(_ ws: Workspace, at: String) throws -> (path: String, bytes: Data) {
        let crashed = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"], environment: ["POSTROOM_CRASH_AT": at])
        #expect(crashed.code == 137, "exit \(crashed.code) \(crashed.stderr)")
        let root = ws.data + "/archive"
        let placed = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".tar.gz") }
        #expect(placed.count == 1, "one part placed: \(placed)")
        let path = root + "/" + (try #require(placed.first))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try Data("not an archive".utf8).write(to: URL(fileURLWithPath: path))
        return (path, bytes)
    }

    /// A run killed after a part's drops were marked archived: the next run does not read that part
    /// again (a long run killed late has placed many, each a manifest to parse). Here the part is
    /// unreadable meanwhile, and the next run does not notice it, and archives none of its drops again.
    @Test func aPartAlreadyRecordedIsNotReadByTheNextRun() throws {
        let (ws, originals) = try Self.workspace(partDrops: 4)
        let part = try Self.damagedPartAfterACrash(ws, at: "archive-recorded:1")
        let again = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
        #expect([0, 65].contains(again.code), "second run: exit \(again.code) \(again.stderr)")
        #expect(!again.stderr.contains("placed archive without a readable manifest"), "\(again.stderr)")
        try part.bytes.write(to: URL(fileURLWithPath: part.path))
        try Self.checkInvariants(ws, originals: originals, context: "recorded part")
    }

    @Test func killedRepeatedlyAtEveryCheckpointInTurn() throws {
        // Crash at the k-th checkpoint of any kind, again and again, until a run completes.
        let (ws, originals) = try Self.workspace()
        var k = 1
        var runs = 0
        while runs < 60 {
            runs += 1
            let r = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"], environment: ["POSTROOM_CRASH_AT": "any:\(k)"])
            if r.code != 137 { break }
            k += 1
        }
        #expect(runs > 5)
        _ = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
        try Self.checkInvariants(ws, originals: originals, context: "any")
    }

    @Test func sigkillAtRandomTimesOverManyDrops() throws {
        let ws = try Workspace()
        try """
            { "data": "data", "groupSize": 8,
              "channels": [
                { "name": "orders", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } },
                { "name": "results", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        try ws.keepStoreInConfig()   // the runs below start the executable themselves
        var originals: [String: [UInt8]] = [:]
        // Enough drops that a run lasts longer than the longest wait before its kill, however fast it gets.
        let count = 400
        for n in 0..<count {
            originals[String(format: "order-%03d.hl7", n)] = Loads.order(n)
            originals[String(format: "result-%03d.hl7", n)] = Loads.result(n)
            try ws.drop(Loads.order(n), as: String(format: "order-%03d.hl7", n), channel: "orders")
            try ws.drop(Loads.result(n), as: String(format: "result-%03d.hl7", n), channel: "results")
        }
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<12 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: postroomBinary)
            p.arguments = ["run", "--once", "--config", ws.config, "--quiet"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.4, using: &generator))
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                kills += 1
            }
            p.waitUntilExit()
        }
        let final = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
        #expect(final.code == 0, "\(final.stderr)")
        #expect(kills > 0)
        let store = try ws.store()
        let drops = try store.read { try $0.drops(limit: 10_000) }
        #expect(drops.count == originals.count)
        #expect(drops.allSatisfy { $0.state == .done && $0.outcome == .accepted })
        var members: [String: Int] = [:]
        for (_, m) in try ws.archives() {
            for name in m.keys where name != "manifest.json" {
                members[String(name.split(separator: "/").last!.split(separator: "_", maxSplits: 1).last!), default: 0] += 1
            }
        }
        #expect(Set(members.keys) == Set(originals.keys))
        #expect(members.values.allSatisfy { $0 == 1 })
        let acks = ws.files(in: "outbox/orders") + ws.files(in: "outbox/results")
        #expect(acks.count == originals.count)
        let (requests, reports, tasks) = try store.read { r in (try r.requests(openOnly: false), try r.reports(), try r.tasks()) }
        #expect(requests.count == count && reports.count == count && tasks.count == count)
        #expect(tasks.allSatisfy { $0.status == .completed })
    }

    /// A large batch whose every message is refused: the part its original was compressed into ahead is
    /// discarded before the original is moved to `error/`, so a crash right after the move strands nothing.
    @Test func aRefusedStreamedBatchLeavesNoPartCompressedAheadBehind() throws {
        let ws = try Self.streamedBatch((0..<400).map(Loads.reject))
        let crashed = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"], environment: ["POSTROOM_CRASH_AT": "errored:1"])
        #expect(crashed.code == 137)
        #expect(ws.files(in: "error/results").contains("batch.hl7"))
        #expect(ws.files(in: "work/.staging").isEmpty, "\(ws.files(in: "work/.staging"))")
        let again = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
        #expect([0, 65].contains(again.code), "\(again.stderr)")
        #expect(try ws.archives().isEmpty)
        #expect(ws.files(in: "error/results").filter { $0.hasSuffix(".hl7") } == ["batch.hl7"])
        let drops = try ws.store().read { try $0.drops(limit: 10) }
        #expect(drops.count == 1 && drops[0].state == .done && drops[0].outcome == .rejected)
    }

    /// A workspace whose one HL7 v2 channel, `results`, streams files over 1,000 bytes, holding one batch
    /// file of `messages`, `batch.hl7`.
    static func streamedBatch(_ messages: [[UInt8]]) throws -> Workspace {
        let ws = try Workspace()
        try """
            { "data": "data", "limits": { "streamAbove": 1000 },
              "channels": [ { "name": "results", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        var text = "BHS|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126153000||||B1\r"
        for m in messages { text += String(decoding: m, as: UTF8.self) }
        text += "BTS|\(messages.count)\r"
        try ws.drop(Array(text.utf8), as: "batch.hl7", channel: "results")
        return ws
    }

    @Test func aStreamedBatchKilledMidwayIsFinishedWithoutApplyingTwice() throws {
        let ws = try Self.streamedBatch((0..<1300).map(Loads.result))
        let crashed = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"], environment: ["POSTROOM_CRASH_AT": "batch-chunk:2"])
        #expect(crashed.code == 137)
        let again = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
        #expect(again.code == 0, "\(again.stderr)")
        let store = try ws.store()
        let drops = try store.read { try $0.drops(limit: 10) }
        #expect(drops.count == 1 && drops[0].state == .done)
        #expect(try store.read { try $0.reports().count } == 1300)
        let messages = try store.read { try $0.messages(dropID: drops[0].id) }
        #expect(messages.count == 1300)
        // The messages applied before the crash keep their result; none is applied twice.
        #expect(messages.allSatisfy { $0.disposition == .held })
        #expect(try store.read { try $0.resourceCounts() }.first { $0.type == "DiagnosticReport" }?.count == 1300)
        let acks = ws.files(in: "outbox/results")
        #expect(acks.count == 1)
        let msa = segments(ws.read("outbox/results/" + acks[0])).filter { $0[0] == "MSA" }
        #expect(msa.count == 1300 && msa.allSatisfy { $0[1] == "AA" })
        // Archived once: the part compressed ahead by the killed run was never placed, and is gone.
        let archived = try ws.archives().values.flatMap(\.keys).filter { $0.hasSuffix("batch.hl7") }
        #expect(archived.count == 1)
        #expect(ws.files(in: "work/.staging").isEmpty, "\(ws.files(in: "work/.staging"))")
    }
}
