import Foundation
import GRDB
import PostroomCore
@testable import PostroomStore
import Testing

/// Prune removes finished intake records and superseded versions older than the cutoff, and keeps
/// work in flight, current resources, workflow state, Task history and the audit trail.
@Suite struct PruneTests {
    let t: TempStore
    let cutoff = at(100)

    init() throws {
        t = try TempStore()
        try t.write { w in
            for (id, time, done) in [("old", at(0), true), ("inflight", at(0), false), ("new", at(150), true)] {
                try w.insertDrop(sampleDrop(id, receivedAt: time))
                try w.insertMessage(sampleMessage("m-\(id)", drop: id))
                try w.insertDedupeKeys(["k-\(id)", "k2-\(id)"], messageID: "m-\(id)", dropID: id)
                if done { try w.markErrored(dropID: id) }
            }
            try w.insertRun(id: "old-run", startedAt: at(0), mode: "once")
            try w.finishRun(id: "old-run", finishedAt: at(1), status: "ok", accepted: 1, rejected: 0, duplicates: 0, held: 0, archivePath: nil)
            try w.insertRun(id: "old-running", startedAt: at(0), mode: "watch")
            try w.insertRun(id: "new-run", startedAt: at(150), mode: "once")
            for (i, time) in [at(0), at(10), at(200)].enumerated() {
                try w.putResource(type: "Task", id: "t1", resource: json(#"{"status":"s\#(i)"}"#), messageID: nil, at: time)
            }
            try w.putResource(type: "Patient", id: "p1", resource: json("{}"), messageID: nil, at: at(0))
            try w.insertRequest(sampleRequest("r1"), keys: ["plac|LAB|P1"])
            try w.insertTask(sampleTask("t1", focus: "r1"), keys: [])
            try w.appendTaskHistory(TaskTransition(taskID: "t1", to: "requested", at: at(0), messageID: "m-old", reason: "new"))
            try w.audit(at: at(0), actor: "ops", action: "test", target: "x", detail: nil)
        }
    }

    @Test func prunedCountsSayWhatWasRemoved() throws {
        let c = try t.write { try $0.prune(before: cutoff) }
        var expected = PruneCounts()
        expected.drops = 1
        expected.messages = 1
        expected.dedupeKeys = 2
        expected.runs = 1
        expected.resourceVersions = 2
        #expect(c == expected)
        #expect(try t.write { try $0.prune(before: cutoff) } == PruneCounts(), "a second prune finds nothing")
    }

    @Test func finishedOldIntakeGoesWorkInFlightAndNewerStay() throws {
        _ = try t.write { try $0.prune(before: cutoff) }
        #expect(try t.read { try $0.drop(id: "old") } == nil)
        #expect(try t.read { try $0.messages(dropID: "old") }.isEmpty)
        #expect(try t.read { try $0.hasDedupeKey("k-old") } == false)
        for id in ["inflight", "new"] {
            #expect(try t.read { try $0.drop(id: id) } != nil)
            #expect(try t.read { try $0.messages(dropID: id) }.map(\.id) == ["m-\(id)"])
            #expect(try t.read { try $0.hasDedupeKey("k-\(id)") })
        }
        #expect(try t.read { try $0.runs() }.map(\.id).sorted() == ["new-run", "old-running"])
    }

    @Test func currentResourcesAndWorkflowStateAreKept() throws {
        _ = try t.write { try $0.prune(before: cutoff) }
        #expect(try t.read { try $0.resourceVersions(type: "Task", id: "t1") }.map(\.version) == [3])
        #expect(try t.read { try $0.resource(type: "Task", id: "t1") }?["status"]?.string == "s2")
        #expect(try t.read { try $0.resourceVersions(type: "Patient", id: "p1") }.map(\.version) == [1], "an old current version stays")
        #expect(try t.read { try $0.request(id: "r1") } != nil)
        #expect(try t.read { try $0.requestMatches(keys: ["plac|LAB|P1"]) }.map(\.request.id) == ["r1"])
        #expect(try t.read { try $0.task(id: "t1") } != nil)
        #expect(try t.read { try $0.taskHistory(taskID: "t1") }.count == 1)
        #expect(try t.read { try $0.auditTrail() }.count == 1)
    }

    /// Routed files (patient data) go with their pruned drop once written; unwritten ones stay to be
    /// sent. Finished reprocess requests go; pending ones stay. A run with a drop left keeps its record.
    @Test func sentFilesFinishedRequestsAndRunsWithoutDropsGo() throws {
        try t.write { w in
            try w.insertRun(id: "old-run-with-new-drop", startedAt: at(0), mode: "watch")
            try w.finishRun(id: "old-run-with-new-drop", finishedAt: at(500), status: "ok", accepted: 1, rejected: 0, duplicates: 0,
                            held: 0, archivePath: nil)
            try w.insertDrop(sampleDrop("late", run: "old-run-with-new-drop", receivedAt: at(160)))
            try w.markErrored(dropID: "late")
            try w.queueOutbound(dropID: "old", channel: "lab", name: "sent.json", bytes: [1])
            try w.queueOutbound(dropID: "old", channel: "lab", name: "unsent.json", bytes: [2])
            try w.queueOutbound(dropID: "new", channel: "lab", name: "new.json", bytes: [3])
        }
        let sent = try t.read { try $0.pendingOutbound() }.filter { $0.name != "unsent.json" }.map(\.seq)
        try t.write { w in
            try w.markOutboundWritten(sent)
            let done = try w.requestReprocess(dropID: "old", actor: "ops", at: at(0))
            try w.finishReprocessRequest(seq: done, state: "done", result: nil)
            _ = try w.requestReprocess(dropID: "old", actor: "ops", at: at(1))
            _ = try w.requestReprocess(dropID: "new", actor: "ops", at: at(150))
        }
        let c = try t.write { try $0.prune(before: cutoff) }
        #expect(c.outbound == 1 && c.reprocessRequests == 1, "\(c)")
        #expect(try t.read { try $0.pendingOutbound() }.map(\.name) == ["unsent.json"])
        #expect(try t.read { try $0.pendingReprocessRequests() }.count == 2)
        #expect(try t.read { try $0.runs() }.map(\.id).sorted() == ["new-run", "old-run-with-new-drop", "old-running"])
    }

    @Test func aSupersededVersionNewerThanTheCutoffStays() throws {
        try t.write { try $0.putResource(type: "Patient", id: "p1", resource: json(#"{"gender":"male"}"#), messageID: nil, at: at(300)) }
        try t.write { try $0.putResource(type: "Patient", id: "p1", resource: json(#"{"gender":"female"}"#), messageID: nil, at: at(400)) }
        _ = try t.write { try $0.prune(before: at(250)) }
        #expect(try t.read { try $0.resourceVersions(type: "Patient", id: "p1") }.map(\.version) == [3, 2])
    }

    @Test func vacuumKeepsTheData() throws {
        _ = try t.write { try $0.prune(before: cutoff) }
        try t.store.vacuum()
        #expect(try t.read { try $0.drop(id: "new") }?.id == "new")
    }
}
