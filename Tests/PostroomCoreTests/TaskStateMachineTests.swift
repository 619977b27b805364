import Testing
import PostroomCore

@Suite struct TaskStateMachineTests {
    let core = TaskStateMachine.core

    @Test func allowsTheDrawnTransitions() {
        #expect(core.allows(.requested, .accepted))
        #expect(core.allows(.accepted, .inProgress))
        #expect(core.allows(.inProgress, .completed))
        #expect(core.allows(.rejected, .cancelled))
    }

    @Test func refusesCancellingStartedWork() {
        #expect(!core.allows(.inProgress, .cancelled))
        #expect(!core.allows(.onHold, .cancelled))
        #expect(core.allows(.inProgress, .failed))
    }

    @Test func terminalStatesHaveNoWayOutInTheCoreMachine() {
        for s in [TaskStatus.completed, .failed, .cancelled] {
            for t in TaskStatus.allCases where t != .enteredInError {
                #expect(!core.allows(s, t), "\(s) → \(t)")
            }
        }
    }

    @Test func enteredInErrorFromAnywhere() {
        for s in TaskStatus.allCases where s != .enteredInError {
            #expect(core.allows(s, .enteredInError))
        }
    }

    @Test func nhsProfileAddsReturnAndReassignment() {
        #expect(!core.allows(.rejected, .ready))
        #expect(TaskStateMachine.nhs.allows(.rejected, .ready))
        #expect(TaskStateMachine.nhs.allows(.inProgress, .ready))
    }

    @Test func pathWalksTheImpliedSteps() {
        #expect(core.path(from: .requested, to: .completed) == [.accepted, .inProgress, .completed])
        #expect(core.path(from: .ready, to: .completed) == [.inProgress, .completed])
        #expect(core.path(from: .completed, to: .inProgress) == nil)
        #expect(core.path(from: .accepted, to: .accepted) == [])
    }

    /// The R4 lab-order and referral walkthroughs (DOMAIN.md §2.4) are paths of the machine.
    @Test func specWalkthroughsAreAllowed() {
        let lab: [TaskStatus] = [.requested, .accepted, .inProgress, .completed]
        let referral: [TaskStatus] = [.requested, .received, .rejected]
        for walk in [lab, referral] {
            for (a, b) in zip(walk, walk.dropFirst()) { #expect(core.allows(a, b)) }
        }
    }
}
