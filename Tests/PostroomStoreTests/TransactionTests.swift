import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Writes commit together or not at all; the store's failures surface as errors.
@Suite struct TransactionTests {
    struct Boom: Error {}
    let t: TempStore
    init() throws { t = try TempStore() }

    @Test func aDropIDIsRecordedOnce() throws {
        try t.write { try $0.insertDrop(sampleDrop("d1")) }
        #expect(throws: (any Error).self) { try t.write { try $0.insertDrop(sampleDrop("d1", channel: "other")) } }
        #expect(try t.read { try $0.drop(id: "d1") }?.channel == "lab")
    }

    /// The writer keeps its larger page cache; a reader's is small (on a large store SQLite's default
    /// 2 MiB per reader counted against the memory bound).
    @Test func theWriterAndTheReadersKeepTheirOwnPageCaches() throws {
        #expect(try t.write { try $0.db.value(Int.self, "PRAGMA cache_size") } == -Store.writerCacheKiB)
        #expect(try t.read { try $0.db.value(Int.self, "PRAGMA cache_size") } == -Store.readerCacheKiB)
        #expect(Store.readerCacheKiB < 2_000)
    }

    @Test func aWriteThatThrowsLeavesNothing() throws {
        #expect(throws: Boom.self) {
            try t.write { w in
                try w.insertDrop(sampleDrop("d1"))
                try w.insertDedupeKeys(["k"], messageID: "m1", dropID: "d1")
                throw Boom()
            }
        }
        #expect(try t.read { try $0.drop(id: "d1") } == nil)
        #expect(try t.read { try $0.hasDedupeKey("k") } == false)
    }

    @Test func aSavepointThatThrowsUndoesOnlyItsOwnChanges() throws {
        try t.write { w in
            try w.insertDrop(sampleDrop("kept"))
            #expect(throws: Boom.self) {
                try w.savepoint {
                    try w.insertDrop(sampleDrop("undone"))
                    throw Boom()
                }
            }
            let inner = try w.savepoint { try w.insertMessage(sampleMessage("m1", drop: "kept")); return 7 }
            #expect(inner == 7)
        }
        #expect(try t.read { try $0.drop(id: "kept") } != nil)
        #expect(try t.read { try $0.drop(id: "undone") } == nil)
        #expect(try t.read { try $0.message(id: "m1") }?.dropID == "kept")
    }

    /// Savepoints elided (`writeElidingSavepoints`): when none fails, one run and everything commits.
    @Test func withSavepointsElidedACleanTransactionRunsOnce() throws {
        var runs = 0
        let (inner, replayed) = try t.store.writeElidingSavepoints { w -> Int in
            runs += 1
            try w.insertDrop(sampleDrop("d1"))
            return try w.savepoint { try w.insertMessage(sampleMessage("m1", drop: "d1")); return 7 }
        }
        #expect(inner == 7 && !replayed && runs == 1)
        #expect(try t.read { try $0.message(id: "m1" ) }?.dropID == "d1")
    }

    /// A savepoint that fails with savepoints elided: the transaction runs again with real ones, so only
    /// the failed savepoint's changes are undone, as in `aSavepointThatThrowsUndoesOnlyItsOwnChanges`;
    /// even when the body catches the failure and carries on.
    @Test func withSavepointsElidedAFailedSavepointRunsTheTransactionAgainWithSavepoints() throws {
        var runs = 0
        let (_, replayed) = try t.store.writeElidingSavepoints { w in
            runs += 1
            try w.insertDrop(sampleDrop("kept"))
            do {
                try w.savepoint {
                    try w.insertDrop(sampleDrop("undone"))
                    throw Boom()
                }
                Testing.Issue.record("the savepoint should throw")
            } catch {
                // Caught and ignored: the store still must not commit this run.
            }
            try w.savepoint { try w.insertMessage(sampleMessage("m1", drop: "kept")) }
        }
        #expect(replayed && runs == 2)
        #expect(try t.read { try $0.drop(id: "kept") } != nil)
        #expect(try t.read { try $0.drop(id: "undone") } == nil)
        #expect(try t.read { try $0.message(id: "m1") }?.dropID == "kept")
    }

    /// A body that catches an elided savepoint's failure and throws another error is run again with
    /// savepoints, and ends as it would have with them: with its own error, nothing kept.
    @Test func withSavepointsElidedAFailureTurnedIntoAnotherErrorIsReplayed() throws {
        struct Other: Error {}
        var runs = 0
        #expect(throws: Other.self) {
            _ = try t.store.writeElidingSavepoints { w in
                runs += 1
                try w.insertDrop(sampleDrop("d1"))
                do { try w.savepoint { throw Boom() } } catch { throw Other() }
            }
        }
        #expect(runs == 2)
        #expect(try t.read { try $0.drop(id: "d1") } == nil)
    }

    /// The database's own failure inside a savepoint fails the transaction as it would with savepoints:
    /// thrown as it is, without running the body again.
    @Test func withSavepointsElidedADatabaseFailureIsThrownAsItIs() throws {
        var runs = 0
        do {
            _ = try t.store.writeElidingSavepoints { w in
                runs += 1
                try w.savepoint {
                    try w.insertDrop(sampleDrop("d1"))
                    try w.insertDrop(sampleDrop("d1"))
                }
            }
            Testing.Issue.record("a second drop with the same id should fail")
        } catch {
            #expect(Store.isDatabaseFailure(error), "\(error)")
        }
        #expect(runs == 1)
        #expect(try t.read { try $0.drop(id: "d1") } == nil)
    }

    /// An error of the transaction itself (outside any savepoint) is thrown as it is, with nothing kept.
    @Test func withSavepointsElidedAnErrorOutsideSavepointsLeavesNothing() throws {
        #expect(throws: Boom.self) {
            _ = try t.store.writeElidingSavepoints { w in
                try w.insertDrop(sampleDrop("d1"))
                throw Boom()
            }
        }
        #expect(try t.read { try $0.drop(id: "d1") } == nil)
    }

    @Test func aReadOnlyStoreCannotWrite() throws {
        try t.write { try $0.insertDrop(sampleDrop("d1")) }
        let ro = try Store(path: t.path, readOnly: true)
        #expect(try ro.read { try $0.drop(id: "d1") }?.id == "d1")
        #expect(throws: (any Error).self) { try ro.write { try $0.insertDrop(sampleDrop("d2")) } }
    }

    @Test func aDatabaseThatCannotBeOpenedIsAFailureNamingThePath() throws {
        let missing = t.folder.appendingPathComponent("no/such/dir/db.sqlite").path
        do {
            _ = try Store(path: missing)
            Testing.Issue.record("opening \(missing) should fail")
        } catch let f as Store.Failure {
            #expect(f.description.contains(missing))
        }
    }

    @Test func timestampsRoundTripAtMillisecondPrecision() throws {
        let d = Date(timeIntervalSince1970: 1_772_359_200.5)
        #expect(StoreTime.string(d) == "2026-03-01T10:00:00.500Z")
        #expect(StoreTime.date("2026-03-01T10:00:00.123Z")?.timeIntervalSince1970 == 1_772_359_200.123)
        #expect(StoreTime.date("2026-03-01T11:00:00+01:00") == Date(timeIntervalSince1970: 1_772_359_200))
        #expect(StoreTime.date("not a time") == nil)
    }
}
