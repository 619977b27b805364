import Foundation
import Logging
import PostroomArchive
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ArchiveDropTests {
    func zip(_ members: [(String, [UInt8])], in folder: String) throws -> [UInt8] {
        // Built with libarchive's writer in tar form (zip writing is not exposed), then read back as a drop.
        let path = folder + "/a.tar.gz"
        let w = try ArchiveWriter(path: path, compression: .gzip(level: 1))
        for (n, b) in members { try w.add(name: n, bytes: b, modified: Date()) }
        try w.close()
        return [UInt8](FileManager.default.contents(atPath: path)!)
    }

    @Test func eachMemberBecomesADropOfItsOwn() throws {
        let h = try PipelineHarness()
        let other = Array(String(decoding: sampleORM, as: UTF8.self).replacingOccurrences(of: "C1", with: "C2").utf8)
        try h.drop("batch.tar.gz", try zip([("x/one.hl7", sampleORM), ("two.hl7", other)], in: h.folder.path))
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 3)
        let drops = try h.drops()
        let members = drops.filter { $0.parentDrop != nil }
        #expect(Set(members.map(\.name)) == ["batch.tar.gz!x_one.hl7", "batch.tar.gz!two.hl7"])
        #expect(members.allSatisfy { $0.state == .done && $0.archiveMember != nil })
        let outbox = try FileManager.default.contentsOfDirectory(atPath: h.config.channels[0].outbox)
        #expect(outbox.filter { $0.hasSuffix(".ack.hl7") }.count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.config.workFolder + "/.staging").isEmpty)
    }

    @Test(arguments: [("/etc/evil.hl7", "archive-member-path"), ("../evil.hl7", "archive-member-path"), ("a/../../evil.hl7", "archive-member-path")])
    func hostileMemberPathsRefuseTheWholeArchive(_ name: String, _ code: String) throws {
        let h = try PipelineHarness()
        try h.drop("slip.tar.gz", try zip([("ok.hl7", sampleORM), (name, sampleORM)], in: h.folder.path))
        let s = try h.pipeline.runOnce()
        #expect(s.total.rejected == 1 && s.total.accepted == 0)
        #expect(try h.drops().first?.issues.first?.code == code)
        #expect(!FileManager.default.fileExists(atPath: h.folder.path + "/evil.hl7"))
        #expect(!FileManager.default.fileExists(atPath: h.config.dataFolder + "/evil.hl7"))
        #expect(!FileManager.default.fileExists(atPath: "/etc/evil.hl7"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.config.workFolder + "/.staging").isEmpty)
    }

    @Test func aCompressionBombIsRefused() throws {
        let h = try PipelineHarness(extra: #", "limits": { "compressionRatio": 20 }"#)
        // 3 KB members compress to almost nothing: the ratio bound is passed long before the data ends.
        let zeros = [UInt8](repeating: 0x30, count: 3000)
        try h.drop("bomb.tar.gz", try zip((0..<30).map { ("m\($0).hl7", zeros) }, in: h.folder.path))
        let s = try h.pipeline.runOnce()
        #expect(s.total.rejected == 1)
        let issues = try h.drops().first?.issues ?? []
        #expect(issues.first?.code == "archive-bomb", "\(issues)")
    }

    @Test func tooManyMembersAreRefused() throws {
        let h = try PipelineHarness(extra: #", "limits": { "archiveMembers": 3 }"#)
        try h.drop("many.tar.gz", try zip((0..<5).map { ("m\($0).hl7", sampleORM) }, in: h.folder.path))
        _ = try h.pipeline.runOnce()
        #expect(try h.drops().first?.issues.first?.code == "archive-too-many-members")
    }
}

@Suite struct ReprocessTests {
    @Test func anOperatorFixesTheCauseAndReprocessesAFailedDrop() throws {
        let h = try PipelineHarness()
        // A result whose order is for another patient is refused…
        try h.drop("a-order.hl7", sampleORM)
        let wrongPatient = Array(String(decoding: sampleORM, as: UTF8.self)
            .replacingOccurrences(of: "ORM^O01^ORM_O01|C1", with: "ORU^R01^ORU_R01|R1")
            .replacingOccurrences(of: "9990000018", with: "9990000026")
            .replacingOccurrences(of: "ORC|NW|1^A", with: "ORC|RE|1^A")
            .replacingOccurrences(of: "OBR|1|1^A||X^Y^L", with: "OBR|1|1^A||X^Y^L|||||||||||||||||||||F\rOBX|1|NM|X^Y^L||1|g|||||F").utf8)
        try h.drop("b-result.hl7", wrongPatient)
        let first = try h.pipeline.runOnce()
        #expect(first.total.rejected == 1)
        let failed = try #require(try h.pipeline.store.read { try $0.failedDrops() }.first)
        #expect(failed.name == "b-result.hl7")
        let issues = try h.pipeline.store.read { try $0.messages(dropID: failed.id) }.first?.issues ?? []
        #expect(issues.contains { $0.code == "patient-mismatch" }, "\(issues)")
        // …it is still refused on reprocess (the cause is not fixed), and the original moves with it.
        let again = try h.pipeline.reprocess(dropIDs: [failed.id], actor: "alice")
        #expect(again.total.rejected == 1)
        let redo = try #require(try h.pipeline.store.read { try $0.reprocessesOf(failed.id) }.first)
        #expect(redo.reprocessOf == failed.id)
        #expect(FileManager.default.fileExists(atPath: redo.errorPath!))
        #expect(!FileManager.default.fileExists(atPath: failed.errorPath!) || failed.errorPath == redo.errorPath)
        let audit = try h.pipeline.store.read { try $0.auditTrail() }
        #expect(audit.contains { $0.actor == "alice" && $0.action == "reprocess" && $0.target == failed.id })
    }

    @Test func reprocessRunsOnlyWhatFailedUnlessTheWholeDropIsAskedFor() throws {
        let h = try PipelineHarness()
        try h.drop("a.hl7", sampleORM)
        _ = try h.pipeline.runOnce()
        let original = try #require(try h.drops().first)
        // By default what was applied is not applied again.
        let s = try h.pipeline.reprocess(dropIDs: [original.id], actor: "bob")
        #expect(s.total.accepted == 0 && s.total.duplicates == 1)
        let redo = try #require(try h.pipeline.store.read { try $0.reprocessesOf(original.id) }.first)
        #expect(try h.pipeline.store.read { try $0.messages(dropID: redo.id) }.first?.issues.first?.code == "already-applied")
        // The whole drop, asked for explicitly (and again): an override, applied idempotently — still one request, one Task.
        let whole = try h.pipeline.reprocess(dropIDs: [original.id], actor: "bob", whole: true, again: true)
        #expect(whole.total.accepted == 1 && whole.total.duplicates == 0)
        #expect(try h.pipeline.store.read { try $0.requests(openOnly: false).count } == 1)
        #expect(try h.pipeline.store.read { try $0.tasks().count } == 1)
    }

    /// An original of several 64 KiB pieces comes back from the archive byte for byte (copied piece by piece).
    @Test func aLargeOriginalIsCopiedBackFromTheArchiveWhole() throws {
        let h = try PipelineHarness(extra: "", maxFileSize: 1 << 24)
        let orders = (1...2_000).map { n in
            "MSH|^~\\&|A|B|C|D|20260101||ORM^O01^ORM_O01|L\(n)|P|2.5.1\rPID|1||9990000018^^^NHS^NH\rORC|NW|L\(n)^A\rOBR|1|L\(n)^A||X^Y^L\r"
        }.joined()
        #expect(orders.utf8.count > 3 * (64 << 10))
        try h.drop("big.hl7", Array(orders.utf8))
        _ = try h.pipeline.runOnce()
        let original = try #require(try h.drops().first)
        #expect(original.archiveMember != nil, "\(String(describing: original.outcome)) \(original.issues.prefix(2).map(\.code))")
        _ = try h.pipeline.reprocess(dropIDs: [original.id], actor: "erin", whole: true)
        let redo = try #require(try h.pipeline.store.read { try $0.reprocessesOf(original.id) }.first)
        // The reprocess ran on the copy and archived it again: that archived copy is the original, byte for byte.
        let archive = try #require(redo.archivePath)
        let reader = try ArchiveReader(path: archive)
        var copy: [UInt8]?
        while copy == nil, let m = try reader.next() {
            if m.name == redo.archiveMember { copy = try reader.readData(limit: 1 << 24) }
        }
        #expect(copy == Array(orders.utf8), "\(copy?.count ?? -1) bytes against \(orders.utf8.count)")
    }

    /// A batch whose first two orders were applied and whose third was refused: a reprocess runs the third
    /// only, a second reprocess of the same drop says it was reprocessed already, and nothing is applied twice.
    @Test func reprocessingAPartialBatchNeverAppliesItsAcceptedMessagesAgain() throws {
        let h = try PipelineHarness()
        func orm(_ n: Int, nhs: String = "9990000018") -> String {
            "MSH|^~\\&|A|B|C|D|20260101||ORM^O01^ORM_O01|C\(n)|P|2.5.1\rPID|1||\(nhs)^^^NHS^NH\rORC|NW|\(n)^A\rOBR|1|\(n)^A||X^Y^L\r"
        }
        try h.drop("batch.hl7", Array((orm(1) + orm(2) + orm(3, nhs: "9990000019")).utf8))
        let first = try h.pipeline.runOnce()
        #expect(first.total.partial == 1)
        let original = try #require(try h.drops().first)
        let history = { try h.pipeline.store.read { r in try r.tasks().map { try r.taskHistory(taskID: $0.id).count } } }
        let before = try history()
        #expect(before == [1, 1])
        let s = try h.pipeline.reprocess(dropIDs: [original.id], actor: "dana")
        let redo = try #require(try h.pipeline.store.read { try $0.reprocessesOf(original.id) }.first)
        let dispositions = try h.pipeline.store.read { try $0.messages(dropID: redo.id) }.map(\.disposition)
        #expect(dispositions == [.duplicate, .duplicate, .rejected], "\(s.total)")
        #expect(try history() == before, "no Task moved twice")
        #expect(try h.pipeline.store.read { try $0.requests(openOnly: false) }.map(\.id).count == 2)
        // The same drop again: refused, saying it was reprocessed already.
        let twice = try h.pipeline.reprocess(dropIDs: [original.id], actor: "dana")
        #expect(twice.problems.first?.contains("already reprocessed as drop \(redo.id)") == true, "\(twice.problems)")
    }

    /// A run that rejected one drop (an order with an invalid NHS number), and that drop.
    static func rejectedDrop() throws -> (PipelineHarness, DropRecord) {
        let h = try PipelineHarness()
        try h.drop("bad.hl7", Array(String(decoding: sampleORM, as: UTF8.self).replacingOccurrences(of: "9990000018", with: "9990000019").utf8))
        _ = try h.pipeline.runOnce()
        return (h, try #require(try h.drops().first))
    }

    @Test func queuedRequestsFromTheWebPageAreTakenByTheNextRun() throws {
        let (h, failed) = try Self.rejectedDrop()
        _ = try h.pipeline.store.write { try $0.requestReprocess(dropID: failed.id, actor: "web:carol", at: StoreTime.string(Date())) }
        _ = try h.pipeline.runOnce()
        #expect(try h.pipeline.store.read { try $0.pendingReprocessRequests() }.isEmpty)
        #expect(try h.pipeline.store.read { try $0.reprocessesOf(failed.id) }.count == 1)
    }

    /// Several nodes read the same pending request; the one that records its reprocess takes it in that
    /// transaction, and a node that read it before finds it taken: no second reprocess, no refusal.
    @Test func aQueuedRequestTakenByAnotherNodeIsNotReprocessedTwice() throws {
        let (h, failed) = try Self.rejectedDrop()
        let seq = try h.pipeline.store.write { try $0.requestReprocess(dropID: failed.id, actor: "web:carol", at: StoreTime.string(Date())) }
        let stale = try h.pipeline.store.read { try $0.pendingReprocessRequests() }
        #expect(stale.map(\.seq) == [seq])
        // Another node takes it (with its drop's record) first.
        #expect(try h.pipeline.store.write { try $0.takeReprocessRequest(seq: seq) })
        #expect(try !h.pipeline.store.write { try $0.takeReprocessRequest(seq: seq) }, "a request is taken once")
        let session = try RunSession(pipeline: h.pipeline, mode: "reprocess")
        do {
            _ = try h.pipeline.prepareReprocess(dropID: failed.id, actor: "web:carol", request: seq, session: session)
            Issue.record("a request taken by another node was reprocessed again")
        } catch let error as ReprocessError {
            #expect(error.takenElsewhere, "\(error)")
        }
        #expect(try h.pipeline.store.read { try $0.reprocessesOf(failed.id) }.isEmpty, "no drop was recorded for it")
        // A refusal of a request no longer pending leaves it as the node that took it made it.
        try h.pipeline.store.write { try $0.refusePendingReprocessRequest(seq: seq, result: "late") }
        let states = try h.pipeline.store.read { try $0.reprocessStates(dropIDs: [failed.id]) }
        #expect(states[failed.id]?.requestState == "done", "\(states)")
        _ = try session.finish()
    }

    /// A second request for a drop whose reprocess is recorded is refused (the same check runs again inside
    /// the transaction that records a reprocess, where several nodes' writes take turns) and stays pending
    /// for the caller to refuse.
    @Test func aSecondReprocessWhileOneIsRecordedIsRefusedAndItsRequestLeftPending() throws {
        let (h, failed) = try Self.rejectedDrop()
        let first = try h.pipeline.store.write { try $0.requestReprocess(dropID: failed.id, actor: "web:carol", at: StoreTime.string(Date())) }
        let second = try h.pipeline.store.write { try $0.requestReprocess(dropID: failed.id, actor: "web:dan", at: StoreTime.string(Date())) }
        let session = try RunSession(pipeline: h.pipeline, mode: "reprocess")
        _ = try h.pipeline.prepareReprocess(dropID: failed.id, actor: "web:carol", request: first, session: session)
        #expect(throws: ReprocessError.self) {
            _ = try h.pipeline.prepareReprocess(dropID: failed.id, actor: "web:dan", request: second, session: session)
        }
        #expect(try h.pipeline.store.read { try $0.reprocessesOf(failed.id) }.count == 1)
        #expect(try h.pipeline.store.read { try $0.pendingReprocessRequests() }.map(\.seq) == [second], "refused in its transaction, still pending")
    }
}

@Suite struct PruneTests {
    @Test func pruneRemovesOldArchivesAndRowsButKeepsClinicalState() throws {
        let h = try PipelineHarness()
        try h.drop("a.hl7", sampleORM)
        let s = try h.pipeline.runOnce()
        let archive = try #require(s.archivePath)
        #expect(FileManager.default.fileExists(atPath: archive))
        let result = try h.pipeline.prune(before: StoreTime.string(Date().addingTimeInterval(60)), actor: "ops")
        #expect(result.archives == 1 && result.rows.drops == 1)
        #expect(!FileManager.default.fileExists(atPath: archive))
        #expect(try h.drops().isEmpty)
        #expect(try h.pipeline.store.read { try $0.requests(openOnly: false).count } == 1)
        #expect(try h.pipeline.store.read { try $0.auditTrail() }.contains { $0.action == "prune" })
    }

    @Test func pruneRemovesEveryPartOfARunsArchive() throws {
        let h = try PipelineHarness(extra: #", "archive": { "partDrops": 2 }"#)
        for n in 0..<5 {
            let orm = String(decoding: sampleORM, as: UTF8.self).replacingOccurrences(of: "|C1|", with: "|C\(n)|")
                .replacingOccurrences(of: "ORC|NW|1^A\rOBR|1|1^A", with: "ORC|NW|\(n)^A\rOBR|1|\(n)^A")
            try h.drop("o\(n).hl7", Array(orm.utf8))
        }
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 5)
        #expect(s.archivePaths.count == 3 && s.archivePaths.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        let result = try h.pipeline.prune(before: StoreTime.string(Date().addingTimeInterval(60)), actor: "ops")
        #expect(result.archives == 3)
        #expect(s.archivePaths.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
    }

    @Test func pruneJudgesRejectedOriginalsByWhenTheyWereReceivedNotByTheirMtime() throws {
        let h = try PipelineHarness()
        try h.drop("old-looking.hl7", Array("not a message".utf8))
        let s = try h.pipeline.runOnce()
        #expect(s.total.rejected == 1)
        let original = try #require(try h.drops().first?.errorPath)
        // The sender's file was written 200 days ago; rename into error/ keeps that mtime (the sidecar's too here).
        var times = [timeval(tv_sec: time(nil) - 200 * 86400, tv_usec: 0), timeval(tv_sec: time(nil) - 200 * 86400, tv_usec: 0)]
        for path in [original, original + ".error.json"] { #expect(utimes(path, &times) == 0) }
        let kept = try h.pipeline.prune(before: StoreTime.string(Date().addingTimeInterval(-90 * 86400)), actor: "ops")
        #expect(kept.errorFiles == 0)
        #expect(FileManager.default.fileExists(atPath: original) && FileManager.default.fileExists(atPath: original + ".error.json"))
        // Once the drop itself is older than the cutoff, its original and sidecar go.
        let gone = try h.pipeline.prune(before: StoreTime.string(Date().addingTimeInterval(60)), actor: "ops")
        #expect(gone.errorFiles == 1)
        #expect(!FileManager.default.fileExists(atPath: original) && !FileManager.default.fileExists(atPath: original + ".error.json"))
    }

    @Test func pruneKeepsWhatIsNewerThanTheCutoff() throws {
        let h = try PipelineHarness()
        try h.drop("a.hl7", sampleORM)
        let s = try h.pipeline.runOnce()
        let result = try h.pipeline.prune(before: StoreTime.string(Date().addingTimeInterval(-86400)), actor: "ops")
        #expect(result.archives == 0 && result.rows.drops == 0)
        #expect(FileManager.default.fileExists(atPath: s.archivePath!))
    }
}
