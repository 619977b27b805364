import CZlib
import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// View records are Zstandard frames; records written before (zlib streams) are still read.
@Suite struct ViewCompressorTests {
    func record(_ n: Int) -> [UInt8] {
        let entries = (0..<n).map { i in
            ViewEntry(type: "Observation", id: "o\(i)", version: 1, lastUpdated: "2026-12-05T04:00:00.000Z", messageID: i % 3 == 0 ? nil : "m\(i)",
                      json: Array(#"{"resourceType":"Observation","id":"o\#(i)","status":"final","valueQuantity":{"value":\#(i),"unit":"mmol/L"}}"#.utf8))
        }
        return ViewRecord.encode(entries[...])
    }

    /// What an earlier version wrote: the framed record deflated by zlib at level 1.
    func zlib(_ bytes: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        #expect(compress2(&out, &size, bytes, uLong(bytes.count), 1) == Z_OK)
        return Array(out[..<Int(size)])
    }

    @Test func aRecordIsAZstandardFrameAndReadsBack() throws {
        let compressor = ViewCompressor()
        for n in [0, 1, 12, 400] {
            let plain = record(n)
            let packed = try compressor.compress(plain)
            #expect(ViewCompressor.isZstandard(packed))
            #expect(try ViewCompressor.decompress(packed) == plain)
            #expect(ViewRecord.decode(try ViewCompressor.decompress(packed))?.count == n)
        }
        #expect(try compressor.compress(record(400)).count < record(400).count / 4)
    }

    @Test func aZlibRecordOfAnEarlierVersionIsStillRead() throws {
        let plain = record(12)
        let old = zlib(plain)
        #expect(old.first == 0x78)
        #expect(!ViewCompressor.isZstandard(old))
        #expect(try ViewCompressor.decompress(old) == plain)
        #expect(ViewRecord.decode(try ViewCompressor.decompress(old))?.map(\.id) == (0..<12).map { "o\($0)" })
    }

    @Test func aDamagedRecordIsAnErrorNotACrash() throws {
        let packed = try ViewCompressor().compress(record(12))
        var cut = Array(packed.prefix(packed.count / 2))
        #expect(throws: ViewRecordFailure.self) { try ViewCompressor.decompress(cut) }
        cut = packed
        cut[cut.count / 2] ^= 0xFF
        cut[cut.count / 2 + 1] ^= 0xFF
        // A flipped byte either fails the frame's checks or gives other bytes: never the original silently.
        if let out = try? ViewCompressor.decompress(cut) { #expect(out != record(12)) }
        #expect(throws: ViewRecordFailure.self) { try ViewCompressor.decompress([0x28, 0xB5, 0x2F, 0xFD, 0, 0]) }
        #expect(throws: ViewRecordFailure.self) { try ViewCompressor.decompress([0x78, 0x01, 0xFF]) }
    }

    /// The encoder frames journal entries with their JSON written straight into the record: the bytes must
    /// be those of the entries' `viewEntry`s framed (each one's JSON written apart), whatever the body holds —
    /// a `meta` of its own, `resourceType`/`id`/`meta` given twice or not at all, strings to escape, a
    /// deferred body.
    @Test func entriesFramedDirectlyAreTheEntriesTheirTreesFrame() throws {
        let bodies = [
            #"{"resourceType":"Observation","id":"x","status":"final","valueQuantity":{"value":1.5,"unit":"mmol/L"}}"#,
            #"{}"#,
            #"{"meta":"not an object","note":[{"text":"line 1\nline \"2\"\u0001"}],"valueString":"caf\u00e9 \u2713"}"#,
            #"{"resourceType":"Patient","meta":{},"name":[{"family":"O'Brien","given":[]}],"active":true,"deceasedBoolean":false,"x":null}"#,
        ]
        // Members given twice (the parser refuses them; a tree made in code may hold them).
        let twice = JSONObject([
            .init("status", .string("final")), .init("meta", try JSONParser().parse(Array(#"{"profile":["urn:p"],"versionId":"9"}"#.utf8))),
            .init("id", .string("y")), .init("id", .string("again")), .init("meta", .object(JSONObject())), .init("resourceType", .string("Z")),
            .init("resourceType", .string("Z2")),
        ])
        var trees = try bodies.map { try #require(try JSONParser().parse(Array($0.utf8)).object) }
        trees.insert(twice, at: 1)
        var entries: [JournalEntry] = []
        for (i, tree) in trees.enumerated() {
            for deferred in [false, true] {
                entries.append(JournalEntry(type: i % 2 == 0 ? "Observation" : "Patient", id: "id\(i)", version: i + 1,
                                            lastUpdated: "2026-12-05T18:00:00.00\(i)Z", messageID: i == 2 ? nil : "m\(i)",
                                            body: deferred ? .deferred(DeferredResource { .object(tree) }) : .tree(tree)))
            }
        }
        var direct: [UInt8] = [0xAA]
        ViewRecord.encode(entries, into: &direct)
        #expect(direct.first == 0xAA)
        #expect(Array(direct.dropFirst()) == ViewRecord.encode(entries.map(\.viewEntry)[...]))
        #expect(ViewRecord.decode(Array(direct.dropFirst())) == entries.map(\.viewEntry))
    }
}
