import Foundation
import PostroomCore
import Testing

@testable import postroom_bench

/// Loads on disk: the files and the stamp agree, a load is reused only for the same seed and count,
/// and the streamed batch file is exactly its messages between the envelope segments.
@Suite struct LoadGeneratorTests {
    @Test func aGeneratedLoadMatchesItsStamp() throws {
        let tmp = try TempFolder()
        let manifest = try LoadGenerator(root: tmp.path, seed: 42).prepare(.mixed, count: 4) { _ in }
        #expect(manifest.files == 8)
        #expect(manifest.messages == 8)
        let orders = try FileOutput.fileNames(in: manifest.folder + "/orders")
        let results = try FileOutput.fileNames(in: manifest.folder + "/results")
        #expect(orders == ["orm-0000001.hl7", "orm-0000002.hl7", "orm-0000003.hl7", "orm-0000004.hl7"])
        #expect(results.count == 4)
        let sizes = (orders.map { "orders/" + $0 } + results.map { "results/" + $0 }).compactMap { FileOutput.size(of: manifest.folder + "/" + $0) }
        #expect(sizes.reduce(0, +) == manifest.bytes)
        let stamp = try #require(FileManager.default.contents(atPath: manifest.folder + "/manifest.json"))
        #expect(LoadManifest.read([UInt8](stamp), folder: manifest.folder) == manifest)
    }

    @Test func filesAreOldestFirstInGenerationOrder() throws {
        let tmp = try TempFolder()
        let manifest = try LoadGenerator(root: tmp.path, seed: 42).prepare(.mixed, count: 2) { _ in }
        func modified(_ path: String) throws -> Date {
            try #require(FileManager.default.attributesOfItem(atPath: manifest.folder + "/" + path)[.modificationDate] as? Date)
        }
        #expect(try modified("orders/orm-0000002.hl7") < modified("results/oru-0000001.hl7"))
        #expect(try modified("results/oru-0000001.hl7") < modified("results/oru-0000002.hl7"))
    }

    @Test func aLoadIsReusedOnlyForTheSameSeedAndCount() throws {
        let tmp = try TempFolder()
        var lines: [String] = []
        _ = try LoadGenerator(root: tmp.path, seed: 1).prepare(.v2, count: 3) { lines.append($0) }
        _ = try LoadGenerator(root: tmp.path, seed: 1).prepare(.v2, count: 3) { lines.append($0) }
        let other = try LoadGenerator(root: tmp.path, seed: 1).prepare(.v2, count: 5) { lines.append($0) }
        _ = try LoadGenerator(root: tmp.path, seed: 2).prepare(.v2, count: 5) { lines.append($0) }
        #expect(lines.map { $0.contains("reusing") } == [false, true, false, false])
        #expect(other.files == 5)
        #expect(try FileOutput.fileNames(in: tmp.path + "/v2/results").count == 5)
    }

    @Test func anInterruptedLoadIsMadeAgain() throws {
        let tmp = try TempFolder()
        let first = try LoadGenerator(root: tmp.path, seed: 1).prepare(.cda, count: 3) { _ in }
        try FileManager.default.removeItem(atPath: first.folder + "/manifest.json")
        var lines: [String] = []
        _ = try LoadGenerator(root: tmp.path, seed: 1).prepare(.cda, count: 3) { lines.append($0) }
        #expect(lines.count == 1 && lines[0].contains("generated"))
    }

    @Test func theBatchFileIsItsMessagesInsideTheEnvelope() throws {
        let tmp = try TempFolder()
        let manifest = try LoadGenerator(root: tmp.path, seed: 9).prepare(.batch, count: 700) { _ in }
        let content = LoadContent(kind: .batch, runSeed: 9, count: 700)
        var expected = content.batchHeader
        for i in 0..<700 { expected += content.batchMessage(i) }
        expected += content.batchTrailer
        let data = try #require(FileManager.default.contents(atPath: manifest.folder + "/batch/batch-700.hl7"))
        #expect(data.count > 1 << 20)  // more than one chunk of the streaming writer
        #expect(String(decoding: data, as: UTF8.self) == expected)
        #expect(manifest.files == 1 && manifest.messages == 700 && manifest.bytes == Int64(data.count))
    }
}
