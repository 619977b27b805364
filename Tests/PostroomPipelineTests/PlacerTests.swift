import Foundation
@testable import PostroomPipeline
import Synchronization
import Testing

/// The placing stages keep the order a run depends on: each group's answers before its originals, the
/// groups in the order submitted on each stage, and nothing of a group after a failure before it.
@Suite struct PlacerTests {
    struct Failed: Error {}

    /// What the stages did, in the order they did it: `a3` (group 3 answered), `p3` (placed).
    final class Journal: Sendable {
        let steps = Mutex<[String]>([])
        func note(_ s: String) { steps.withLock { $0.append(s) } }
        var all: [String] { steps.withLock { $0 } }
    }

    /// Submits `groups` groups; `failing` names the step that throws instead of noting itself.
    func submit(_ groups: Int, to placer: Placer, journal: Journal, failing: String? = nil) -> Int {
        var refused = 0
        for i in 0..<groups {
            do {
                try placer.submit(answer: {
                    if failing == "a\(i)" { throw Failed() }
                    // A stage slower than the other must not let the order slip.
                    if i % 3 == 0 { usleep(2_000) }
                    journal.note("a\(i)")
                    return i
                }, place: { answered in
                    if failing == "p\(answered)" { throw Failed() }
                    if answered % 4 == 1 { usleep(3_000) }
                    journal.note("p\(answered)")
                })
            } catch {
                refused += 1
            }
        }
        return refused
    }

    @Test func eachGroupIsAnsweredBeforeItsOriginalsArePlacedAndEachStageKeepsTheOrder() throws {
        let placer = Placer()
        let journal = Journal()
        #expect(submit(24, to: placer, journal: journal) == 0)
        try placer.drain()
        let steps = journal.all
        #expect(steps.filter { $0.hasPrefix("a") } == (0..<24).map { "a\($0)" })
        #expect(steps.filter { $0.hasPrefix("p") } == (0..<24).map { "p\($0)" })
        for i in 0..<24 {
            let a = try #require(steps.firstIndex(of: "a\(i)"))
            let p = try #require(steps.firstIndex(of: "p\(i)"))
            #expect(a < p)
        }
    }

    @Test func theStagesOverlap() throws {
        // While a group's originals are placed, the next group's answers are written: the placing of
        // group 0 waits for group 1's answer (with one stage it would wait in vain, for 5 s, and the
        // order would be a0 p0 a1 p1).
        let placer = Placer()
        let journal = Journal()
        let answered = DispatchSemaphore(value: 0)
        try placer.submit(answer: { journal.note("a0") }, place: {
            _ = answered.wait(timeout: .now() + 5)
            journal.note("p0")
        })
        try placer.submit(answer: { journal.note("a1"); answered.signal() }, place: { journal.note("p1") })
        try placer.drain()
        #expect(journal.all == ["a0", "a1", "p0", "p1"])
    }

    @Test func aFailedAnswerStopsItsGroupAndEveryLaterOne() {
        let placer = Placer()
        let journal = Journal()
        _ = submit(12, to: placer, journal: journal, failing: "a5")
        #expect(throws: Failed.self) { try placer.drain() }
        let steps = journal.all
        #expect(steps.filter { $0.hasPrefix("a") } == (0..<5).map { "a\($0)" })
        // Earlier groups are placed in order until the failure is known (the rest stay for the next
        // run's recovery); none of the failed group or after it.
        let placed = steps.filter { $0.hasPrefix("p") }
        #expect(placed == (0..<placed.count).map { "p\($0)" })
        #expect(placed.count <= 5)
        // Once it is known, submitting more is refused.
        #expect(submit(1, to: placer, journal: journal) == 1)
    }

    @Test func aFailedPlacingStopsEveryLaterPlacing() {
        let placer = Placer()
        let journal = Journal()
        _ = submit(12, to: placer, journal: journal, failing: "p4")
        #expect(throws: Failed.self) { try placer.drain() }
        let steps = journal.all
        #expect(steps.filter { $0.hasPrefix("p") } == (0..<4).map { "p\($0)" })
        // Later groups may have been answered meanwhile (their answers are rewritten by the next run's
        // recovery), in order, but none of them placed.
        let answered = steps.filter { $0.hasPrefix("a") }
        #expect(answered == (0..<answered.count).map { "a\($0)" })
        #expect(answered.count >= 5)
    }
}
