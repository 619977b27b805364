import Foundation
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing

@Suite struct ApplierTests {
    @Test func aNewRequestOnAPlacerChannelGetsARequestedTask() throws {
        let h = try WorkflowHarness()
        let r = try h.apply(Facts.message(requests: [Facts.request("ORD1")]))
        #expect(r.disposition == .accepted)
        let (requests, tasks) = try h.read { (try $0.requests(openOnly: false), try $0.tasks()) }
        #expect(requests.count == 1)
        let task = try #require(tasks.first)
        #expect(task.status == .requested)
        #expect(task.focusRequestID == requests[0].id)
        let history = try h.read { try $0.taskHistory(taskID: task.id) }
        #expect(history.map(\.to) == ["requested"])
        #expect(history[0].messageID == "m1")
        let json = try #require(try h.read { try $0.resource(type: "Task", id: task.id) })
        #expect(json["focus"]?["reference"]?.string == "ServiceRequest/" + requests[0].id)
        #expect(json["status"]?.string == "requested")
    }

    @Test func aFillerChannelStoresRequestsWithoutCreatingTasks() throws {
        let h = try WorkflowHarness(role: .filler)
        try h.apply(Facts.message(requests: [Facts.request("ORD1")]))
        #expect(try h.read { try $0.tasks() }.isEmpty)
    }

    @Test func aFinalReportLinksAndCompletesTheTaskThroughTheImpliedSteps() throws {
        let h = try WorkflowHarness()
        try h.apply(Facts.message(requests: [Facts.request("ORD1")]))
        let r = try h.apply(Facts.message(reports: [Facts.report("ORD1")]))
        #expect(r.disposition == .accepted)
        let report = try #require(try h.read { try $0.reports().first })
        #expect(report.state == .linked)
        let task = try #require(try h.read { try $0.tasks().first })
        #expect(task.status == .completed)
        let history = try h.read { try $0.taskHistory(taskID: task.id) }
        #expect(history.map(\.to) == ["requested", "accepted", "in-progress", "completed"])
        #expect(history.dropFirst().allSatisfy { $0.messageID == "m2" })
        let taskJSON = try #require(try h.read { try $0.resource(type: "Task", id: task.id) })
        #expect(taskJSON["output"]?[0]?["valueReference"]?["reference"]?.string == "DiagnosticReport/" + report.id)
        let dr = try #require(try h.read { try $0.resource(type: "DiagnosticReport", id: report.id) })
        #expect(dr["basedOn"]?[0]?["reference"]?.string == "ServiceRequest/" + report.requestID!)
        // The report points at its stored observation.
        let obsRef = try #require(dr["result"]?[0]?["reference"]?.string)
        #expect(try h.read { try $0.hasResource(type: "Observation", id: String(obsRef.dropFirst("Observation/".count))) })
    }

    @Test func aReportBeforeItsRequestIsHeldThenLinkedWhenTheRequestArrives() throws {
        let h = try WorkflowHarness()
        let first = try h.apply(Facts.message(reports: [Facts.report("ORD7")]))
        #expect(first.disposition == .held)
        #expect(try h.read { try $0.reports(state: .held) }.count == 1)
        let second = try h.apply(Facts.message(requests: [Facts.request("ORD7")]))
        #expect(second.disposition == .accepted)
        #expect(second.issues.contains { $0.code == "held-report-linked" })
        #expect(try h.read { try $0.reports(state: .held) }.isEmpty)
        #expect(try h.read { try $0.reports(state: .linked) }.count == 1)
        #expect(try h.read { try $0.tasks().first?.status } == .completed)
    }

    @Test func aReportForAnotherPatientIsRejectedAndNothingIsStored() throws {
        let h = try WorkflowHarness()
        try h.apply(Facts.message(patient: Facts.alice, requests: [Facts.request("ORD1")]))
        let r = try h.apply(Facts.message(patient: Facts.bob, reports: [Facts.report("ORD1")]))
        #expect(r.disposition == .rejected)
        #expect(r.issues.contains { $0.code == "patient-mismatch" })
        #expect(try h.read { try $0.reports() }.isEmpty)
        #expect(try h.read { try $0.resourceCounts() }.contains { $0.type == "Observation" } == false)
        #expect(try h.read { try $0.tasks().first?.status } == .requested)
    }

    @Test func aHeldReportForAnotherPatientStaysWithTheOperator() throws {
        let h = try WorkflowHarness()
        try h.apply(Facts.message(patient: Facts.bob, reports: [Facts.report("ORD9")]))
        let r = try h.apply(Facts.message(patient: Facts.alice, requests: [Facts.request("ORD9")]))
        #expect(r.disposition == .accepted)
        #expect(r.issues.contains { $0.code == "patient-mismatch" })
        #expect(try h.read { try $0.reports(state: .mismatch) }.count == 1)
        #expect(try h.read { try $0.tasks().first?.status } == .requested)
    }

