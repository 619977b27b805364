import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Versioned FHIR resources: every version kept, the current one readable by id.
@Suite struct ResourceStoreTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    func put(_ id: String, _ text: String, at time: String, unlessUnchanged: Bool = false, type: String = "Patient") throws -> Int {
        try t.write { try $0.putResource(type: type, id: id, resource: json(text), messageID: "m-\(time)", at: time,
                                         unlessUnchanged: unlessUnchanged) }
    }

    @Test func theStoreSetsTypeIdAndMetaFirst() throws {
        let v = try put("p1", #"{"gender":"female","id":"ignored","meta":{"source":"lab"},"resourceType":"X"}"#, at: at(1))
        #expect(v == 1)
        let stored = try #require(try t.read { try $0.resource(type: "Patient", id: "p1") })
        #expect(stored.object?.keys == ["resourceType", "id", "meta", "gender"])
        #expect(stored["resourceType"]?.string == "Patient")
        #expect(stored["id"]?.string == "p1")
        #expect(stored["meta"]?["versionId"]?.string == "1")
        #expect(stored["meta"]?["lastUpdated"]?.string == at(1))
        #expect(stored["meta"]?["source"]?.string == "lab", "other meta is kept")
        #expect(try t.read { try $0.resource(type: "Patient", id: "p2") } == nil)
        #expect(try t.read { try $0.resource(type: "Task", id: "p1") } == nil)
    }

    @Test func everyVersionIsKeptNewestFirst() throws {
        for (i, g) in ["female", "male", "other"].enumerated() {
            #expect(try put("p1", #"{"gender":"\#(g)"}"#, at: at(i)) == i + 1)
        }
        let history = try t.read { try $0.resourceHistory(type: "Patient", id: "p1") }
        #expect(history.map { $0["gender"]?.string } == ["other", "male", "female"])
        let versions = try t.read { try $0.resourceVersions(type: "Patient", id: "p1") }
        #expect(versions.map(\.version) == [3, 2, 1])
        #expect(versions.map(\.lastUpdated) == [at(2), at(1), at(0)])
        #expect(try t.read { try $0.resourceVersion(type: "Patient", id: "p1", version: 2) }?.resource["gender"]?.string == "male")
        #expect(try t.read { try $0.resourceVersion(type: "Patient", id: "p1", version: 4) } == nil)
        #expect(try t.read { try $0.resourceVersion(type: "Patient", id: "p1") } == 3)
        #expect(try t.read { try $0.resourceMeta(type: "Patient", id: "p1") }.map { "\($0.version) \($0.lastUpdated)" } == "3 \(at(2))")
    }

    @Test func unlessUnchangedStoresNothingWhenOnlyMetaDiffers() throws {
        _ = try put("p1", #"{"gender":"female"}"#, at: at(0))
        let same = try put("p1", #"{"meta":{"versionId":"9","lastUpdated":"x"},"id":"p1","gender":"female"}"#, at: at(1),
                           unlessUnchanged: true)
        #expect(same == 1)
        #expect(try t.read { try $0.resourceVersions(type: "Patient", id: "p1") }.map(\.lastUpdated) == [at(0)])
        let changed = try put("p1", #"{"gender":"male"}"#, at: at(2), unlessUnchanged: true)
        #expect(changed == 2)
        let again = try put("p1", #"{"gender":"male"}"#, at: at(3))
        #expect(again == 3, "without unlessUnchanged the same content is a new version")
        #expect(try put("p2", #"{"gender":"male"}"#, at: at(4), unlessUnchanged: true) == 1, "a new resource is stored")
    }

    /// Within one transaction the versions just stored are compared without a look-up (`ViewJournal.unchangedVersion`):
    /// the same answers as across transactions, and a rolled-back savepoint's version is not taken for the current one.
    @Test func unlessUnchangedInOneTransactionAndAfterARollback() throws {
        struct Undo: Error {}
        let versions = try t.write { w -> [Int] in
            func put(_ text: String, _ i: Int, _ unless: Bool = true) throws -> Int {
                try w.putResource(type: "Patient", id: "p1", resource: json(text), messageID: "m\(i)", at: at(i), unlessUnchanged: unless)
            }
            var v = [try put(#"{"gender":"female"}"#, 0), try put(#"{"id":"x","gender":"female"}"#, 1)]
            // Several other resources in between: the patient's entry stays the newest of its own resource.
            for i in 0..<12 {
                _ = try w.putResource(type: "Observation", id: "o\(i)", resource: json("{}"), messageID: "m2", at: at(2))
            }
            v.append(try put(#"{"gender":"female"}"#, 2))
            _ = try? w.savepoint { () throws -> Void in
                v.append(try put(#"{"gender":"male"}"#, 3))  // 2, then undone
                throw Undo()
            }
            v.append(try put(#"{"gender":"male"}"#, 4))  // 2 again: the undone version is not the current one
            v.append(try put(#"{"gender":"male"}"#, 5))
            v.append(try put(#"{"gender":"male"}"#, 6, false))  // without unlessUnchanged: a new version
            v.append(try put(#"{"gender":"male"}"#, 7))
            v.append(try put(#"{"gender":"female"}"#, 8))
            return v
        }
        #expect(versions == [1, 1, 1, 2, 2, 2, 3, 3, 4])
        let history = try t.read { try $0.resourceHistory(type: "Patient", id: "p1") }
        #expect(history.map { $0["gender"]?.string } == ["female", "male", "male", "female"])
        #expect(history.map { $0["meta"]?["lastUpdated"]?.string } == [at(8), at(6), at(4), at(0)])
    }

    @Test func lookupsByIdTypeAndReference() throws {
        _ = try put("b", #"{}"#, at: at(0))
        _ = try put("a", #"{}"#, at: at(0))
        _ = try put("a", #"{"status":"active"}"#, at: at(0), type: "Task")
        #expect(try t.read { try $0.hasResource(type: "Patient", id: "a") })
        #expect(try t.read { try $0.hasResource(type: "Patient", id: "c") } == false)
        #expect(try t.read { try $0.resourceIDs(type: "Patient") } == ["a", "b"])
        #expect(try t.read { try $0.resourceCounts() }.map { "\($0.type)=\($0.count)" } == ["Patient=2", "Task=1"])
        let found = try t.read { try $0.resources(references: ["Task/a", "Patient/zz", "bad", "Patient/b"]) }
        #expect(found.map(\.reference) == ["Task/a", "Patient/b"])
        #expect(found.first?.resource["status"]?.string == "active")
    }
}
