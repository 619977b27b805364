import Foundation
import Logging
import PostroomArchive
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing

@Suite struct StreamedBatchTests {
    static func message(_ n: Int, nhs: String = "9990000018") -> String {
        [
            "MSH|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126153000||ORU^R01^ORU_R01|B-\(n)|P|2.5.1",
            "PID|1||\(nhs)^^^NHS^NH||TEST^PATIENT||19700101|F",
            "ORC|RE|ORD\(n)^GPSYSTEM|LAB\(n)^LABSYS",
            "OBR|1|ORD\(n)^GPSYSTEM|LAB\(n)^LABSYS|26604007^Full blood count^SCT||||||||||||||||||||F",
            "OBX|1|NM|718-7^Hemoglobin^LN||\(100 + n % 50)|g/L^g/L^UCUM|115-165|N|||F",
        ].joined(separator: "\r") + "\r"
    }

    static func batch(_ count: Int, declared: Int? = nil, bad: Set<Int> = []) -> [UInt8] {
        var s = "FHS|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126153000||||F1\rBHS|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126153000||||B1\r"
        for n in 0..<count { s += message(n, nhs: bad.contains(n) ? "9990000019" : "9990000018") }
        s += "BTS|\(declared ?? count)\rFTS|1\r"
        return Array(s.utf8)
    }

    func harness() throws -> PipelineHarness {
        try PipelineHarness(extra: #", "limits": { "streamAbove": 1000 }"#, maxFileSize: 1 << 24)
    }

    @Test func aLargeBatchIsStreamedWithOneAcknowledgementPerMessage() throws {
        let h = try harness()
        try h.drop("big.hl7", Self.batch(600, bad: [7, 300]))
        let s = try h.pipeline.runOnce()
        #expect(s.total.partial == 1)
        #expect(s.total.messages == 600)
        let drop = try #require(try h.drops().first)
        #expect(drop.ackFile != nil && drop.ackBytes == nil)
        let messages = try h.pipeline.store.read { try $0.messages(dropID: drop.id) }
        #expect(messages.count == 600)
        #expect(messages.filter { $0.disposition == .rejected }.map(\.index) == [7, 300])
        // Raw bytes kept for the rejected ones only (the whole file is archived).
        #expect(messages.filter { $0.raw != nil }.count == 2)
        let ackName = try #require(try FileManager.default.contentsOfDirectory(atPath: h.config.channels[0].outbox).first)
        let ack = String(decoding: FileManager.default.contents(atPath: h.config.channels[0].outbox + "/" + ackName)!, as: UTF8.self)
        let segments = ack.split(separator: "\r").map { $0.split(separator: "|", omittingEmptySubsequences: false) }
        #expect(segments.first?.first == "FHS" && segments.first?.last == "F1")
        #expect(segments[1].first == "BHS" && segments[1].last == "B1")
        let msa = segments.filter { $0.first == "MSA" }
        #expect(msa.count == 600)
        #expect(msa.filter { $0[1] == "AE" }.map { String($0[2]) } == ["B-7", "B-300"])
        #expect(segments.contains { $0.first == "BTS" && $0[1] == "600" })
        #expect(try h.pipeline.store.read { try $0.reports().count } == 598)
    }

    /// Results refused while they are applied (they name an order of another patient) in a streamed
    /// batch, whose chunks are settled without a savepoint per message until one is refused: that
    /// chunk is settled again with savepoints, so only the refused results' changes are undone, and
    /// the next chunks take their savepoints at once (`SavepointPolicy`).
    @Test func resultsRefusedWhileAppliedUndoOnlyTheirOwnChanges() throws {
        let h = try harness()
        let orders = [5, 300, 301].map { n in
            ["MSH|^~\\&|GPSYSTEM|A83008|LABSYS|RX1LAB|20261126150000||ORM^O01^ORM_O01|O-\(n)|P|2.5.1",
             "PID|1||9990000026^^^NHS^NH||OTHER^PATIENT||19800101|M",
             "ORC|NW|ORD\(n)^GPSYSTEM",
             "OBR|1|ORD\(n)^GPSYSTEM||26604007^Full blood count^SCT"].joined(separator: "\r") + "\r"
        }
        for (k, order) in orders.enumerated() { try h.drop("order\(k).hl7", Array(order.utf8)) }
        _ = try h.pipeline.runOnce()
        try h.drop("big.hl7", Self.batch(600))
        let s = try h.pipeline.runOnce()
        #expect(s.total.partial == 1 && s.total.messages == 600)
        let drop = try #require(try h.drops().first { $0.name == "big.hl7" })
        let messages = try h.pipeline.store.read { try $0.messages(dropID: drop.id) }
        #expect(messages.count == 600)
        let refused = messages.filter { $0.disposition == .rejected }
        #expect(refused.map(\.index) == [5, 300, 301])
        #expect(refused.allSatisfy { $0.issues.contains { $0.code == IssueCode.patientMismatch.code } && $0.raw != nil })
        let reports = try h.pipeline.store.read { try $0.reports() }
        #expect(reports.count == 597)
        #expect(!reports.contains { $0.requestKeys.contains { $0.hasSuffix("|ORD5") || $0.hasSuffix("|ORD300") } })
        // A refused result had stored its Observation before it was refused: undone with it.
        let counts = try h.pipeline.store.read { try $0.resourceCounts() }
        #expect(counts.first { $0.type == "Observation" }?.count == 597, "\(counts)")
        let ackName = try #require(try FileManager.default.contentsOfDirectory(atPath: h.config.channels[0].outbox)
            .first { $0.contains("big") })
        let ack = String(decoding: FileManager.default.contents(atPath: h.config.channels[0].outbox + "/" + ackName)!, as: UTF8.self)
        let msa = ack.split(separator: "\r").filter { $0.hasPrefix("MSA|") }.map { $0.split(separator: "|", omittingEmptySubsequences: false) }
        #expect(msa.count == 600)
        #expect(msa.filter { $0[1] != "AA" }.map { String($0[2]) } == ["B-5", "B-300", "B-301"])
    }

