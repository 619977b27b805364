import Foundation
import GRDB
import HummingbirdTesting
import PostroomCore
import PostroomServer
import PostroomStore
import Testing

/// A rejected batch of 200,000 messages: the failed list and the drop's page are a page at a time,
/// with counts, and never carry the messages' raw bytes.
@Suite struct LargeBatchPageTests {
    static let messages = 200_000

    /// The sample store plus one rejected batch drop of `messages` messages (written straight into SQLite).
    static func data() throws -> SampleData {
        let data = try SampleData()
        let queue = try DatabaseQueue(path: data.config.database)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO drop_file (id, run_id, channel, name, size, sha256, received_at, work_path, state, outcome, format, issues_json)
                VALUES ('BIGBATCH', 'run-big', 'lab-results', 'big-batch.hl7', 300000000, 'abc', '2099-01-01T00:00:00.000Z', '', 'done', 'rejected',
                        'hl7v2', '[]')
                """)
            let issue = #"[{"severity":"error","code":"nhs-number-check-digit","type":"value","text":"The NHS number's check digit is wrong"}]"#
            let stmt = try db.makeStatement(sql: """
                INSERT INTO message (id, drop_id, idx, type, format, disposition, issues_json, raw, at)
                VALUES (?, 'BIGBATCH', ?, 'ORU^R01', 'hl7v2', 'rejected', ?, ?, '2099-01-01T00:00:00.000Z')
                """)
            let raw = Data("MSH|^~\\&|RAWBYTESMARKER".utf8)
            for i in 0..<messages { try stmt.execute(arguments: ["BIGBATCH.\(i)", i, issue, raw]) }
        }
        return data
    }

    @Test func aRejectedBatchOf200000MessagesRendersAPageAtATime() async throws {
        let data = try Self.data()
        try await withServer(data) { (c) async throws in
            let failed = try await c.get("/ui/failed")
            #expect(failed.status == .ok)
            let list = failed.text
            #expect(list.contains("BIGBATCH") && list.contains("\(Self.messages) message(s) rejected"))
            #expect(list.components(separatedBy: "<li>").count - 1 <= 8 + 2 * 8, "the first reasons only")
            #expect(!list.contains("RAWBYTESMARKER"))
            let page = try await c.get("/ui/drops/BIGBATCH").text
            #expect(page.components(separatedBy: "<section class=\"message\">").count - 1 == 50)
            #expect(page.contains("rejected</span> \(Self.messages)") && page.contains("/ui/drops/BIGBATCH?after=49"))
            #expect(!page.contains("RAWBYTESMARKER"))
            let next = try await c.get("/ui/drops/BIGBATCH?after=49").text
            #expect(next.contains("Message BIGBATCH.50 ") && !next.contains("Message BIGBATCH.49 "))
            let last = try await c.get("/ui/drops/BIGBATCH?after=\(Self.messages - 3)").text
            #expect(last.components(separatedBy: "<section class=\"message\">").count - 1 == 2 && !last.contains("Next messages"))
        }
    }
}