    @Test func aCorrectionIsANewVersionOfTheSameReportAndDoesNotReopenTheTask() throws {
        let h = try WorkflowHarness()
        try h.apply(Facts.message(requests: [Facts.request("ORD1")]))
        try h.apply(Facts.message(reports: [Facts.report("ORD1", status: "final")]))
        let r = try h.apply(Facts.message(reports: [Facts.report("ORD1", status: "corrected")]))
        #expect(r.disposition == .accepted)
        let reports = try h.read { try $0.reports() }
        #expect(reports.count == 1)
        #expect(reports[0].version == 2)
        #expect(reports[0].status == "corrected")
        #expect(try h.read { try $0.resourceHistory(type: "DiagnosticReport", id: reports[0].id) }.count == 2)
        #expect(try h.read { try $0.tasks().first?.status } == .completed)
    }

    @Test func aPreliminaryAfterAFinalDoesNotOverwriteIt() throws {
        let h = try WorkflowHarness()
        try h.apply(Facts.message(requests: [Facts.request("ORD1")]))
        try h.apply(Facts.message(reports: [Facts.report("ORD1", status: "final")]))
        let r = try h.apply(Facts.message(reports: [Facts.report("ORD1", status: "preliminary")]))
        #expect(r.issues.contains { $0.code == "report-status-regression" })
        #expect(try h.read { try $0.reports().first?.status } == "final")
    }

    @Test func cancellingBeforeWorkStartsCancelsAndAfterItFails() throws {
        let h = try WorkflowHarness()
        try h.apply(Facts.message(requests: [Facts.request("A")]))
        try h.apply(Facts.message(requests: [Facts.request("A", event: .cancelled(reason: "duplicate order"))]))
        try h.apply(Facts.message(requests: [Facts.request("B")]))
        try h.apply(Facts.message(requests: [Facts.request("B", event: .inProgress)]))
        try h.apply(Facts.message(requests: [Facts.request("B", event: .cancelled(reason: nil))]))
        let statuses = try h.read { r in try r.requests(openOnly: false).map { try r.tasks(focusRequestID: $0.id).first!.status } }
        #expect(Set(statuses) == [.cancelled, .failed])
    }

    @Test func anEventForAnUnknownRequestIsRejected() throws {
        let h = try WorkflowHarness()
        let r = try h.apply(Facts.message(requests: [Facts.request("NOPE", event: .accepted)]))
        #expect(r.disposition == .rejected)
        #expect(r.issues.contains { $0.code == "request-not-found" })
    }

    @Test func taskFilesMoveByTheStateMachineAndInvalidMovesAreRefused() throws {
        let h = try WorkflowHarness(role: .filler)
        func task(_ status: String) -> TaskFacts {
            TaskFacts(resource: .object(JSONObject(["resourceType": "Task", "id": "t1", "status": .string(status), "intent": "order"])),
                      keys: ["id|urn:test|t1"], status: status)
        }
        #expect(try h.apply(Facts.message(tasks: [task("requested")])).disposition == .accepted)
        #expect(try h.apply(Facts.message(tasks: [task("accepted")])).disposition == .accepted)
        let refused = try h.apply(Facts.message(tasks: [task("requested")]))
        #expect(refused.disposition == .rejected)
        #expect(refused.issues.contains { $0.code == "task-invalid-transition" && $0.type == "business-rule" })
        let stored = try #require(try h.read { try $0.tasks().first })
        #expect(stored.status == .accepted)
        #expect(try h.read { try $0.taskHistory(taskID: stored.id) }.map(\.to) == ["requested", "accepted"])
    }

    @Test func aPatientNamedAgainWithTheSameDetailsIsNotANewVersion() throws {
        let h = try WorkflowHarness()
        func patient(_ family: String) -> PatientFacts {
            PatientFacts(nhsNumber: "9990000018", resource: .object(JSONObject([
                "resourceType": "Patient", "name": [["family": .string(family)]],
            ])))
        }
        try h.apply(Facts.message(patient: patient("SMITH"), requests: [Facts.request("A")]))
        try h.apply(Facts.message(patient: patient("SMITH"), requests: [Facts.request("B")]))
        let id = try #require(try h.read { try $0.resourceIDs(type: "Patient") }.first)
        #expect(try h.read { try $0.resourceHistory(type: "Patient", id: id) }.count == 1)
        try h.apply(Facts.message(patient: patient("JONES"), requests: [Facts.request("C")]))
        #expect(try h.read { try $0.resourceHistory(type: "Patient", id: id) }.count == 2)
    }
}
