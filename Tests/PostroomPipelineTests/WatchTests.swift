import Foundation
import Logging
import PostroomCore
@testable import PostroomPipeline
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@Suite struct WatchTests {
    @Test func watchTakesNewDropsAndStopsGracefullyReleasingTheLock() async throws {
        let h = try PipelineHarness()
        let watcher = PipelineWatcher(pipeline: h.pipeline, interval: .milliseconds(50), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await watcher.run() }
                try h.drop("a.hl7", sampleORM)
                for _ in 0..<100 where (try h.drops().first?.state) != .done {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(try h.drops().first?.state == .done)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        // The lock is released: another pipeline can open the data folder.
        let again = try Pipeline(config: h.config, logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        again.close()
    }

    @Test func aStopRequestEndsTheRunAfterTheGroupsInHand() throws {
        let h = try PipelineHarness()
        for i in 0..<10 {
            try h.drop(String(format: "m%02d.hl7", i), Array(String(decoding: sampleORM, as: UTF8.self).replacingOccurrences(of: "C1", with: "C\(i)").utf8))
        }
        let stop = h.pipeline.stop
        let s = try h.pipeline.runOnce { done, _ in if done >= 4 { stop.set() } }
        // The first group of 4, and the second, claimed while the first was settled (`ClaimAhead`): drops in
        // hand are finished; the third group is not claimed.
        #expect(s.total.accepted == 8)
        #expect(h.inboxNames().count == 2)
        #expect(try h.drops().allSatisfy { $0.state == .done })
    }

    @Test func anInboxThatDisappearsDoesNotStopWatchAndIsTakenAgainWhenItReturns() async throws {
        let h = try PipelineHarness()
        let watcher = PipelineWatcher(pipeline: h.pipeline, interval: .milliseconds(50), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                // The share goes away…
                try FileManager.default.removeItem(atPath: h.inbox)
                group.addTask { try await watcher.run() }
                try await Task.sleep(for: .milliseconds(300))
                // …and comes back with a file in it.
                try FileManager.default.createDirectory(atPath: h.inbox, withIntermediateDirectories: true)
                try h.drop("late.hl7", sampleORM)
                for _ in 0..<100 where (try h.drops().first?.state) != .done {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(try h.drops().first?.state == .done)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}