    @Test func theSavepointPolicyBacksOffAfterAReplay() {
        var p = SavepointPolicy()
        #expect(p.elide)
        p.settled(replayed: true)
        for _ in 0..<SavepointPolicy.backOff {
            #expect(!p.elide)
            p.settled(replayed: false)
        }
        #expect(p.elide)
    }

    @Test func aTruncatedLargeBatchIsRejectedWhole() throws {
        let h = try harness()
        try h.drop("cut.hl7", Self.batch(50, declared: 80))
        let s = try h.pipeline.runOnce()
        #expect(s.total.rejected == 1)
        #expect(try h.pipeline.store.read { try $0.reports() }.isEmpty)
        let drop = try #require(try h.drops().first)
        #expect(drop.issues.contains { $0.isError })
        #expect(FileManager.default.fileExists(atPath: h.config.errorFolder + "/in/cut.hl7"))
    }

    @Test func theSameLargeBatchAgainIsADuplicateWithItsOriginalAcknowledgement() throws {
        let h = try harness()
        try h.drop("a.hl7", Self.batch(300))
        _ = try h.pipeline.runOnce()
        try h.drop("b.hl7", Self.batch(300))
        let s = try h.pipeline.runOnce()
        #expect(s.total.duplicates == 1)
        let outbox = h.config.channels[0].outbox
        let acks = try FileManager.default.contentsOfDirectory(atPath: outbox).sorted()
        #expect(acks.count == 2)
        #expect(FileManager.default.contents(atPath: outbox + "/" + acks[0]) == FileManager.default.contents(atPath: outbox + "/" + acks[1]))
        #expect(try h.pipeline.store.read { try $0.reports().count } == 300)
        // The repeat names the first drop and lists as one duplicate `batch` message (the settle path shared with grouped drops).
        let drops = try h.drops().sorted { $0.receivedAt < $1.receivedAt || ($0.receivedAt == $1.receivedAt && $0.id < $1.id) }
        let (first, again) = (drops[0], drops[1])
        #expect(again.outcome == .duplicate && again.duplicateOf == first.id && again.format == "hl7v2")
        #expect(again.issues.map(\.code) == [IssueCode.duplicateDrop.code])
        let messages = try h.pipeline.store.read { try $0.messages(dropID: again.id) }
        #expect(messages.map(\.type) == ["batch"] && messages.first?.disposition == .duplicate && messages.first?.duplicateOf == first.id)
        // The run's archive says so too.
        let archive = try #require(s.archivePaths.first)
        let reader = try ArchiveReader(path: archive)
        var manifest: JSONValue?
        while let m = try reader.next() {
            if m.name == "manifest.json" { manifest = try JSONParser().parse(String(decoding: try reader.readData(limit: 1 << 20), as: UTF8.self)) }
        }
        let entry = try #require(manifest?["drops"]?.array?.first { $0["drop"]?.string == again.id })
        #expect(entry["outcome"]?.string == "duplicate", "\(entry)")
    }

