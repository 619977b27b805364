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

    /// A gzip archive is a series of gzip members (`GzipMembers`, ~256 KiB of tar each) that GNU tar and
    /// gzip — readers other than libarchive — read as one archive, byte for byte.
    @Test func gzipArchivesAreMembersThatOtherReadersRead() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.tar.gz").path
        var rng = SystemRandomNumberGenerator()
        let noise = (0..<700_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let text = Array(String(repeating: "OBX|1|NM|718-7^Haemoglobin^LN||135|g/L|||||F\r", count: 40_000).utf8)
        let w = try ArchiveWriter(path: path, compression: .gzip(level: 6))
        try w.add(name: "noise.bin", bytes: noise, modified: Date())
        try w.add(name: "text.hl7", bytes: text, modified: Date())
        try w.close()

        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let headers = (0..<(file.count - 3)).filter { file[$0] == 0x1f && file[$0 + 1] == 0x8b && file[$0 + 2] == 8 }
        // ~2.5 MB of tar in members of 256 KiB: at least 9 member headers (compressed data may hold more lookalikes).
        #expect(headers.count >= 9)
        #expect(headers.first == 0)
        #expect(try Self.tarMember(path, "noise.bin") == noise)
        #expect(try Self.tarMember(path, "text.hl7") == text)
    }

    /// A member's bytes as GNU tar (through gzip) reads them.
    static func tarMember(_ archive: String, _ name: String) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/tar")
        p.arguments = ["-xzOf", archive, name]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return [UInt8](data)
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
