import Foundation
import GRDB
import PostroomCore
@testable import PostroomStore
import Testing

/// SQLite's view keys keep the content hash of a version stored `unlessUnchanged` (v18, `ContentHash`).
@Suite struct ViewKeyContentHashTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    func put(_ id: String, _ text: String, at time: String, unlessUnchanged: Bool = false, type: String = "Patient") throws -> Int {
        try t.write { try $0.putResource(type: type, id: id, resource: json(text), messageID: "m-\(time)", at: time,
                                         unlessUnchanged: unlessUnchanged) }
    }

    /// A version stored `unlessUnchanged` keeps its content's hash with its view key (v18): a patient named again with
    /// other details is stored as a new version without its record being read — here that record is unreadable —,
    /// while the same details are still compared by their JSON.
    @Test func aJournalledVersionWithAnotherHashIsChangedWithoutItsRecordBeingRead() throws {
        #expect(try put("p1", #"{"gender":"female","name":[{"family":"Ng"}]}"#, at: at(0), unlessUnchanged: true) == 1)
        #expect(try put("o1", "{}", at: at(0), type: "Observation") == 1)
        let hashes = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT type, content_hash FROM view_key ORDER BY type").map { "\($0[0] as String) \($0[1] != nil)" }
        }
        #expect(hashes == ["Observation false", "Patient true"], "only a version stored unlessUnchanged has a hash")
        try t.store.pool.write { db in
            try db.execute(sql: "UPDATE view_record SET data = x'00' WHERE seq = (SELECT record FROM view_key WHERE type = 'Patient')")
        }
        #expect(try put("p1", #"{"gender":"female","name":[{"family":"Ngo"}]}"#, at: at(1), unlessUnchanged: true) == 2)
        #expect(try put("p1", #"{"gender":"female","name":[{"family":"Ngo"}]}"#, at: at(2), unlessUnchanged: true) == 2,
                "version 2's record is readable: the same details are compared and kept")
        #expect(throws: (any Error).self, "version 1's record is what the hash spared reading") {
            try t.read { try $0.resourceHistory(type: "Patient", id: "p1") }
        }
    }

    /// The hash tells trees apart by their values, their nesting and their order, as `==` does.
    @Test func theHashTellsApartWhatEqualityTellsApart() throws {
        let texts = [#"{"a":"bc"}"#, #"{"ab":"c"}"#, #"{"a":["b","c"]}"#, #"{"a":["bc"]}"#, #"{"a":[["b"],"c"]}"#, #"{"a":1}"#,
                     #"{"a":"1"}"#, #"{"a":true}"#, #"{"a":"true"}"#, #"{"a":null}"#, #"{"a":{}}"#, #"{"a":[]}"#,
                     #"{"a":"x","b":"y"}"#, #"{"b":"y","a":"x"}"#, #"{"a":1.50}"#, #"{"a":1.5}"#]
        let hashes = try texts.map { ContentHash.of(try #require(json($0).object)) }
        #expect(Set(hashes).count == texts.count)
        #expect(try ContentHash.of(#require(json(#"{"a":["b",{"c":2}]}"#).object)) == ContentHash.of(#require(json(#"{ "a" : [ "b", {"c": 2} ] }"#).object)))
    }
}
