import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Range keys (`ViewJournal+Ranges`): the first versions of generated ids a record holds share one
/// `view_key` row per type, and every read by id answers as it does with a key per version — inside
/// the transaction, after it, and once the view is materialised.
@Suite struct ViewRangeKeyTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    static let ids = IDSource()

    /// Monotonic lower-case ULID-shaped ids (the shape `ViewJournal.isGeneratedShape` accepts).
    final class IDSource: @unchecked Sendable {
        private var n = 0
        private let lock = NSLock()
        func next(_ base: String = "01jf00000000000000") -> String {
            lock.lock(); defer { lock.unlock() }
            n += 1
            return base + String(format: "%08d", n)
        }
    }

    func observation(_ n: Int) throws -> JSONValue {
        try json(#"{"resourceType":"Observation","status":"final","code":{"text":"test \#(n)"}}"#)
    }

    /// One message's worth: `count` Observations under generated ids, in one savepoint; their ids.
    func storeMessage(_ w: StoreWriter, count: Int, base: String = "01jf00000000000000") throws -> [String] {
        try w.savepoint {
            try (0..<count).map { n in
                let id = Self.ids.next(base)
                w.reserveNew(type: "Observation", id: id, generated: true)
                try w.putResource(type: "Observation", id: id, resource: try observation(n), messageID: "m", at: at(0))
                return id
            }
        }
    }

    func keys() throws -> [(id: String, version: Int)] {
        try t.read { r in try r.db.rows("SELECT id, version FROM view_key WHERE type = 'Observation' ORDER BY id").map { ($0[0], $0[1]) } }
    }

    /// Everything a reader can say about `ids`, to compare journalled and materialised answers.
    func answers(_ ids: [String]) throws -> [String] {
        try t.read { r in
            var out = try ids.map { id in
                let text = try r.resource(type: "Observation", id: id)?["code"]?["text"]?.string ?? "-"
                return "\(id) \(text) v\(try r.resourceVersion(type: "Observation", id: id) ?? 0) "
                    + "versions \(try r.resourceVersions(type: "Observation", id: id).map(\.version)) has \(try r.hasResource(type: "Observation", id: id))"
            }
            out.append("count \(try r.resourceCounts().first { $0.type == "Observation" }?.count ?? 0)")
            out.append("ids \(try r.resourceIDs(type: "Observation"))")
            return out
        }
    }

    @Test func aMessagesGeneratedIdsShareOneKeyAndReadAsBefore() throws {
        let first = try t.write { w in try storeMessage(w, count: 10) }
        let second = try t.write { w in
            let ids = try storeMessage(w, count: 3)
            // Inside the transaction, before its records are inserted.
            #expect(try w.reader.resource(type: "Observation", id: ids[1])?["code"]?["text"]?.string == "test 1")
            return ids
        }
        // One range key per message, none per version.
        #expect(try keys().map(\.version) == [10, 3])
        #expect(try keys().allSatisfy { $0.id.hasPrefix("~") })
        // Ids between and around the ranges that nothing holds.
        let absent = [Self.ids.next(), "01jf0000000000000000000000", String(first[0].dropLast()) + "z"]
        let journalled = try answers(first + second + absent)
        #expect(journalled.contains("\(first[4]) test 4 v1 versions [1] has true"))
        #expect(journalled.contains("\(absent[0]) - v0 versions [] has false"))
        #expect(journalled.contains("count 13"))
        try t.store.materialiseView()
        #expect(try keys().isEmpty)
        #expect(try answers(first + second + absent) == journalled)
    }

    /// The first messages of a transaction on an empty journal: their keys are written, their records
    /// not inserted yet (they are encoded a few messages behind). Reads by id and version numbers see them.
    @Test func theFirstTransactionOfAnEmptyJournalSeesItsOwnVersions() throws {
        try t.write { w in
            let ids = try storeMessage(w, count: 3)
            try w.savepoint {
                try w.putResource(type: "Organization", id: "org-1", resource: try json(#"{"resourceType":"Organization","name":"Lab"}"#),
                                  messageID: "m", at: at(0))
            }
            #expect(try w.reader.pendingViewRecords() == 0, "the records are still being encoded")
            #expect(try w.reader.hasResource(type: "Observation", id: ids[1]))
            #expect(try w.reader.resource(type: "Organization", id: "org-1")?["name"]?.string == "Lab")
            let v = try w.savepoint {
                try w.putResource(type: "Observation", id: ids[0], resource: try observation(7), messageID: "m2", at: at(1))
            }
            #expect(v == 2)
        }
        #expect(try t.read { try $0.resourceVersions(type: "Observation", id: $0.resourceIDs(type: "Observation")[0]).map(\.version) } == [2, 1])
    }

    @Test func aLaterVersionOfARangedIdIsKeyedOnItsOwn() throws {
        let ids = try t.write { w in try storeMessage(w, count: 4) }
        try t.write { w in
            try w.savepoint {
                try w.putResource(type: "Observation", id: ids[2], resource: try observation(99), messageID: "m2", at: at(1))
            }
        }
        let journalled = try answers(ids)
        #expect(journalled.contains("\(ids[2]) test 99 v2 versions [2, 1] has true"))
        #expect(journalled.contains("count 4"))
        try t.store.materialiseView()
        #expect(try answers(ids) == journalled)
    }

    /// Part of the journal materialised (its range keys stale, then forgotten) while later ranges wait;
    /// then a message whose ids lie below the waiting range: every read agrees before and after.
    @Test func staleAndWaitingRangesTogether() throws {
        let first = try t.write { w in try storeMessage(w, count: 4, base: "01jm00000000000000") }
        let second = try t.write { w in try storeMessage(w, count: 4, base: "01jn00000000000000") }
        let firstRecord = try #require(try t.read { r in try r.db.value(Int64.self, "SELECT MIN(seq) FROM view_record") })
        try t.store.materialiseView(upTo: firstRecord)
        #expect(try keys().filter { $0.id.hasPrefix("~") }.map(\.version) == [4], "the first range forgotten, the second waiting")
        let low = try t.write { w in try storeMessage(w, count: 2, base: "01jk00000000000000") }
        #expect(try keys().filter { !$0.id.hasPrefix("~") }.count == 2, "below the waiting range: keys of their own")
        let journalled = try answers(first + second + low)
        #expect(journalled.contains("count 10"))
        #expect(!journalled.contains { $0.contains("has false") })
        try t.store.materialiseView()
        #expect(try answers(first + second + low) == journalled)
    }

    /// Ids that do not grow (a clock set back, another process) would make ranges overlap: their
    /// versions get keys of their own instead, and reads stay exact.
    @Test func idsBelowAnExistingRangeGetKeysOfTheirOwn() throws {
        let high = try t.write { w in try storeMessage(w, count: 3, base: "01jz00000000000000") }
        let low = try t.write { w in try storeMessage(w, count: 3, base: "01ja00000000000000") }
        let rows = try keys()
        #expect(rows.filter { $0.id.hasPrefix("~") }.map(\.version) == [3])
        #expect(Set(rows.filter { !$0.id.hasPrefix("~") }.map(\.id)) == Set(low))
        let journalled = try answers(high + low)
        #expect(journalled.contains("count 6"))
        #expect(!journalled.contains { $0.contains("has false") })
        try t.store.materialiseView()
        #expect(try answers(high + low) == journalled)
    }

    /// A rolled-back message leaves no key, and a proposed (not generated) id keeps its own key.
    struct Boom: Error {}

    @Test func onlyGeneratedFirstVersionsThatCommitAreRanged() throws {
        try t.write { w in
            var rolledBack = false
            do {
                try w.savepoint { () throws -> Void in
                    for n in 0..<5 {
                        let id = Self.ids.next()
                        w.reserveNew(type: "Observation", id: id, generated: true)
                        try w.putResource(type: "Observation", id: id, resource: try observation(n), messageID: "m", at: at(0))
                    }
                    throw Boom()
                }
            } catch is Boom {
                rolledBack = true
            }
            #expect(rolledBack)
            try w.savepoint {
                let proposed = Self.ids.next()
                w.reserveNew(type: "Observation", id: proposed)
                try w.putResource(type: "Observation", id: proposed, resource: try observation(1), messageID: "m", at: at(0))
                try w.putResource(type: "Observation", id: "obs-a", resource: try observation(2), messageID: "m", at: at(0))
            }
        }
        #expect(try keys().allSatisfy { !$0.id.hasPrefix("~") })
        #expect(try keys().count == 2)
    }
}
