import Foundation
import Hummingbird
import HummingbirdTesting
import PostroomCore
import PostroomDigest
import PostroomStore
import Testing

/// `GET /Binary/<id>`: the original of a CDA document kept by reference, streamed from the archive.
@Suite struct BinaryRouteTests {
    /// The sample report with a `nonXMLBody` of about `bytes` bytes of base64 text instead of its structured body.
    static func largeDocument(bytes: Int) -> [UInt8] {
        let sample = String(decoding: SampleData.sample("lab-results/03-chest-x-ray-report.cda.xml"), as: UTF8.self)
        guard let start = sample.range(of: "<structuredBody>"), let end = sample.range(of: "</structuredBody>") else { return [] }
        let line = String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0", count: 3).prefix(76) + "\n"
        var text = sample
        text.replaceSubrange(start.lowerBound..<end.upperBound, with: "<nonXMLBody><text mediaType=\"application/pdf\" representation=\"B64\">\n"
                             + String(repeating: String(line), count: bytes / 77) + "</text></nonXMLBody>")
        text = text.replacingOccurrences(of: "RAD-REPORT-88001", with: "RAD-REPORT-LARGE").replacingOccurrences(of: "RAD-SET-88001", with: "RAD-SET-LARGE")
        return Array(text.utf8)
    }

    @Test func aLargeDocumentsOriginalIsServedByteForByteAndUnknownIdsAre404() async throws {
        let big = Self.largeDocument(bytes: 50_000_000)
        let data = try SampleData(extra: [(channel: "lab-results", name: "05-large.cda.xml", bytes: big)])
        let drops = try data.store().read { try $0.drops(limit: 1000) }
        let drop = try #require(drops.first { $0.name == "05-large.cda.xml" })
        #expect(drop.outcome == .accepted, "\(drop.issues)")
        let smallCDA = try #require(drops.first { $0.name == "03-chest-x-ray-report.cda.xml" })
        let v2 = try #require(drops.first { $0.format == "hl7v2" })
        let id = drop.id
        try await withServer(data) { (c) async throws in
            let docs = try await c.get("/DocumentReference?_count=100").json().entries()
            let doc = try #require(docs.first { $0["masterIdentifier"]?["value"]?.string == "RAD-REPORT-LARGE" })
            let attachment = doc["content"]?[0]?["attachment"]
            #expect(attachment?["url"]?.string == "Binary/" + id && attachment?["data"] == nil)
            #expect(attachment?["hash"]?.string == SHA256Digest.sha1Base64(big))
            // A small document keeps its bytes inline, as before.
            let small = try #require(docs.first { $0["masterIdentifier"]?["value"]?.string == "RAD-REPORT-88001" })
            #expect(small["content"]?[0]?["attachment"]?["data"]?.string != nil && small["content"]?[0]?["attachment"]?["url"] == nil)

            let r = try await c.get("/Binary/" + id)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/hl7-v3+xml")
            #expect(Array(r.body.readableBytesView) == big)

            let anonymous = try await c.get("/Binary/" + id, headers: [:])
            #expect(anonymous.status == .unauthorized)
            for unknown in ["no-such-drop", smallCDA.id + "x", v2.id] {
                let missing = try await c.get("/Binary/" + unknown)
                #expect(missing.status == .notFound, "\(unknown)")
                #expect(try missing.json()["resourceType"]?.string == "OperationOutcome")
            }
            // A small bare document's original is served too (its DocumentReference also holds it).
            let smallBytes = try await c.get("/Binary/" + smallCDA.id)
            #expect(Array(smallBytes.body.readableBytesView) == SampleData.sample("lab-results/03-chest-x-ray-report.cda.xml"))
        }
    }
}
