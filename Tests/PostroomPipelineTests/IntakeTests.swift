import Foundation
import Logging
import PostroomConfig
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A pipeline over a temporary data folder with one channel.
final class PipelineHarness {
    let folder: TempFolder
    let config: PipelineConfig
    let pipeline: Pipeline
    var inbox: String { config.channels[0].inbox }

    init(completion: String = #"{ "mode": "rename" }"#, extra: String = "", maxFileSize: Int = 4096) throws {
        folder = try TempFolder()
        let json = """
            { "data": "data", "groupSize": 4 \(extra),
              "channels": [ { "name": "in", "formats": ["hl7v2", "fhir", "cda"], "role": "placer",
                              "completion": \(completion), "maxFileSize": \(maxFileSize) } ] }
            """
        config = try PipelineConfig.parse(try JSONParser().parse(json), base: folder.path, configPath: folder.path + "/pipeline.json")
        pipeline = try Pipeline(config: config, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    deinit { pipeline.close() }

    func drop(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: inbox + "/" + name))
    }

    func inboxNames() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: inbox)) ?? []).sorted() }

    func drops() throws -> [DropRecord] { try pipeline.store.read { try $0.drops(limit: 1000) } }
}

let sampleORM = Array("MSH|^~\\&|A|B|C|D|20260101||ORM^O01^ORM_O01|C1|P|2.5.1\rPID|1||9990000018^^^NHS^NH\rORC|NW|1^A\rOBR|1|1^A||X^Y^L\r".utf8)

