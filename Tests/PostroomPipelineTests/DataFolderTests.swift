import Foundation
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing

/// A watcher lives long: folders of the data folder removed while it runs are made again by its next
/// run, and errors that reach the log name no file.
@Suite struct DataFolderTests {
    @Test func workAndErrorFoldersRemovedBetweenRunsAreMadeAgain() throws {
        let h = try PipelineHarness()
        try h.drop("first.hl7", OneInputTests.orm(1))
        #expect(try h.pipeline.runOnce().total.accepted == 1)
        for dir in [h.config.workFolder + "/in", h.config.errorFolder + "/in", h.config.workFolder + "/.staging"] {
            try FileManager.default.removeItem(atPath: dir)
        }
        try h.drop("second.hl7", OneInputTests.orm(2))
        try h.drop("bad.hl7", Array("not a message".utf8))
        let s = try h.pipeline.runOnce()
        #expect(s.total.accepted == 1 && s.total.rejected == 1, "\(s.channels)")
        #expect(s.unplaced.isEmpty, "\(s.unplaced)")
        #expect(h.inboxNames().isEmpty)
        #expect(OneInputTests.names(h.config.errorFolder + "/in").count == 2)
        #expect(try h.drops().allSatisfy { $0.state == .done })
    }

    @Test func aFileSystemErrorIsLoggedWithoutTheFileName() throws {
        let h = try PipelineHarness()
        let missing = h.inbox + "/JONES_MARY_9434765919.hl7"
        do {
            try FileSystem.rename(missing, h.config.workFolder + "/in/x")
            Issue.record("renaming a missing file succeeded")
        } catch {
            let logged = LogRedaction.describe(error)
            #expect(!logged.contains("JONES") && !logged.contains("9434765919"), "\(logged)")
            #expect(logged.contains(h.inbox) || logged.contains("<name #"), "\(logged)")
            // The operator's own message (not a log) may still name it.
            #expect("\(error)".contains("JONES"))
        }
    }
}
