import Foundation
import Logging
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing

/// Answers are made on another core while the group's next drops are applied (`AnswersAhead`): within one
/// group, what reads an earlier drop's answer — the same file again, a message sent again — still gets it.
@Suite struct AnswersAheadTests {
    static func uuid() -> String { UUID().uuidString.lowercased() }

    /// A FHIR result message (its answer, a response message of ~1.8 KB, is stored compressed).
    static func resultMessage(bundle: String = uuid(), header: String = uuid(), spaced: Bool = false) -> [UInt8] {
        let patient = uuid(), report = uuid()
        let text = """
            {"resourceType":"Bundle","id":"\(bundle)","type":"message","timestamp":"2026-11-26T16:30:00+00:00","entry":[
              {"fullUrl":"urn:uuid:\(header)","resource":{"resourceType":"MessageHeader","id":"\(header)",
                "eventCoding":{"system":"https://fhir.nhs.uk/CodeSystem/message-event","code":"diagnosticreport-result"},
                "source":{"endpoint":"https://lims.example.nhs.uk/fhir"},"focus":[{"reference":"urn:uuid:\(report)"}]}},
              {"fullUrl":"urn:uuid:\(report)","resource":{"resourceType":"DiagnosticReport","id":"\(report)",
                "basedOn":[{"identifier":{"system":"https://example.org/placer","value":"P-\(bundle.prefix(8))"}}],
                "status":"final","code":{"text":"Full blood count"},"subject":{"reference":"urn:uuid:\(patient)"}}},
              {"fullUrl":"urn:uuid:\(patient)","resource":{"resourceType":"Patient","id":"\(patient)",
                "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}]}}]}
            """
        return Array((spaced ? text + "\n\n" : text).utf8)
    }

    /// Drops files with modification times one second apart, in the order given (taken oldest first).
    static func drop(_ h: PipelineHarness, _ files: [(String, [UInt8])]) throws {
        let start = Date().addingTimeInterval(-60)
        for (i, (name, bytes)) in files.enumerated() {
            try h.drop(name, bytes)
            try FileManager.default.setAttributes([.modificationDate: start.addingTimeInterval(Double(i))], ofItemAtPath: h.inbox + "/" + name)
        }
    }

    /// Runs `first`, a v2 order, then `again`, all in one group; returns the drops by name.
    static func runInOneGroup(first: [UInt8], again: [UInt8]) throws -> (drops: [DropRecord], outbox: String) {
        let h = try PipelineHarness(maxFileSize: 1 << 20)
        try drop(h, [("a.json", first), ("b.hl7", sampleORM), ("c.json", again)])
        let summary = try h.pipeline.runOnce()
        #expect(summary.total.accepted == 2)
        #expect(summary.total.duplicates == 1)
        let drops = try h.drops().sorted { $0.name < $1.name }
        #expect(drops.map(\.name) == ["a.json", "b.hl7", "c.json"])
        #expect(drops.map(\.outcome) == [.accepted, .accepted, .duplicate])
        // What was placed in the outbox is what the rows keep.
        let outbox = h.config.channels[0].outbox
        for d in drops {
            let placed = try #require(FileManager.default.contents(atPath: outbox + "/" + (d.ackName ?? "")))
            #expect(Array(placed) == d.ackBytes)
        }
        return (drops, outbox)
    }

    @Test func theSameFileAgainInTheSameGroupIsADuplicateOfTheDropWithItsAnswer() throws {
        let first = Self.resultMessage()
        let (drops, _) = try Self.runInOneGroup(first: first, again: first)
        // Found as the same file (not only as the same message): the earlier drop's row was written first.
        #expect(drops[2].duplicateOf == drops[0].id)
        let original = try #require(drops[0].ackBytes)
        #expect(original.count > 512)
        #expect(drops[2].ackBytes == original)
    }

    @Test func aMessageSentAgainInTheSameGroupGetsTheOriginalResponse() throws {
        let bundle = Self.uuid(), header = Self.uuid()
        let (drops, _) = try Self.runInOneGroup(first: Self.resultMessage(bundle: bundle, header: header),
                                                again: Self.resultMessage(bundle: bundle, header: header, spaced: true))
        #expect(drops[2].duplicateOf == nil)
        // The original response again, taken while the first drop's row was still to be written.
        #expect(drops[2].ackBytes == drops[0].ackBytes)
    }

    @Test func answersMadeAheadAreStoredAsTheyWouldBeInline() throws {
        // Many drops, four a group: every row's answer reads back to the file placed for it.
        let h = try PipelineHarness(maxFileSize: 1 << 20)
        try Self.drop(h, (0..<40).map { (String(format: "r%02d.json", $0), Self.resultMessage()) })
        let summary = try h.pipeline.runOnce()
        #expect(summary.total.accepted == 40)
        let outbox = h.config.channels[0].outbox
        for d in try h.drops() {
            let placed = try #require(FileManager.default.contents(atPath: outbox + "/" + (d.ackName ?? "")))
            #expect(Array(placed) == d.ackBytes)
            #expect(String(decoding: Array(placed), as: UTF8.self).contains("MessageHeader"))
        }
    }
}
