import Foundation
import InMemoryLogging
import Logging
import PostroomCore
@testable import PostroomStore
import Testing

/// A drop moves claimed → processed → done, and keeps what it was answered with.
@Suite struct DropLifecycleTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    @Test func aRecordedDropIsClaimedAndUnfinished() throws {
        try t.write { try $0.insertDrop(sampleDrop("d1", receivedAt: at(1))) }
        let d = try t.read { try $0.drop(id: "d1") }
        #expect(d == sampleDrop("d1", receivedAt: at(1)))
        #expect(d?.state == .claimed)
        #expect(d?.outcome == nil)
        #expect(try t.read { try $0.unfinishedDrops() }.map(\.id) == ["d1"])
        #expect(try t.read { try $0.drop(id: "nope") } == nil)
    }

    @Test func processedKeepsOutcomeIssuesAndTheExactAckBytes() throws {
        let issue = PostroomCore.Issue.error("nhs-number-check-digit", at: "PID[1]-3[1].1", "The NHS number's check digit is wrong")
        let ack: [UInt8] = Array("MSH|^~\\&|POSTROOM\rMSA|AE|X1\r".utf8) + [0, 255]
        try t.write {
            try $0.insertDrop(sampleDrop("d1"))
            try $0.markProcessed(dropID: "d1", outcome: .rejected, format: "hl7v2", duplicateOf: nil, issues: [issue],
                                 ackName: "d1.hl7.d1.ack.hl7", ackBytes: ack, errorPath: "/data/error/lab/d1.hl7")
        }
        let d = try #require(try t.read { try $0.drop(id: "d1") })
        #expect(d.state == .processed)
        #expect(d.outcome == .rejected)
        #expect(d.format == "hl7v2")
        #expect(d.issues == [issue])
        #expect(d.ackName == "d1.hl7.d1.ack.hl7")
        #expect(d.ackBytes == ack)
        #expect(d.ackFile == nil)
        #expect(d.ackWritten == false)
        #expect(d.errorPath == "/data/error/lab/d1.hl7")
        #expect(try t.read { try $0.unfinishedDrops() }.map(\.id) == ["d1"], "processed is not finished")
    }

    /// A drop claimed and settled in the same transaction is recorded in one write: it reads back, and is
    /// counted, exactly as one recorded claimed and then marked processed.
    @Test func aDropRecordedSettledIsTheDropClaimedThenMarkedProcessed() throws {
        let issue = PostroomCore.Issue.error("nhs-number-check-digit", at: "PID[1]-3[1].1", "The NHS number's check digit is wrong")
        let large = Array(String(repeating: "{\"severity\": \"information\"}\n", count: 40).utf8)
        let answers: [(String, DropRecord.Outcome, [UInt8]?, String?)] = [
            ("a", .rejected, Array("MSH|^~\\&|POSTROOM\rMSA|AE|X1\r".utf8), "/data/error/lab/a.hl7"),
            ("b", .accepted, large, nil), ("c", .duplicate, nil, nil),
        ]
        let two = try TempStore()
        for (id, outcome, ack, errorPath) in answers {
            try t.write {
                try $0.insertDrop(sampleDrop(id, parentDrop: id == "c" ? "p" : nil))
                try $0.markProcessed(dropID: id, outcome: outcome, format: "hl7v2", duplicateOf: id == "c" ? "b" : nil,
                                     issues: id == "a" ? [issue] : [], ackName: id + ".ack", ackBytes: ack, errorPath: errorPath)
            }
            var settled = sampleDrop(id, parentDrop: id == "c" ? "p" : nil)
            settled.state = .processed
            settled.outcome = outcome
            settled.format = "hl7v2"
            settled.duplicateOf = id == "c" ? "b" : nil
            settled.issues = id == "a" ? [issue] : []
            settled.ackName = id + ".ack"
            settled.ackBytes = ack
            settled.errorPath = errorPath
            try two.write { try $0.insertDrop(settled) }
            let read = try two.read { try $0.drop(id: id) }
            #expect(read == (try t.read { try $0.drop(id: id) }), "\(id)")
            #expect(read == settled, "\(id)")
        }
        let stored = { (s: TempStore) in try s.read { r in try r.db.rows(.cached("SELECT id, ack_bytes FROM drop_file ORDER BY id")).map { ($0[0] as String, $0[1] as [UInt8]?) } } }
        #expect(try stored(t).map(\.1) == (try stored(two).map(\.1)), "the answers are stored alike (a large one compressed)")
        #expect(try t.read { try $0.dropCounts() }.map { "\($0)" } == (try two.read { try $0.dropCounts() }.map { "\($0)" }))
        #expect(try two.read { try $0.unfinishedDrops() }.map(\.id) == ["a", "b", "c"])
    }

    /// A FHIR answer is kept compressed in the row (a page held one drop when it was kept as it is), and
    /// read back byte for byte; a short v2 ACK, and an answer stored by an earlier version, are read as they are.
    @Test func aLargeAnswerIsStoredCompressedAndReadBackExactly() throws {
        let outcome = "{\n  \"resourceType\": \"OperationOutcome\",\n  \"issue\": [\n"
            + (1...20).map { "    {\"severity\": \"information\", \"code\": \"informational\", \"diagnostics\": \"entry \($0)\"}" }
                .joined(separator: ",\n") + "\n  ]\n}\n"
        let large = Array(outcome.utf8)
        let short: [UInt8] = Array("MSH|^~\\&|POSTROOM\rMSA|AA|X1\r".utf8)
        try t.write {
            for (id, ack) in [("d1", large), ("d2", short)] {
                try $0.insertDrop(sampleDrop(id))
                try $0.markProcessed(dropID: id, outcome: .accepted, format: "fhir", duplicateOf: nil, issues: [],
                                     ackName: id + ".ack.json", ackBytes: ack, errorPath: nil)
            }
        }
        let kept = try t.read { r in try ["d1", "d2"].map { try r.db.row(.cached("SELECT ack_bytes FROM drop_file WHERE id = ?"), [$0]).flatMap { $0[0] as [UInt8]? } } }
        #expect(kept[0].map(ViewCompressor.isZstandard) == true)
        #expect((kept[0]?.count ?? .max) < large.count / 2)
        #expect(kept[1] == short, "a short answer is kept as it is")
        #expect(try t.read { try $0.drop(id: "d1") }?.ackBytes == large)
        #expect(try t.read { try $0.drop(id: "d2") }?.ackBytes == short)
        // As an earlier version stored it.
        try t.write { try $0.db.execute(.cached("UPDATE drop_file SET ack_bytes = ? WHERE id = ?"), [large, "d1"]) }
        #expect(try t.read { try $0.drop(id: "d1") }?.ackBytes == large)
    }

    /// A frame that cannot be decoded reads back as no answer, and says so in the log: the drop's id and
    /// the frame's size, nothing of its content.
    @Test func aDamagedAnswerReadsAsNoneAndIsLogged() throws {
        // An id of its own: the log is the process's, and other tests run beside this one.
        let id = "d-" + UUID().uuidString
        let large = Array(("{\"resourceType\": \"OperationOutcome\", \"issue\": ["
            + (1...40).map { "{\"severity\": \"information\", \"diagnostics\": \"entry \($0)\"}" }.joined(separator: ", ") + "]}").utf8)
        try t.write {
            try $0.insertDrop(sampleDrop(id))
            try $0.markProcessed(dropID: id, outcome: .accepted, format: "fhir", duplicateOf: nil, issues: [],
                                 ackName: id + ".ack.json", ackBytes: large, errorPath: nil)
        }
        let select: SQL = .cached("SELECT ack_bytes FROM drop_file WHERE id = ?")
        var frame = try #require(try t.read { try $0.db.row(select, [id]).flatMap { $0[0] as [UInt8]? } })
        #expect(ViewCompressor.isZstandard(frame))
        // The magic number kept, the rest cut short: a frame, but not one that decompresses.
        frame.removeLast(frame.count / 2)
        try t.write { try $0.db.execute(.cached("UPDATE drop_file SET ack_bytes = ? WHERE id = ?"), [frame, id]) }
        let log = InMemoryLogHandler()
        let kept = StoredAcknowledgement.damageLog.withLock { l in
            defer { l = Logger(label: "test") { _ in log } }
            return l
        }
        defer { StoredAcknowledgement.damageLog.withLock { $0 = kept } }
        let d = try #require(try t.read { try $0.drop(id: id) })
        #expect(d.ackBytes == nil)
        #expect(d.ackName == id + ".ack.json")
        let entries = log.entries.filter { $0.metadata["drop"] == .string(id) }
        #expect(entries.count == 1)
        #expect(entries.first?.level == .error)
        #expect(entries.first?.metadata["bytes"] == .stringConvertible(frame.count))
        // Read again (a listing, another page): still no answer, and not logged again.
        #expect(try t.read { try $0.drop(id: id) }?.ackBytes == nil)
        #expect(log.entries.filter { $0.metadata["drop"] == .string(id) }.count == 1)
    }

    @Test func anAnswerKeptAsAFileIsNamedNotStored() throws {
        try t.write {
            try $0.insertDrop(sampleDrop("d1"))
            try $0.markProcessed(dropID: "d1", outcome: .accepted, format: "hl7v2", duplicateOf: nil, issues: [],
                                 ackName: "big.ack.hl7", ackBytes: nil, ackFile: "/data/acks/d1.ack", errorPath: nil)
        }
        let d = try #require(try t.read { try $0.drop(id: "d1") })
        #expect(d.ackBytes == nil)
        #expect(d.ackFile == "/data/acks/d1.ack")
        #expect(d.issues.isEmpty)
        #expect(try t.read { try $0.ackFileInUse("/data/acks/d1.ack") })
        #expect(try t.read { try $0.ackFileInUse("/data/acks/other.ack") } == false)
    }

    @Test func ackWrittenThenArchivedIsDone() throws {
        try t.write {
            for id in ["d1", "d2"] { try $0.insertDrop(sampleDrop(id)) }
            try $0.markAckWritten(dropIDs: ["d1", "d2"])
            try $0.markArchived(dropID: "d1", archivePath: "/data/archive/2026/03/01/run1.tar.gz", member: "lab/d1_d1.hl7")
        }
        let d1 = try #require(try t.read { try $0.drop(id: "d1") })
        #expect(d1.ackWritten)
        #expect(d1.state == .done)
        #expect(d1.archivePath == "/data/archive/2026/03/01/run1.tar.gz")
        #expect(d1.archiveMember == "lab/d1_d1.hl7")
        #expect(try t.read { try $0.drop(id: "d2") }?.ackWritten == true)
        #expect(try t.read { try $0.unfinishedDrops() }.map(\.id) == ["d2"])
    }

    @Test func aRejectedDropGoesToErrorAndIsDone() throws {
        try t.write {
            try $0.insertDrop(sampleDrop("d1"))
            try $0.markProcessed(dropID: "d1", outcome: .rejected, format: nil, duplicateOf: nil, issues: [], ackName: nil,
                                 ackBytes: nil, errorPath: "/e/d1.hl7")
            try $0.setErrorPath(dropID: "d1", path: "/e/d1-2.hl7")
            try $0.markErrored(dropID: "d1")
        }
        let d = try #require(try t.read { try $0.drop(id: "d1") })
        #expect(d.state == .done)
        #expect(d.outcome == .rejected, "markErrored keeps the outcome")
        #expect(d.errorPath == "/e/d1-2.hl7")
        #expect(try t.read { try $0.failedDrops() }.map(\.id) == ["d1"])
    }

    @Test func aStreamedDropLearnsItsHashLater() throws {
        try t.write {
            try $0.insertDrop(sampleDrop("d1", sha: ""))
            try $0.setDropHash(dropID: "d1", sha256: "abc")
        }
        #expect(try t.read { try $0.drop(id: "d1") }?.sha256 == "abc")
    }

    @Test func unfinishedDropsComeOldestFirst() throws {
        try t.write {
            try $0.insertDrop(sampleDrop("b", receivedAt: at(2)))
            try $0.insertDrop(sampleDrop("a", receivedAt: at(2)))
            try $0.insertDrop(sampleDrop("c", receivedAt: at(1)))
        }
        #expect(try t.read { try $0.unfinishedDrops() }.map(\.id) == ["c", "a", "b"])
    }

    /// Recovery after a run killed late reads a whole archive part of drops: page by page (more than one
    /// page here, and many drops received in the same instant), oldest first, each with what recovery
    /// needs: the answer's bytes while it is not written, the issues of a rejected drop.
    @Test func manyUnfinishedDropsAreReadInPagesWithWhatRecoveryNeeds() throws {
        let count = StoreReader.unfinishedPage * 2 + 345
        let issue = PostroomCore.Issue.error("nhs-number-check-digit", at: "PID[1]-3[1].1", "The NHS number's check digit is wrong")
        let ack = Array("MSH|^~\\&|POSTROOM\rMSA|AA|X1\r".utf8)
        let ids = (0..<count).map { String(format: "d%05d", ($0 * 7_919) % count) }
        try t.write { w in
            for (n, id) in ids.enumerated() {
                try w.insertDrop(sampleDrop(id, receivedAt: at(n % 3)))
                guard n % 5 != 0 else { continue }  // claimed
                let rejected = n % 5 == 1
                try w.markProcessed(dropID: id, outcome: rejected ? .rejected : .accepted, format: "hl7v2", duplicateOf: nil,
                                    issues: [issue], ackName: id + ".ack", ackBytes: ack, errorPath: nil)
                if n % 5 == 2 { try w.markAckWritten(dropIDs: [id]) }
                if n % 5 == 3 { try w.markArchived(dropID: id, archivePath: "/archive/p.tar.gz", member: id) }
            }
        }
        let drops = try t.read { try $0.unfinishedDrops() }
        let expected = ids.enumerated().filter { $0.offset % 5 != 3 }.map { (at($0.offset % 3), $0.element) }.sorted { $0 < $1 }
        #expect(drops.count == expected.count)
        #expect(drops.map(\.id) == expected.map(\.1), "oldest first, every one once")
        for d in drops where d.state == .processed {
            #expect(d.ackBytes == (d.ackWritten ? nil : ack), "\(d.id)")
            #expect(d.issues == (d.outcome == .rejected ? [issue] : []), "\(d.id)")
            #expect(d.ackName == d.id + ".ack" && d.format == "hl7v2")
        }
    }
}
