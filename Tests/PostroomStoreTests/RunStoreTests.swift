import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Runs: started, finished with their counts, or found crashed by the next run.
@Suite struct RunStoreTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    @Test func aRunStartsRunningAndFinishesWithItsCounts() throws {
        try t.write { w in
            try w.insertRun(id: "run1", startedAt: at(0), mode: "once")
            try w.finishRun(id: "run1", finishedAt: at(2), status: "ok", accepted: 3, rejected: 1, duplicates: 2, held: 1,
                            archivePath: "/a/run1.tar.gz")
            try w.insertRun(id: "run2", startedAt: at(5), mode: "watch")
        }
        let runs = try t.read { try $0.runs() }
        #expect(runs.map(\.id) == ["run2", "run1"])
        #expect(runs[0] == RunRecord(id: "run2", startedAt: at(5), mode: "watch", status: "running", accepted: 0, rejected: 0,
                                     duplicates: 0, held: 0))
        #expect(runs[1] == RunRecord(id: "run1", startedAt: at(0), finishedAt: at(2), mode: "once", status: "ok", accepted: 3,
                                     rejected: 1, duplicates: 2, held: 1, archivePath: "/a/run1.tar.gz"))
        #expect(try t.read { try $0.runs(limit: 1) }.map(\.id) == ["run2"])
        #expect(try t.read { try $0.runs(before: at(5)) }.map(\.id) == ["run1"])
    }

    @Test func runsLeftRunningAreMarkedCrashedAndAdopted() throws {
        try t.write { w in
            try w.insertRun(id: "dead", startedAt: at(0), mode: "once")
            try w.insertRun(id: "ok", startedAt: at(1), mode: "once")
            try w.finishRun(id: "ok", finishedAt: at(2), status: "ok", accepted: 0, rejected: 0, duplicates: 0, held: 0, archivePath: nil)
            try w.insertRun(id: "now", startedAt: at(3), mode: "once")
            try w.markStaleRunsCrashed(except: "now")
        }
        let statuses = try t.read { try $0.runs() }.map { "\($0.id)=\($0.status)" }
        #expect(statuses == ["now=running", "ok=ok", "dead=crashed"])
        #expect(try t.read { try $0.unfinishedRuns(except: "now") }.map(\.id) == ["dead"])
        try t.write { try $0.setRunArchive(id: "dead", path: "/a/dead.tar.gz") }
        #expect(try t.read { try $0.runs() }.last?.archivePath == "/a/dead.tar.gz")
    }

    @Test func theLastCleanRunRejectedNothingNotEvenPartly() throws {
        try t.write { w in
            try w.insertRun(id: "clean", startedAt: at(0), mode: "once")
            try w.finishRun(id: "clean", finishedAt: at(1), status: "ok", accepted: 1, rejected: 0, duplicates: 0, held: 0, archivePath: nil)
            try w.insertRun(id: "partial", startedAt: at(2), mode: "once")
            try w.insertDrop(sampleDrop("d1", run: "partial"))
            try w.markProcessed(dropID: "d1", outcome: .partial, format: "hl7v2", duplicateOf: nil, issues: [], ackName: nil,
                                ackBytes: nil, errorPath: nil)
            try w.finishRun(id: "partial", finishedAt: at(3), status: "ok", accepted: 1, rejected: 0, duplicates: 0, held: 0, archivePath: nil)
            try w.insertRun(id: "rejecting", startedAt: at(4), mode: "once")
            try w.finishRun(id: "rejecting", finishedAt: at(5), status: "ok", accepted: 0, rejected: 1, duplicates: 0, held: 0, archivePath: nil)
            try w.insertRun(id: "running", startedAt: at(6), mode: "once")
        }
        #expect(try t.read { try $0.lastCleanRun() }?.id == "clean")
        #expect(try t.read { try $0.dropOutcomes(runIDs: ["partial", "clean"]) } == ["partial": ["partial": 1]])
        #expect(try t.read { try $0.dropCounts(runID: "partial") }.map { "\($0.channel)/\($0.outcome)=\($0.count)" } == ["lab/partial=1"])
    }
}
