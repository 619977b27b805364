import CZlib
import Foundation
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
}
