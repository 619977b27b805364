import Foundation
import GRDB
@testable import PostroomStore
import Testing

/// The write-ahead log is copied back by a background connection while the writer goes on, and never
/// grows past its bound.
@Suite struct WALCheckpointerTests {
    /// Many small transactions on a writer with thresholds of 16 and 64 pages: the background is asked
    /// to checkpoint, the log file stays within the inline bound plus one transaction's frames, and every
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
        #expect(checkpointer.backgroundRuns.load(ordering: .relaxed) > 0)
        // 64 pages before the inline checkpoint, plus the frames of one transaction (its rows, index and
        // interior pages), each a 4 KiB page with its 24-byte header, and the log's own header.
        let bound = (64 + 16) * (4_096 + 24) + 32
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
