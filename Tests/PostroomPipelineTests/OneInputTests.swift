import Foundation
import PostroomArchive
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing

/// DESIGN.md §3.8: no single input stops the processing of others — whatever a drop is called, and
/// whatever its outputs run into, the run goes on and later runs take new files.
@Suite struct OneInputTests {
    /// An ORM with its own control id and placer number (not a duplicate of another).
    static func orm(_ n: Int) -> [UInt8] {
        Array(String(decoding: sampleORM, as: UTF8.self).replacingOccurrences(of: "|C1|", with: "|N\(n)|")
            .replacingOccurrences(of: "ORC|NW|1^A\rOBR|1|1^A", with: "ORC|NW|N\(n)^A\rOBR|1|N\(n)^A").utf8)
    }

    /// A name of exactly `bytes` bytes ending in `.hl7`.
    static func name(_ bytes: Int, _ letter: String = "a") -> String {
        String(repeating: letter, count: bytes - 4) + ".hl7"
    }

    static func names(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    /// The next run takes a normal file: nothing an earlier drop left blocks it.
    static func expectNextRunGoesOn(_ h: PipelineHarness, _ n: Int, stillStuck: Int = 0) throws {
        try h.drop("next-\(n).hl7", orm(900 + n))
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 1, "\(s.channels) \(s.unplaced)")
        #expect(s.unplaced.count == stillStuck)
        #expect(h.inboxNames().isEmpty)
        #expect(names(h.config.channels[0].outbox).contains { $0.hasPrefix("next-\(n).hl7.") })
    }

