import Foundation
import PostroomCore
@testable import PostroomPipeline
import Testing

/// Pass 2 of a streamed batch reads its messages in chunks (`BatchChunkReader`), ahead of the writer on another
/// core (`ScanAhead`): the same messages, in the file's order, whatever the blocks the file is read in.
@Suite struct BatchChunkTests {
    static func batch(_ count: Int) -> [UInt8] {
        var text = "FHS|^~\\&|LAB|RX1|GP|A83008|20261126180000\rBHS|^~\\&|LAB|RX1|GP|A83008|20261126180000\r"
        for i in 1...count {
            text += "MSH|^~\\&|LAB|RX1|GP|A83008|20261128140800||ORU^R01^ORU_R01|M\(i)|P|2.5.1\r"
            text += "PID|1||999000001\(i % 10)^^^NHS^NH\rOBX|1|NM|2093-3^Cholesterol^LN||4.\(i % 10)|mmol/L\r"
        }
        return Array((text + "BTS|\(count)\rFTS|1\r").utf8)
    }

    /// The messages as the scanner splits the whole file at once.
    static func whole(_ bytes: [UInt8]) -> [[UInt8]] {
        var scanner = HL7BatchScanner()
        return scanner.push(bytes) + scanner.finish()
    }

    func file(_ bytes: [UInt8], in folder: TempFolder) throws -> String {
        let path = folder.path + "/batch.hl7"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func chunksHoldTheMessagesInOrderWhateverTheBlocks() throws {
        let folder = try TempFolder()
        let bytes = Self.batch(10)
        let path = try file(bytes, in: folder)
        for blockSize in [7, 64, 1 << 20] {
            let reader = try BatchChunkReader(path: path, terminator: nil, size: 3, blockSize: blockSize)
            var chunks: [[[UInt8]]] = []
            while let c = try reader.next() { chunks.append(c) }
            #expect(chunks.map(\.count) == [3, 3, 3, 1], "block \(blockSize)")
            #expect(chunks.flatMap { $0 } == Self.whole(bytes), "block \(blockSize)")
            #expect(try reader.next() == nil)
        }
    }

    @Test func chunksReadAheadComeInTheFilesOrder() throws {
        let folder = try TempFolder()
        let bytes = Self.batch(1000)
        let ahead = ScanAhead(try BatchChunkReader(path: try file(bytes, in: folder), terminator: nil, size: 64, blockSize: 4096))
        defer { ahead.stop() }
        var messages: [[UInt8]] = []
        while let c = try ahead.next() {
            #expect(c.count == 64 || messages.count == 960)
            messages += c
        }
        #expect(messages.count == 1000)
        #expect(messages == Self.whole(bytes))
        #expect(try ahead.next() == nil)
    }

    /// A pass that fails halfway stops the helper: `stop` returns with chunks still unread.
    @Test func aStoppedHelperStopsReading() throws {
        let folder = try TempFolder()
        let ahead = ScanAhead(try BatchChunkReader(path: try file(Self.batch(5000), in: folder), terminator: nil, size: 16,
                                                   blockSize: 4096), depth: 1)
        #expect(try ahead.next()?.count == 16)
        ahead.stop()
    }

    /// A file that cannot be read fails the pass, from the helper as from the reader itself.
    @Test func aFailureToReadIsThrownToTheWriter() throws {
        let folder = try TempFolder()
        #expect(throws: FileSystemError.self) { _ = try BatchChunkReader(path: folder.path + "/missing.hl7", terminator: nil, size: 4) }
        // A folder opens, and its read fails (EISDIR).
        let ahead = ScanAhead(try BatchChunkReader(path: folder.path, terminator: nil, size: 4))
        defer { ahead.stop() }
        #expect(throws: FileSystemError.self) { _ = try ahead.next() }
    }
}
