import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Tasks, their keys, sub-tasks and their append-only history.
@Suite struct TaskStoreTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    @Test func aTaskIsFoundByIdKeyFocusAndParent() throws {
        try t.write { w in
            try w.insertTask(sampleTask("t1", focus: "r1", createdAt: at(0)), keys: ["id|urn:postroom:task|T1"])
            try w.insertTask(sampleTask("t2", focus: "r1", partOf: "t1", createdAt: at(1)), keys: ["id|urn:postroom:task|T1"])
            try w.addTaskKeys(["id|urn:postroom:task|T2"], taskID: "t2")
        }
        #expect(try t.read { try $0.task(id: "t1") } == sampleTask("t1", focus: "r1"))
        #expect(try t.read { try $0.task(keys: ["nope", "id|urn:postroom:task|T1"]) }?.id == "t1", "the key stays with its first Task")
        #expect(try t.read { try $0.task(keys: ["id|urn:postroom:task|T2"]) }?.id == "t2")
        #expect(try t.read { try $0.task(keys: ["nope"]) } == nil)
        #expect(try t.read { try $0.tasks(focusRequestID: "r1") }.map(\.id) == ["t1", "t2"])
        #expect(try t.read { try $0.subtasks(of: "t1") }.map(\.id) == ["t2"])
        #expect(try t.read { try $0.subtasks(of: "t2") }.isEmpty)
    }

    @Test func aTransitionUpdatesTheTaskAndAppendsHistory() throws {
        try t.write { w in
            try w.insertTask(sampleTask("t1"), keys: [])
            try w.appendTaskHistory(TaskTransition(taskID: "t1", to: "requested", at: at(0), messageID: "m1", reason: "new request"))
            var task = try #require(try w.reader.task(id: "t1"))
            task.status = .inProgress
            task.owner = "ODS1"
            task.requester = "ODS2"
            task.updatedAt = at(3)
            try w.updateTask(task)
            try w.appendTaskHistory(TaskTransition(taskID: "t1", from: "requested", to: "in-progress", at: at(3), messageID: "m2",
                                                   reason: "filler started"))
        }
        let task = try #require(try t.read { try $0.task(id: "t1") })
        #expect(task.status == .inProgress)
        #expect(task.owner == "ODS1")
        #expect(task.requester == "ODS2")
        #expect(task.updatedAt == at(3))
        #expect(task.createdAt == at(0))
        let history = try t.read { try $0.taskHistory(taskID: "t1") }
        #expect(history.map { "\($0.from ?? "-")→\($0.to)" } == ["-→requested", "requested→in-progress"])
        #expect(history.last == TaskTransition(taskID: "t1", from: "requested", to: "in-progress", at: at(3), messageID: "m2",
                                               reason: "filler started"))
        #expect(try t.read { try $0.taskHistory(messageID: "m2") }.map(\.to) == ["in-progress"])
    }

    @Test func tasksByStatusNewestFirstAndCounted() throws {
        try t.write { w in
            try w.insertTask(sampleTask("a", status: .requested, createdAt: at(0)), keys: [])
            try w.insertTask(sampleTask("b", status: .completed, createdAt: at(1)), keys: [])
            try w.insertTask(sampleTask("c", status: .requested, createdAt: at(2)), keys: [])
        }
        #expect(try t.read { try $0.tasks(status: "requested") }.map(\.id) == ["c", "a"])
        #expect(try t.read { try $0.tasks() }.map(\.id) == ["c", "b", "a"])
        #expect(try t.read { try $0.tasks(limit: 2) }.map(\.id) == ["c", "b"])
        #expect(try t.read { try $0.taskCounts() }.map { "\($0.status)=\($0.count)" } == ["completed=1", "requested=2"])
    }
}