    @Test(arguments: [211, 216, 220, 228, 229, 240, 255])
    func aLongNameIsAcceptedAndAnsweredAndLaterRunsGoOn(_ length: Int) throws {
        let h = try PipelineHarness()
        let long = Self.name(length)
        try h.drop(long, Self.orm(length))
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 1, "\(s.channels)")
        #expect(h.inboxNames().isEmpty)
        let acks = Self.names(h.config.channels[0].outbox)
        #expect(acks.count == 1)
        let ack = try #require(acks.first)
        #expect(ack.utf8.count + FileName.tempBytes <= 255)
        #expect(ack.hasPrefix(String(long.prefix(150))) && ack.hasSuffix(".ack.hl7"))
        let drop = try #require(try h.drops().first)
        #expect(drop.name == long && drop.state == .done && drop.ackName == ack)
        try Self.expectNextRunGoesOn(h, length)
    }

    @Test(arguments: [211, 240, 255])
    func aLongNamedRejectIsPlacedInErrorWithItsSidecar(_ length: Int) throws {
        let h = try PipelineHarness()
        try h.drop(Self.name(length), Array("not a message at all".utf8))
        let s = try h.pipeline.runOnce()
        #expect(s.total.rejected == 1)
        let errors = Self.names(h.config.errorFolder + "/in")
        #expect(errors.count == 2, "\(errors)")
        #expect(errors.allSatisfy { $0.utf8.count + FileName.tempBytes <= 255 })
        let drop = try #require(try h.drops().first)
        let path = try #require(drop.errorPath)
        #expect(FileManager.default.fileExists(atPath: path) && FileManager.default.fileExists(atPath: path + ".error.json"))
        #expect(Self.names(h.config.channels[0].outbox).count == 1)
        try Self.expectNextRunGoesOn(h, length)
    }

    @Test func zipMembersThatFlattenToOneNameBothLandInErrorApart() throws {
        let h = try PipelineHarness()
        let path = h.folder.path + "/clash.tar.gz"
        let w = try ArchiveWriter(path: path, compression: .gzip(level: 1))
        try w.add(name: "a/x.hl7", bytes: Array("first bad member".utf8), modified: Date())
        try w.add(name: "a_x.hl7", bytes: Array("second bad member".utf8), modified: Date())
        try w.close()
        try h.drop("clash.tar.gz", [UInt8](FileManager.default.contents(atPath: path)!))
        let s = try h.pipeline.runOnce()
        #expect(s.total.rejected == 2 && s.unplaced.isEmpty, "\(s.channels) \(s.unplaced)")
        let members = try h.drops().filter { $0.parentDrop != nil }
        #expect(members.count == 2 && members.allSatisfy { $0.state == .done })
        let paths = members.compactMap(\.errorPath)
        #expect(Set(paths).count == 2)
        var contents: Set<String> = []
        for p in paths {
            contents.insert(String(decoding: FileManager.default.contents(atPath: p) ?? Data(), as: UTF8.self))
            let sidecar = try JSONParser().parse([UInt8](FileManager.default.contents(atPath: p + ".error.json") ?? Data()))
            #expect(members.contains { $0.id == sidecar["drop"]?.string && $0.errorPath == p })
        }
        #expect(contents == ["first bad member", "second bad member"])
        try Self.expectNextRunGoesOn(h, 1)
    }

    @Test func aFileThatCannotBeClaimedEndsTheRunInsteadOfBeingTriedForever() throws {
        let h = try PipelineHarness()
        // The channel's work folder on another file system: every claim (a rename) fails with EXDEV.
        let elsewhere = "/dev/shm/postroom-test-\(UUID().uuidString)"
        let fm = FileManager.default
        guard fm.fileExists(atPath: "/dev/shm"),
              FileSystem.status("/dev/shm")?.device != FileSystem.status(h.config.workFolder)?.device else { return }
        try fm.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: elsewhere) }
        try fm.removeItem(atPath: h.config.workFolder + "/in")
        try fm.createSymbolicLink(atPath: h.config.workFolder + "/in", withDestinationPath: elsewhere)
        try h.drop("waiting.hl7", Self.orm(1))
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 0 && h.inboxNames() == ["waiting.hl7"])
        try fm.removeItem(atPath: h.config.workFolder + "/in")
        try fm.createDirectory(atPath: h.config.workFolder + "/in", withIntermediateDirectories: true)
        #expect(try h.pipeline.runOnce().total.accepted == 1)
        #expect(h.inboxNames().isEmpty)
    }

    @Test func aDropWhoseOriginalCannotBePlacedDoesNotStopTheOthers() throws {
        let h = try PipelineHarness()
        // A file where the channel's error folder must be: the reject cannot be placed (an obstacle at a
        // name Postroom would choose is avoided by a unique name; an acknowledgement is written unnamed first).
        try FileManager.default.createDirectory(atPath: h.config.errorFolder, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: h.config.errorFolder + "/in")
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: h.config.errorFolder + "/in"))
        try h.drop("stuck.hl7", Array("not a message".utf8))
        try h.drop("fine.hl7", Self.orm(1))
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 1 && s.total.rejected == 1)
        #expect(s.unplaced.count == 1 && s.unplaced[0].contains("error folder"))
        #expect(s.exitCode == 74, "an output left unplaced needs the operator more than a rejected drop does")
        let stuck = try #require(try h.drops().first { $0.name == "stuck.hl7" })
        #expect(stuck.state == .processed && FileManager.default.fileExists(atPath: stuck.workPath))
        #expect(Self.names(h.config.channels[0].outbox).count == 2)
        // Later runs still take new files while the stuck drop waits; once freed, it is placed.
        try Self.expectNextRunGoesOn(h, 2, stillStuck: 1)
        try FileManager.default.removeItem(atPath: h.config.errorFolder + "/in")
        let s3 = try h.pipeline.runOnce()
        #expect(s3.unplaced.isEmpty && s3.exitCode == 0)
        #expect(try h.drops().first { $0.name == "stuck.hl7" }?.state == .done)
        #expect(FileManager.default.fileExists(atPath: h.config.errorFolder + "/in/stuck.hl7.error.json"))
    }
}

@Suite struct FileNameTests {
    @Test func shortNamesAreKeptAndLongOnesFitDeterministicallyAndApart() {
        #expect(FileName.fitting("a.hl7", reserve: 40) == "a.hl7")
        let a = String(repeating: "é", count: 120) + "-1.hl7"
        let b = String(repeating: "é", count: 120) + "-2.hl7"
        let fa = FileName.fitting(a, reserve: 40)
        #expect(fa.utf8.count <= 215 && fa == FileName.fitting(a, reserve: 40))
        #expect(fa != FileName.fitting(b, reserve: 40))
        #expect(fa.hasPrefix(String(repeating: "é", count: 90)))
        let ack = FileName.ack(name: a, id: "01M8E1SJ7BZ2G60N9M7BAYGM5Z", suffix: "response.json")
        #expect(ack.utf8.count + FileName.tempBytes == 255 && ack.hasSuffix(".01M8E1SJ7BZ2G60N9M7BAYGM5Z.response.json"))
        let unique = FileName.error(name: a, id: "01M8E1SJ7BZ2G60N9M7BAYGM5Z", unique: true)
        #expect((unique + FileName.sidecarSuffix).utf8.count + FileName.tempBytes <= 255)
    }
}
