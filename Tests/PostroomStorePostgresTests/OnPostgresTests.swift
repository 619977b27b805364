import Foundation
import PostroomConfig
import PostroomPostgres
import PostroomPostgresTestSupport
@testable import PostroomStore
import Testing

/// The linked store tests really run on PostgreSQL: what the `Store` writes is in the server's tables,
/// read back through a session of its own.
@Suite(.enabled(if: ThrowawayPostgres.isAvailable, "needs a throwaway PostgreSQL server: \(ThrowawayPostgres.unavailable ?? "")"))
struct OnPostgresTests {
    @Test func theStoreWritesIntoThePostgresDatabase() throws {
        let t = try TempStore()
        let server = try #require(t.server)
        try t.write { w in
            try w.insertDrop(sampleDrop("d1"))
            try w.markProcessed(dropID: "d1", outcome: .accepted, format: "hl7v2", duplicateOf: nil, issues: [],
                                ackName: "d1.ack", ackBytes: [0, 1, 2, 255], errorPath: nil)
        }
        let s = try PostgresSession(server)
        let rows = try s.execute("SELECT id, state, ack_bytes, ack_written FROM drop_file").rows
        #expect(rows.count == 1)
        let (id, state, bytes, written) = try #require(rows.first).decode((String, String, Data, Int).self)
        #expect(id == "d1" && state == "processed" && bytes == Data([0, 1, 2, 255]) && written == 0)
        #expect(try t.read { try $0.drop(id: "d1") }?.ackBytes == [0, 1, 2, 255])
    }

    @Test func aFailedWriteLeavesNothingAndTheStoreGoesOn() throws {
        let t = try TempStore()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try t.write { w in
                try w.insertDrop(sampleDrop("d1"))
                throw Boom()
            }
        }
        #expect(try t.read { try $0.drop(id: "d1") } == nil)
        try t.write { w in try w.insertDrop(sampleDrop("d2")) }
        #expect(try t.read { try $0.drop(id: "d2") }?.id == "d2")
    }

    /// A materialisation batch's search rows go into `search_param` as one JSON array on PostgreSQL:
    /// quotes, backslashes, control characters and non-ASCII text arrive intact and are found.
    @Test func searchRowsWithAwkwardTextAreIndexedIntact() throws {
        let t = try TempStore()
        let code = "a\"b\\c\nd\te\u{1}f é😀"
        let resource = #"{"resourceType":"ServiceRequest","status":"active","intent":"order","identifier":[{"system":"urn:lab","value":"a\"b\\c\nd\te\u0001f é😀"}]}"#
        try t.write { try $0.putResource(type: "ServiceRequest", id: "sr1", resource: json(resource), messageID: nil, at: at(1)) }
        try t.write { try $0.putResource(type: "ServiceRequest", id: "sr2", resource: json(#"{"status":"active","identifier":[{"system":"urn:lab","value":"x"}]}"#),
                                         messageID: nil, at: at(2)) }
        #expect(try t.ids("ServiceRequest", SearchFixture.token("identifier", .exact("urn:lab"), code)) == ["sr1"])
        #expect(try t.ids("ServiceRequest", SearchFixture.token("identifier", .exact("urn:lab"), "x")) == ["sr2"])
        #expect(try t.ids("ServiceRequest", SearchFixture.token("identifier", .exact("urn:lab"), nil)) == ["sr1", "sr2"])
    }
}
