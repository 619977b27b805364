import Foundation
import PostroomArchive
import PostroomCore
import PostroomDigest
@testable import PostroomPipeline
import PostroomStore
import Testing

/// Large CDA documents (above `limits.streamAbove`) are checked in chunks and kept by reference:
/// the same header gives the same DocumentReference as the whole-file path, the attachment names the
/// archived original (`Binary/<drop id>`, size, SHA-1), and bad documents are refused with the same codes.
@Suite(.serialized) struct StreamedCDATests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let sample = (try? String(contentsOfFile: root + "/inbox-sample/lab-results/03-chest-x-ray-report.cda.xml", encoding: .utf8)) ?? ""

    /// The sample report with its structured body replaced by `body` (a `component`'s content).
    static func document(body: String, replacing: [(String, String)] = []) -> [UInt8] {
        guard let start = sample.range(of: "<structuredBody>"), let end = sample.range(of: "</structuredBody>") else { return [] }
        var text = sample
        text.replaceSubrange(start.lowerBound..<end.upperBound, with: body)
        for (old, new) in replacing { text = text.replacingOccurrences(of: old, with: new) }
        return Array(text.utf8)
    }

    /// A `nonXMLBody` of `bytes` bytes of base64 text, in lines of 76.
    static func nonXMLBody(bytes: Int) -> String {
        let line = String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0", count: 3).prefix(76) + "\n"
        return "<nonXMLBody><text mediaType=\"application/pdf\" representation=\"B64\">\n"
            + String(repeating: String(line), count: bytes / 77) + "</text></nonXMLBody>"
    }

    func harness(streamed: Bool) throws -> PipelineHarness {
        try PipelineHarness(extra: streamed ? #", "limits": { "streamAbove": 1000 }"# : "", maxFileSize: 64 << 20)
    }

    /// One run of `bytes`: the drop and every stored resource (without meta).
    func run(_ bytes: [UInt8], streamed: Bool) throws -> (DropRecord, [MessageRecord], [String: JSONObject], PipelineHarness) {
        let h = try harness(streamed: streamed)
        try h.drop("doc.xml", bytes)
        _ = try h.pipeline.runOnce()
        let drop = try #require(try h.drops().first)
        let messages = try h.pipeline.store.read { try $0.messages(dropID: drop.id) }
        var resources: [String: JSONObject] = [:]
        try h.pipeline.store.read { r in
            for (type, _) in try r.resourceCounts() {
                for id in try r.resourceIDs(type: type) {
                    guard var o = try r.resource(type: type, id: id)?.object else { continue }
                    o["meta"] = nil
                    resources[type + "/" + id] = o
                }
            }
        }
        return (drop, messages, resources, h)
    }

    @Test func theSameHeaderGivesTheSameDocumentReferenceOnBothPaths() throws {
        let bytes = Self.document(body: Self.nonXMLBody(bytes: 20_000))
        let (drop, messages, resources, h1) = try run(bytes, streamed: true)
        let (wholeDrop, wholeMessages, wholeResources, h2) = try run(bytes, streamed: false)
        defer { withExtendedLifetime((h1, h2)) {} }
        #expect(drop.outcome == wholeDrop.outcome && drop.outcome == .accepted)
        #expect(messages.map(\.issues) == wholeMessages.map(\.issues))
        #expect(messages.map(\.type) == wholeMessages.map(\.type) && messages.map(\.disposition) == wholeMessages.map(\.disposition))
        // Ids are drawn afresh by each run: resources are compared by type (one of each here).
        func byType(_ r: [String: JSONObject]) -> [String: JSONObject] {
            Dictionary(r.map { (String($0.key.split(separator: "/")[0]), $0.value) }, uniquingKeysWith: { a, _ in a })
        }
        #expect(resources.keys.map { $0.split(separator: "/")[0] }.sorted() == wholeResources.keys.map { $0.split(separator: "/")[0] }.sorted())
        var streamedDoc = try #require(byType(resources)["DocumentReference"])
        var wholeDoc = try #require(byType(wholeResources)["DocumentReference"])
        streamedDoc["id"] = nil
        wholeDoc["id"] = nil
        let attachment = try #require(streamedDoc["content"]?[0]?["attachment"]?.object)
        #expect(attachment.keys == ["contentType", "url", "size", "hash"])
        #expect(attachment["url"]?.string == "Binary/" + drop.id)
        #expect(attachment["size"] == wholeDoc["content"]?[0]?["attachment"]?["size"])
        #expect(attachment["hash"] == wholeDoc["content"]?[0]?["attachment"]?["hash"])
        #expect(attachment["hash"]?.string == SHA256Digest.sha1Base64(bytes))
        #expect(wholeDoc["content"]?[0]?["attachment"]?["data"]?.string == Data(bytes).base64EncodedString())
        streamedDoc["content"] = nil
        wholeDoc["content"] = nil
        #expect(streamedDoc == wholeDoc)
        #expect(byType(resources)["Patient"] == byType(wholeResources)["Patient"])
    }

    /// Each bad document, read whole and streamed: rejected with the same drop issue codes, the original kept as it was.
    static let bad: [(String, [UInt8])] = [
        ("malformed body", document(body: nonXMLBody(bytes: 20_000).replacingOccurrences(of: "QUJD", with: "Q&JD"))),
        ("mismatched end tag", document(body: nonXMLBody(bytes: 20_000).replacingOccurrences(of: "</text>", with: "</txt>"))),
        ("unclosed body element", document(body: "<nonXMLBody><text>QUJD</nonXMLBody>" + String(repeating: " ", count: 2000))),
        ("doctype", document(body: nonXMLBody(bytes: 5000), replacing: [("<ClinicalDocument", "<!DOCTYPE x>\n<ClinicalDocument")])),
        ("not UTF-8", document(body: nonXMLBody(bytes: 5000), replacing: [("Brown", "Br\u{F6}wn")]).map { $0 == 0xC3 ? 0xF6 : $0 }.filter { $0 != 0xB6 }),
        ("too deep", document(body: String(repeating: "<x>", count: 400) + String(repeating: "</x>", count: 400))),
        ("undeclared entity", document(body: nonXMLBody(bytes: 5000).replacingOccurrences(of: "</text>", with: "&nbsp;</text>"))),
    ]

    @Test(arguments: bad.map(\.0))
    func aBadLargeDocumentIsRefusedAsOnTheWholeFilePath(name: String) throws {
        let bytes = try #require(Self.bad.first { $0.0 == name }?.1)
        let (drop, _, resources, h1) = try run(bytes, streamed: true)
        let (wholeDrop, _, _, h2) = try run(bytes, streamed: false)
        defer { withExtendedLifetime((h1, h2)) {} }
        #expect(drop.outcome == .rejected && wholeDrop.outcome == .rejected)
        #expect(!drop.issues.isEmpty)
        #expect(drop.issues.map(\.code) == wholeDrop.issues.map(\.code), "\(name): \(drop.issues) vs \(wholeDrop.issues)")
        #expect(drop.ackFile == nil && drop.ackName?.hasSuffix("outcome.json") == true)
        #expect(resources.isEmpty)
        let kept = try #require(drop.errorPath)
        #expect(FileManager.default.contents(atPath: kept) == Data(bytes), "the original is kept as it was")
    }

    @Test func aFiftyMegabyteDocumentIsAcceptedAndItsOriginalArchivedByteForByte() throws {
        let bytes = Self.document(body: Self.nonXMLBody(bytes: 50_000_000))
        #expect(bytes.count > 50_000_000)
        let h = try PipelineHarness(maxFileSize: 64 << 20)
        try h.drop("big.xml", bytes)
        _ = try h.pipeline.runOnce()
        let drop = try #require(try h.drops().first)
        #expect(drop.outcome == .accepted, "\(drop.issues)")
        #expect(drop.format == "cda")
        let doc = try #require(try h.pipeline.store.read { r in
            try r.resourceIDs(type: "DocumentReference").first.flatMap { try r.resource(type: "DocumentReference", id: $0) }
        })
        let attachment = try #require(doc["content"]?[0]?["attachment"]?.object)
        #expect(attachment["url"]?.string == "Binary/" + drop.id && attachment["data"] == nil)
        #expect(attachment["size"] == .number(String(bytes.count)))
        #expect(attachment["hash"]?.string == SHA256Digest.sha1Base64(bytes))
        #expect(doc["masterIdentifier"]?["value"]?.string == "RAD-REPORT-88001")
        let archive = try #require(drop.archivePath)
        let reader = try ArchiveReader(path: archive)
        var found: [UInt8]?
        while found == nil, let m = try reader.next() {
            if m.name == drop.archiveMember { found = try reader.readData(limit: Int64.max) }
        }
        #expect(found == bytes)

        // The same file again is a duplicate, not applied twice.
        try h.drop("big-again.xml", bytes)
        _ = try h.pipeline.runOnce()
        let again = try #require(try h.drops().first { $0.name == "big-again.xml" })
        #expect(again.outcome == .duplicate)
    }
}
