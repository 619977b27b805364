import Foundation
import Testing
@testable import PostroomArchive
import PostroomCore

@Suite struct ArchiveRoundTripTests {
    func tempDir() throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    @Test(arguments: [ArchiveCompression.gzip(level: 6), .zstd(level: 3), .none])
    func writesMembersThatReadBackByteForByte(_ compression: ArchiveCompression) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("run.\(compression.fileExtension)").path
        let w = try ArchiveWriter(path: path, compression: compression)
        let a: [UInt8] = Array("MSH|^~\\&|A\r".utf8)
        let big = (0..<300_000).map { UInt8($0 % 251) }
        try w.add(name: "lab/a.hl7", bytes: a, modified: Date())
        try w.add(name: "lab/big.bin", bytes: big, modified: Date())
        try w.add(name: "manifest.json", bytes: Array("{}".utf8), modified: Date())
        try w.close()

        let r = try ArchiveReader(path: path)
        var got: [String: [UInt8]] = [:]
        while let m = try r.next() {
            #expect(m.kind == .regular)
            got[m.name] = try r.readData(limit: 1 << 20)
        }
        #expect(got["lab/a.hl7"] == a)
        #expect(got["lab/big.bin"] == big)
        #expect(got.count == 3)
    }

    @Test func streamsAFileIntoTheArchive() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = dir.appendingPathComponent("src.txt")
        let data = Data((0..<2_500_000).map { UInt8($0 % 97) })
        try data.write(to: src)
        let path = dir.appendingPathComponent("a.tar.gz").path
        let w = try ArchiveWriter(path: path, compression: .gzip(level: 1))
        try w.add(name: "src.txt", contentsOf: src.path, size: Int64(data.count), modified: Date())
        try w.close()
        let r = try ArchiveReader(path: path)
        let m = try #require(try r.next())
        #expect(m.size == Int64(data.count))
        #expect(try r.readData(limit: 10_000_000) == [UInt8](data))
    }

    /// A file that turns out shorter than the size its header declared is an error, not a short member.
    @Test func aFileShorterThanDeclaredIsAnError() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = dir.appendingPathComponent("src.txt")
        try Data(repeating: 7, count: 200_000).write(to: src)
        let w = try ArchiveWriter(path: dir.appendingPathComponent("a.tar").path, compression: .none)
        #expect(throws: ArchiveError.self) { try w.add(name: "src.txt", contentsOf: src.path, size: 300_000, modified: Date()) }
        #expect(throws: ArchiveError.self) { try w.add(name: "gone.txt", contentsOf: dir.path + "/gone", size: 1, modified: Date()) }
    }

    @Test func readLimitIsEnforced() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.tar").path
        let w = try ArchiveWriter(path: path, compression: .none)
        try w.add(name: "x", bytes: [UInt8](repeating: 1, count: 5000), modified: Date())
        try w.close()
        let r = try ArchiveReader(path: path)
        _ = try r.next()
        #expect(throws: ArchiveError.self) { try r.readData(limit: 1000) }
    }
}
