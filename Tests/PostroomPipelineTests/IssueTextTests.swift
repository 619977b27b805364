import Foundation
import PostroomArchive
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing

/// What a sender is told: why its file was refused, never where Postroom keeps its own files.
@Suite struct IssueTextTests {
    @Test func anArchiveThatCannotBeUnpackedIsRefusedWithoutNamingTheStagingFolder() throws {
        let h = try PipelineHarness()
        let staging = h.config.workFolder + "/.staging"
        // Members cannot be unpacked: the staging folder is not a folder.
        try FileManager.default.removeItem(atPath: staging)
        FileManager.default.createFile(atPath: staging, contents: Data("in the way".utf8))
        let path = h.folder.path + "/a.tar.gz"
        let w = try ArchiveWriter(path: path, compression: .gzip(level: 1))
        try w.add(name: "one.hl7", bytes: sampleORM, modified: Date())
        try w.close()
        try h.drop("a.tar.gz", [UInt8](FileManager.default.contents(atPath: path)!))
        let s = try h.pipeline.runOnce()
        #expect(s.total.rejected == 1)
        let issue = try #require(try h.drops().first?.issues.first)
        #expect(issue.code == "archive-unreadable")
        let outbox = h.config.channels[0].outbox
        let ack = try #require(try FileManager.default.contentsOfDirectory(atPath: outbox).first)
        let answer = String(decoding: FileManager.default.contents(atPath: outbox + "/" + ack) ?? Data(), as: UTF8.self)
        for text in [issue.text, answer] {
            #expect(!text.contains(".staging") && !text.contains(h.config.dataFolder) && !text.contains("/tmp"), "\(text)")
        }
        #expect(answer.contains("archive-unreadable"))
    }
}
