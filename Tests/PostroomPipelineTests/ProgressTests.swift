import Synchronization
@testable import PostroomPipeline
import Testing

/// Progress is reported to a callback given to `runOnce` (no shared mutable property on the Pipeline).
@Suite struct ProgressTests {
    @Test func eachGroupReportsDropsDoneOfDropsSeen() throws {
        let h = try PipelineHarness()
        for n in 1...10 { try h.drop("p-\(n).hl7", OneInputTests.orm(n)) }
        let calls = Mutex<[[Int]]>([])
        let s = try h.pipeline.runOnce { done, seen in calls.withLock { $0.append([done, seen]) } }
        #expect(s.total.accepted == 10)
        let seen = calls.withLock { $0 }
        // groupSize 4: three groups of 4, 4 and 2 drops.
        #expect(seen == [[4, 10], [8, 10], [10, 10]])
        // A run without a callback reports nowhere and still runs.
        try h.drop("p-11.hl7", OneInputTests.orm(11))
        #expect(try h.pipeline.runOnce().total.accepted == 1)
        #expect(calls.withLock { $0.count } == 3)
    }
}
