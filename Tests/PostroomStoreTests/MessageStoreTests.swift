import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Messages of a drop and the business keys that recognise them when they come again.
@Suite struct MessageStoreTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    @Test func messagesComeBackInDropOrderWithRawBytesAndIssues() throws {
        let warning = PostroomCore.Issue.warning("obx-units", at: "OBX[2]-6", "No units")
        let raw: [UInt8] = Array("MSH|^~\\&|LAB\rPID|1\r".utf8)
        try t.write { w in
            try w.insertDrop(sampleDrop("d1"))
            try w.insertMessage(sampleMessage("m2", drop: "d1", index: 1, disposition: .held, issues: [warning]))
            try w.insertMessage(sampleMessage("m1", drop: "d1", index: 0, raw: raw))
        }
        let messages = try t.read { try $0.messages(dropID: "d1") }
        #expect(messages.map(\.id) == ["m1", "m2"])
        #expect(messages[0].raw == raw)
        #expect(messages[0].issues.isEmpty)
        #expect(messages[1].disposition == .held)
        #expect(messages[1].issues == [warning])
        #expect(messages[1].raw == nil)
        #expect(try t.read { try $0.message(id: "m2") } == messages[1])
        #expect(try t.read { try $0.message(id: "m3") } == nil)
    }

    @Test func theFirstMessageToClaimAKeyKeepsIt() throws {
        try t.write { w in
            try w.insertDedupeKeys(["v2|LAB|HOSP|X1", "v2|LAB|HOSP|X2"], messageID: "m1", dropID: "d1")
            try w.insertDedupeKeys(["v2|LAB|HOSP|X2", "v2|LAB|HOSP|X3"], messageID: "m2", dropID: "d2")
        }
        let hit = try #require(try t.read { try $0.dedupeHit(["v2|LAB|HOSP|X2"]) })
        #expect(hit.messageID == "m1")
        #expect(hit.dropID == "d1")
        #expect(try t.read { try $0.dedupeHit(["unknown", "v2|LAB|HOSP|X3"]) }.map { "\($0.key) \($0.messageID)" } == "v2|LAB|HOSP|X3 m2")
        #expect(try t.read { try $0.dedupeHit(["unknown"]) } == nil)
        #expect(try t.read { try $0.hasDedupeKey("v2|LAB|HOSP|X1") })
        #expect(try t.read { try $0.hasDedupeKey("v2|LAB|HOSP|X9") } == false)
    }

    @Test func theListingJoinsDropsAndFiltersNewestFirstWithoutRaw() throws {
        try t.write { w in
            try w.insertDrop(sampleDrop("d1", channel: "lab", receivedAt: at(0)))
            try w.insertMessage(sampleMessage("m1", drop: "d1", raw: [1, 2, 3]))
            try w.insertDrop(sampleDrop("d2", channel: "rad", receivedAt: at(5)))
            try w.insertMessage(sampleMessage("m2", drop: "d2", disposition: .rejected))
            try w.insertMessage(sampleMessage("m3", drop: "d2", index: 1))
        }
        let all = try t.read { try $0.messageListing() }
        #expect(all.map(\.message.id) == ["m3", "m2", "m1"])
        #expect(all.last?.channel == "lab")
        #expect(all.last?.dropName == "d1.hl7")
        #expect(all.last?.receivedAt == at(0))
        #expect(all.last?.message.raw == nil, "the listing leaves the raw bytes out")
        #expect(try t.read { try $0.messageListing(disposition: "rejected") }.map(\.message.id) == ["m2"])
        #expect(try t.read { try $0.messageListing(channel: "lab") }.map(\.message.id) == ["m1"])
        #expect(try t.read { try $0.messageListing(since: at(1)) }.map(\.message.id) == ["m3", "m2"])
        #expect(try t.read { try $0.messageListing(limit: 1) }.map(\.message.id) == ["m3"])
    }
}