    /// Each archive part of a run: its members but `manifest.json`, and the members its manifest lists.
    static func parts(_ paths: [String]) throws -> [(members: [String], listed: [String])] {
        try paths.map { path in
            let reader = try ArchiveReader(path: path)
            var members: [String] = [], listed: [String] = []
            while let m = try reader.next() {
                guard m.name == "manifest.json" else { members.append(m.name); continue }
                let manifest = try JSONParser().parse(String(decoding: try reader.readData(limit: 1 << 20), as: UTF8.self))
                listed = (manifest["drops"]?.array ?? []).compactMap { $0["member"]?.string }
            }
            return (members, listed)
        }
    }

    /// Files left in the data folder's `work/.staging/` (none once a run has finished).
    static func staging(_ h: PipelineHarness) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: h.config.workFolder + "/.staging")) ?? []
    }

    /// A large batch's original is compressed while its messages are settled, into a part of its own:
    /// every drop of the run is archived once, each part's manifest lists exactly its members, and
    /// nothing is left in `work/`.
    @Test func aLargeBatchIsArchivedInAPartOfItsOwnBesideTheRunsOtherDrops() throws {
        let h = try harness()
        try h.drop("a-small.hl7", Array(Self.message(9000).utf8))
        let big = Self.batch(600)
        try h.drop("big.hl7", big)
        try h.drop("z-small.hl7", Array(Self.message(9001).utf8))
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 3 && s.total.messages == 602)
        let parts = try Self.parts(s.archivePaths)
        #expect(parts.count == 2)
        // Numbered from 1 in the order they were placed.
        #expect(s.archivePaths.map { ($0 as NSString).lastPathComponent } == [s.runID + ".tar.gz", s.runID + "-2.tar.gz"])
        for part in parts { #expect(part.members == part.listed) }
        #expect(parts.flatMap(\.members).map { $0.split(separator: "_").last.map(String.init) ?? $0 }.sorted()
                == ["a-small.hl7", "big.hl7", "z-small.hl7"])
        let own = try #require(parts.first { $0.members.contains { $0.hasSuffix("_big.hl7") } })
        #expect(own.members.count == 1)
        let drops = try h.drops()
        #expect(drops.count == 3 && drops.allSatisfy { $0.state == .done && $0.archivePath != nil })
        // The archived bytes are the original's.
        let path = try #require(drops.first { $0.name == "big.hl7" }?.archivePath)
        let reader = try ArchiveReader(path: path)
        var archived: [UInt8]?
        while let m = try reader.next() {
            if m.name.hasSuffix("_big.hl7") { archived = try reader.readData(limit: 1 << 24) }
        }
        #expect(archived == big)
        #expect(Self.staging(h).isEmpty, "\(Self.staging(h))")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: h.config.workFolder + "/in")) ?? []).isEmpty)
    }

    /// A large batch with a sound envelope whose every message is refused goes to `error/`: the part its
    /// original was compressed into ahead is discarded, and no archive is placed.
    @Test func aLargeBatchWhoseEveryMessageIsRefusedLeavesNoArchivePart() throws {
        let h = try harness()
        let bad = Self.batch(300, bad: Set(0..<300))
        try h.drop("bad.hl7", bad)
        try h.drop("small.hl7", Array(Self.message(9000).utf8))
        let s = try h.pipeline.runOnce()
        #expect(s.total.rejected == 1 && s.total.accepted == 1)
        #expect(FileManager.default.contents(atPath: h.config.errorFolder + "/in/bad.hl7").map { [UInt8]($0) } == bad)
        // One part, the small drop's, numbered 1: the discarded one took no number.
        let placed = FileManager.default.enumerator(atPath: h.config.archiveFolder)?.allObjects.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".tar.gz") } ?? []
        #expect(placed.map { ($0 as NSString).lastPathComponent } == [s.runID + ".tar.gz"], "\(placed)")
        #expect(try Self.parts(s.archivePaths).map(\.listed.count) == [1])
        #expect(Self.staging(h).isEmpty, "\(Self.staging(h))")
    }
}
