import PostroomCore
import Testing

/// The planner's table of cases: which request a result answers, the patient guard, hold or link.
@Suite struct ReportPlannerTests {
    let jane: Set<String> = ["nhs|9990000018"]
    let arun: Set<String> = ["nhs|9990000026"]

    func plan(_ patient: Set<String>, existing: ReportPlanner.Stored? = nil, replaces: ReportPlanner.Replaced? = nil, names: Bool = true,
              _ candidates: [(String, String, Set<String>)] = []) -> ReportPlanner.Plan {
        ReportPlanner.plan(.init(patientKeys: patient, existing: existing, replaces: replaces, namesRequests: names,
                                 candidates: candidates.map { ($0.0, Correlator.Candidate(requestID: $0.1, patientKeys: $0.2)) }))
    }

    @Test func linksTheOneRequestForTheSamePatientByTheKeyThatMatched() {
        #expect(plan(jane, [("ns|EPR|1", "r1", jane)]) == .link(requestID: "r1", via: "ns|EPR|1"))
    }

    @Test func holdsWhenNothingMatches() { #expect(plan(jane) == .hold) }

    @Test func refusesAnotherPatientsRequest() {
        guard case .refuse(let issue) = plan(arun, [("ns|EPR|1", "r1", jane)]) else { Issue.record("expected a refusal"); return }
        #expect(issue.code == "patient-mismatch")
    }

    @Test func refusesTwoRequests() {
        guard case .refuse(let issue) = plan(jane, [("a", "r1", jane), ("b", "r2", jane)]) else { Issue.record("expected a refusal"); return }
        #expect(issue.code == "multiple-requests-match")
    }

    @Test func aNewVersionStaysWithItsRequestUnlessThePatientChanged() {
        #expect(plan(jane, existing: .init(patientKeys: jane, requestID: "r1"), [("a", "r2", jane)]) == .keep(requestID: "r1"))
        guard case .refuse(let issue) = plan(arun, existing: .init(patientKeys: jane, requestID: "r1")) else { Issue.record("expected"); return }
        #expect(issue.code == "patient-mismatch")
    }

    @Test func aReplacementWaitsForItsParentThenInheritsItsRequest() {
        #expect(plan(jane, replaces: .init(identity: "cda|1", stored: nil), names: false) == .awaitParent(identity: "cda|1"))
        #expect(plan(jane, replaces: .init(identity: "cda|1", stored: .init(patientKeys: jane, requestID: "r1")), names: false)
                == .link(requestID: "r1", via: "replaces|cda|1"))
        guard case .refuse = plan(arun, replaces: .init(identity: "cda|1", stored: .init(patientKeys: jane, requestID: "r1")), names: false)
        else { Issue.record("expected a refusal"); return }
    }

    @Test func aHeldResultMeetingAnotherPatientsRequestIsRefusedNotLeftWaiting() {
        guard case .refuse(let issue) = ReportPlanner.release(heldPatient: arun, request: .init(requestID: "r1", patientKeys: jane))
        else { Issue.record("expected a refusal"); return }
        #expect(issue.code == "patient-mismatch")
        #expect(ReportPlanner.release(heldPatient: jane, request: .init(requestID: "r1", patientKeys: jane)) == .link(requestID: "r1", via: ""))
    }
}

/// Which Task moves where.
@Suite struct TaskPlannerTests {
    let machine = TaskStateMachine.core

    @Test func aFinalReportCompletesOpenTasksAlongAllowedSteps() {
        let plan = TaskPlanner.forReport(status: "final", reference: "DiagnosticReport/d", tasks: [.init(id: "t", status: .requested),
                                                                                                  .init(id: "done", status: .completed)],
                                         machine: machine, allowOpenSubtasks: false)
        guard case .steps(let steps) = plan, case .move(let id, let path, _, _, let output) = steps.first else { Issue.record("\(plan)"); return }
        #expect(steps.count == 1 && id == "t" && path.last == .completed && output == "DiagnosticReport/d")
    }

    @Test func openSubtasksKeepTheParentOpen() {
        let plan = TaskPlanner.forReport(status: "final", reference: "x", tasks: [.init(id: "t", status: .inProgress, hasOpenSubtasks: true)],
                                         machine: machine, allowOpenSubtasks: false)
        guard case .steps(let steps) = plan, case .note(let issue) = steps.first else { Issue.record("\(plan)"); return }
        #expect(issue.code == "task-open-subtasks")
    }

    @Test func cancellingAfterWorkStartedFails() {
        let plan = TaskPlanner.cancel(tasks: [.init(id: "a", status: .requested), .init(id: "b", status: .inProgress)], reason: nil, machine: machine)
        guard case .steps(let steps) = plan else { Issue.record("\(plan)"); return }
        let moves = steps.compactMap { step -> TaskStatus? in if case .move(_, let p, _, _, _) = step { return p.last } else { return nil } }
        #expect(moves == [.cancelled, .failed])
    }

    @Test func anImpossibleMoveRefusesTheMessage() {
        guard case .refused(let issue) = TaskPlanner.move(tasks: [.init(id: "a", status: .completed)], to: .requested, reason: "",
                                                          statusReason: nil, machine: machine)
        else { Issue.record("expected a refusal"); return }
        #expect(issue.code == "task-invalid-transition")
    }

    @Test func aFillerUpdateIsAddressedByItsKeysElseByTheOneOpenTaskOfItsFocus() {
        #expect(TaskPlanner.address(byKeys: "k", isSubtask: false, focusTasks: [.init(id: "f", status: .requested)]) == "k")
        #expect(TaskPlanner.address(byKeys: nil, isSubtask: false, focusTasks: [.init(id: "f", status: .requested)]) == "f")
        #expect(TaskPlanner.address(byKeys: nil, isSubtask: true, focusTasks: [.init(id: "f", status: .requested)]) == nil)
        #expect(TaskPlanner.address(byKeys: nil, isSubtask: false, focusTasks: [.init(id: "f", status: .requested), .init(id: "g", status: .accepted)]) == nil)
        #expect(TaskPlanner.address(byKeys: nil, isSubtask: false, focusTasks: [.init(id: "f", status: .completed)]) == nil)
    }
}