@Suite struct IntakeTests {
    @Test func temporaryNamesAreNeverTaken() throws {
        let h = try PipelineHarness()
        for name in [".hidden.hl7", "upload.tmp", "upload.hl7.part", "real.hl7"] { try h.drop(name, sampleORM) }
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 1)
        #expect(h.inboxNames() == [".hidden.hl7", "upload.hl7.part", "upload.tmp"])
    }

    @Test func symlinksFIFOsAndDirectoriesAreReportedNotFollowed() throws {
        let h = try PipelineHarness()
        let secret = h.folder.path + "/secret.hl7"
        try Data(sampleORM).write(to: URL(fileURLWithPath: secret))
        #expect(symlink(secret, h.inbox + "/link.hl7") == 0)
        #expect(mkfifo(h.inbox + "/pipe.hl7", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: h.inbox + "/folder", withIntermediateDirectories: false)
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 0 && s.total.rejected == 0)
        let refused = Set((s.refused["in"] ?? []).map(\.name))
        #expect(refused == ["link.hl7", "pipe.hl7", "folder"])
        // Left where they were; the link's target untouched.
        #expect(Set(h.inboxNames()) == ["link.hl7", "pipe.hl7", "folder"])
        #expect(FileManager.default.contents(atPath: secret).map { [UInt8]($0) } == sampleORM)
        #expect(try h.drops().isEmpty)
    }

    @Test func anOversizedFileIsRejectedWithoutBeingParsed() throws {
        let h = try PipelineHarness()
        try h.drop("big.hl7", sampleORM + [UInt8](repeating: 0x41, count: 5000))
        let s = try h.pipeline.runOnce()
        #expect(s.total.rejected == 1)
        let d = try #require(try h.drops().first)
        #expect(d.issues.map(\.code) == ["file-too-large"])
        #expect(d.sha256 == "not-read")
        #expect(FileManager.default.fileExists(atPath: h.config.errorFolder + "/in/big.hl7"))
        #expect(FileManager.default.fileExists(atPath: h.config.errorFolder + "/in/big.hl7.error.json"))
    }

    @Test func markerModeTakesAFileOnlyWithItsMarkerAndConsumesIt() throws {
        let h = try PipelineHarness(completion: #"{ "mode": "marker" }"#)
        try h.drop("a.hl7", sampleORM)
        #expect(try h.pipeline.runOnce().total.accepted == 0)
        #expect(h.inboxNames() == ["a.hl7"])
        try h.drop("a.hl7.done", [])
        #expect(try h.pipeline.runOnce().total.accepted == 1)
        #expect(h.inboxNames().isEmpty)
    }

    @Test func stableModeWaitsForTwoLooksThatAgree() throws {
        let h = try PipelineHarness(completion: #"{ "mode": "stable", "seconds": 0.2 }"#)
        let ch = h.config.channels[0]
        try h.drop("growing.hl7", Array(sampleORM.prefix(20)))
        let scanner = InboxScanner()
        #expect(try scanner.scan(ch, limit: 10).ready.isEmpty)  // first look
        // Still being written: size changes between looks.
        let fh = try FileHandle(forWritingTo: URL(fileURLWithPath: h.inbox + "/growing.hl7"))
        try fh.seekToEnd()
        try fh.write(contentsOf: Data(sampleORM.dropFirst(20)))
        try fh.close()
        Thread.sleep(forTimeInterval: 0.25)
        #expect(try scanner.scan(ch, limit: 10).ready.isEmpty)
        Thread.sleep(forTimeInterval: 0.25)
        #expect(try scanner.scan(ch, limit: 10).ready.map(\.name) == ["growing.hl7"])
    }

    @Test func stableModeSeesACopyThatKeepsAnOldMtime() throws {
        let h = try PipelineHarness(completion: #"{ "mode": "stable", "seconds": 0.2 }"#)
        let ch = h.config.channels[0]
        let path = h.inbox + "/copied.hl7"
        try h.drop("copied.hl7", Array(sampleORM.prefix(30)))
        var old = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &old, 0) == 0)
        let scanner = InboxScanner()
        _ = try scanner.scan(ch, limit: 10)
        // The copy goes on writing, then resets the old mtime (as `cp -p` does): ctime and size still change.
        Thread.sleep(forTimeInterval: 0.25)
        try Data(sampleORM).write(to: URL(fileURLWithPath: path))
        #expect(utimensat(AT_FDCWD, path, &old, 0) == 0)
        #expect(try scanner.scan(ch, limit: 10).ready.isEmpty)
    }

    @Test func dropsAreTakenOldestFirst() throws {
        let h = try PipelineHarness()
        for (i, name) in ["c.hl7", "a.hl7", "b.hl7"].enumerated() {
            try h.drop(name, sampleORM + Array("NTE|\(i)\r".utf8))
            var t = [timespec(tv_sec: 1_700_000_000 + 10 * (3 - i), tv_nsec: 0), timespec(tv_sec: 1_700_000_000 + 10 * (3 - i), tv_nsec: 0)]
            _ = utimensat(AT_FDCWD, h.inbox + "/" + name, &t, 0)
        }
        _ = try h.pipeline.runOnce()
        let order = try h.drops().sorted { $0.id < $1.id }.map(\.name)
        #expect(order == ["b.hl7", "a.hl7", "c.hl7"])
    }

    @Test func aRunTakesWhatWasThereWhenItStartedNotWhatKeepsArriving() throws {
        let h = try PipelineHarness()
        try h.drop("now.hl7", sampleORM)
        try h.drop("later.hl7", Array(String(decoding: sampleORM, as: UTF8.self).replacingOccurrences(of: "C1", with: "C2").utf8))
        let future = Int(Date().timeIntervalSince1970) + 3600
        var t = [timespec(tv_sec: future, tv_nsec: 0), timespec(tv_sec: future, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, h.inbox + "/later.hl7", &t, 0) == 0)
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 1)
        #expect(h.inboxNames() == ["later.hl7"])
    }

    @Test func theScanHoldsOnlyABoundedNumberOfCandidates() throws {
        let h = try PipelineHarness()
        for i in 0..<50 { try h.drop(String(format: "f%02d.hl7", i), sampleORM) }
        let scan = try InboxScanner().scan(h.config.channels[0], limit: 8)
        #expect(scan.ready.count == 8)
        #expect(scan.waiting == 42)
        #expect(scan.ready.map(\.name) == (0..<8).map { String(format: "f%02d.hl7", $0) })
    }

    @Test func aDuplicateIsRecognisedAfterARestart() throws {
        let h = try PipelineHarness()
        try h.drop("a.hl7", sampleORM)
        _ = try h.pipeline.runOnce()
        // Reopen the same data folder in a new pipeline, as a new process would.
        h.pipeline.close()
        let again = try Pipeline(config: h.config, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        defer { again.close() }
        try h.drop("a-again.hl7", sampleORM)
        let s = try again.runOnce()
        #expect(s.total.duplicates == 1)
        #expect(try again.store.read { try $0.requests(openOnly: false).count } == 1)
    }
}
