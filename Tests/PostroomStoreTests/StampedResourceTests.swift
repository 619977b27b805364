import PostroomCore
@testable import PostroomStore
import Testing

/// A stored version puts `resourceType`, `id` and `meta` first and keeps every other member in order
/// (`JournalEntry.writeJSON`, where a journal entry's JSON is written).
@Suite struct StampedResourceTests {
    func text(_ o: JSONObject) -> String {
        let entry = JournalEntry(type: "Observation", id: "new", version: 3, lastUpdated: "2026-12-05T06:00:00.000Z", messageID: nil,
                                 body: .tree(o))
        return String(decoding: entry.viewEntry.json, as: UTF8.self)
    }

    @Test func resourceTypeIdAndMetaComeFirst() {
        let given = JSONObject(["status": "final", "id": "old", "resourceType": "Observation", "code": ["text": "K"]])
        #expect(text(given) == #"{"resourceType":"Observation","id":"new","meta":{"versionId":"3","lastUpdated":"2026-12-05T06:00:00.000Z"},"status":"final","code":{"text":"K"}}"#)
    }

    @Test func metaGivenKeepsItsOtherMembers() {
        let given = JSONObject(["meta": .object(JSONObject(["profile": .array(["p"]), "versionId": "9"])), "status": "final"])
        #expect(text(given) == #"{"resourceType":"Observation","id":"new","meta":{"profile":["p"],"versionId":"3","lastUpdated":"2026-12-05T06:00:00.000Z"},"status":"final"}"#)
    }

    @Test func onlyTheFirstOfARepeatedNameIsReplaced() {
        var given = JSONObject()
        given.members = [.init("id", "a"), .init("status", "final"), .init("id", "b"), .init("meta", "not an object")]
        #expect(text(given) == #"{"resourceType":"Observation","id":"new","meta":{"versionId":"3","lastUpdated":"2026-12-05T06:00:00.000Z"},"status":"final","id":"b"}"#)
    }
}
