import Foundation
import GRDB
@testable import PostroomStore
import Testing

/// The write-ahead log is copied back by a background connection while the writer goes on, and never
/// grows past its bound.
@Suite struct WALCheckpointerTests {
    /// Many small transactions on a writer with thresholds of 16 and 64 pages: the background copies
    /// frames back, the log file stays within the inline bound plus one transaction's frames, and every
    /// row is there when the database is opened again.
    @Test func theLogIsCopiedBackInTheBackgroundAndStaysBounded() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("db.sqlite").path
        let checkpointer = WALCheckpointer(path: path, background: 16, inline: 64)
        var largestLog = 0
        do {
            let pool = try DatabasePool(path: path)
            try pool.writeWithoutTransaction { db in
                checkpointer.install(on: db.sqliteConnection!)
                try db.execute(sql: "CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB)")
            }
            let blob = Data(repeating: 7, count: 3_000)
            for i in 0..<600 {
                // Each transaction writes four rows of a page each, at random places in the key's index.
                try pool.write { db in
                    for j in 0..<4 { try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [UUID().uuidString + "\(i).\(j)", blob]) }
                }
                largestLog = max(largestLog, Self.size(path + "-wal"))
            }
            WALCheckpointer.waitForBackground()
        }
        #expect(checkpointer.framesCopied.load(ordering: .relaxed) > 0, "the background copied frames back")
        // The inline checkpoint at 64 pages finds the checkpoint lock taken while the background copies,
        // and the next commit tries again: the log may pass 64 pages by the commits of one background
        // checkpoint, never by much (without the inline checkpoint it grows to megabytes). Allowed: four
        // times 64 pages of 4 KiB with their 24-byte frame headers, and the log's own header.
        let bound = 4 * 64 * (4_096 + 24) + 32
        #expect(largestLog > 0)
        #expect(largestLog <= bound, "the log grew to \(largestLog) bytes")
        let reopened = try DatabaseQueue(path: path)
        #expect(try reopened.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 2_400)
        #expect(try reopened.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
