import Testing
@testable import PostroomCore

/// The EPS workflow's decisions (DOMAIN.md §5.4) as values, and what the FHIR mapper reads from
/// NHS England's own examples.
@Suite struct PrescriptionPlannerTests {
    typealias P = PrescriptionPlanner
    let machine = P.machine(.nhs)

    func plan(_ o: P.Outcome) -> P.Plan? {
        if case .plan(let p) = o { return p }
        return nil
    }

    func refusal(_ o: P.Outcome) -> String? {
        if case .refused(let i) = o { return i.code }
        return nil
    }

    @Test func aNewPrescriptionIsRequestedOnlyWhenAPharmacyIsNominated() {
        #expect(P.start(nominated: "FA565") == .requested)
        #expect(P.start(nominated: nil) == .ready)
    }

    @Test func releaseAcceptsForTheDispenserOnce() throws {
        let fromReady = try #require(plan(P.release(.init(status: .ready, dispenser: nil), to: "VNE51", machine: machine)))
        #expect(fromReady.path == [.accepted] && fromReady.businessStatus == .withDispenser && fromReady.dispenser == "VNE51")
        #expect(plan(P.release(.init(status: .requested, dispenser: nil), to: "FA565", machine: machine))?.path == [.accepted])
        #expect(refusal(P.release(.init(status: .accepted, dispenser: "VNE51"), to: "FA565", machine: machine)) == "prescription-not-with-dispenser")
        #expect(refusal(P.release(.init(status: .accepted, dispenser: "VNE51"), to: "VNE51", machine: machine)) == "prescription-state")
        #expect(refusal(P.release(.init(status: .cancelled, dispenser: nil), to: "VNE51", machine: machine)) == "prescription-state")
        // The core machine alone has no ready → accepted: the EPS edges are what allow it.
        #expect(refusal(P.release(.init(status: .ready, dispenser: nil), to: "VNE51", machine: .core)) == "task-invalid-transition")
    }

    @Test func dispensingMovesToInProgressThenCompleted() throws {
        let held = P.State(status: .accepted, dispenser: "VNE51")
        let partial = try #require(plan(P.dispense(held, sender: "VNE51", allDone: false, replacement: false, machine: machine)))
        #expect(partial.path == [.inProgress] && partial.businessStatus == .withDispenserActive && partial.itemStatus == nil)
        let all = try #require(plan(P.dispense(held, sender: "VNE51", allDone: true, replacement: false, machine: machine)))
        #expect(all.path == [.inProgress, .completed] && all.businessStatus == .dispensed && all.itemStatus == "completed")
        #expect(all.notes.map(\.code) == ["prescription-dispensed"])
        #expect(refusal(P.dispense(held, sender: "FA565", allDone: true, replacement: false, machine: machine)) == "prescription-not-with-dispenser")
        #expect(refusal(P.dispense(.init(status: .ready, dispenser: nil), sender: "VNE51", allDone: true, replacement: false,
                                   machine: machine)) == "prescription-state")
        let done = P.State(status: .completed, dispenser: "VNE51")
        #expect(refusal(P.dispense(done, sender: "VNE51", allDone: true, replacement: false, machine: machine)) == "prescription-state")
        // A replacement may reopen a completed prescription.
        let reopened = try #require(plan(P.dispense(done, sender: "VNE51", allDone: false, replacement: true, machine: machine)))
        #expect(reopened.path == [.inProgress] && reopened.itemStatus == "active")
    }

    @Test func finishingTypesDecideWhenEveryItemIsDone() {
        #expect(P.allDispensed(items: ["a", "b"], dispensed: ["a": ["0001"], "b": ["0003", "0001"]]))
        #expect(!P.allDispensed(items: ["a", "b"], dispensed: ["a": ["0001"], "b": ["0003"]]))
        #expect(!P.allDispensed(items: ["a", "b"], dispensed: ["a": ["0001"]]))
        #expect(P.allDispensed(items: ["a"], dispensed: ["a": ["0005"]]))
        #expect(!P.allDispensed(items: ["a"], dispensed: ["a": ["0004"]]))
        #expect(!P.allDispensed(items: [], dispensed: [:]))
    }

    @Test func cancellationDependsOnWhetherADispenserHasIt() throws {
        let before = try #require(plan(P.cancel(.init(status: .requested, dispenser: nil), reason: "Prescribing error", machine: machine)))
        #expect(before.path == [.cancelled] && before.businessStatus == .cancelled && before.itemStatus == "cancelled")
        #expect(before.notes.map(\.code) == ["prescription-cancelled"] && before.statusReason == "Prescribing error")
        let during = try #require(plan(P.cancel(.init(status: .inProgress, dispenser: "VNE51"), reason: nil, machine: machine)))
        #expect(during.path == [.failed] && during.dispenser == "VNE51" && during.itemStatus == nil)
        #expect(during.notes.map(\.code) == ["prescription-cancel-pending"])
        #expect(plan(P.cancel(.init(status: .accepted, dispenser: "VNE51"), reason: nil, machine: machine))?.path == [.failed])
        #expect(refusal(P.cancel(.init(status: .completed, dispenser: "VNE51"), reason: nil, machine: machine)) == "prescription-state")
    }

    @Test func aReturnGoesBackToReadyOrCompletesACancellation() throws {
        let back = try #require(plan(P.returned(.init(status: .accepted, dispenser: "VNE51"), sender: "VNE51", reason: "Patient requested release",
                                                machine: machine)))
        #expect(back.path == [.rejected, .ready] && back.businessStatus == .notDispensed && back.dispenser == nil)
        let cancelled = try #require(plan(P.returned(.init(status: .failed, dispenser: "VNE51"), sender: nil, reason: nil, machine: machine)))
        #expect(cancelled.path == [.cancelled] && cancelled.businessStatus == .cancelled && cancelled.itemStatus == "cancelled")
        #expect(refusal(P.returned(.init(status: .inProgress, dispenser: "VNE51"), sender: "VNE51", reason: nil, machine: machine)) == "prescription-state")
        #expect(refusal(P.returned(.init(status: .ready, dispenser: nil), sender: "VNE51", reason: nil, machine: machine))
                == "prescription-not-with-dispenser")
    }

    @Test func aWithdrawalTakesTheTaskBackToWhatIsLeft() throws {
        let done = P.State(status: .completed, dispenser: "VNE51")
        let some = try #require(plan(P.withdraw(done, sender: "VNE51", remaining: true, allDone: false, machine: machine)))
        #expect(some.path == [.inProgress] && some.businessStatus == .withDispenserActive && some.itemStatus == "active")
        let none = try #require(plan(P.withdraw(.init(status: .inProgress, dispenser: "VNE51"), sender: "VNE51", remaining: false, allDone: false,
                                                machine: machine)))
        #expect(none.path == [.accepted] && none.businessStatus == .withDispenser)
        #expect(refusal(P.withdraw(.init(status: .accepted, dispenser: "VNE51"), sender: "VNE51", remaining: false, allDone: false,
                                   machine: machine)) == "prescription-state")
    }

    // MARK: - What the mapper reads

    func corpus(_ name: String) -> PrescriptionFacts? {
        FHIRDecoder.decode(FHIRFixtures.corpusBytes(name), options: DecodeOptions()).messages.first?.prescription
    }

    @Test func theCorpusExamplesAreReadAsTheirEvents() throws {
        let order = try #require(corpus("eps_1-Process-Request-Send-200_OK.json"))
        #expect(order.event == .order && order.prescriptionID == "24F5DA-A83008-7EFE6Z" && order.items.count == 4)
        #expect(order.nominated == "FA565" && order.sender == "A83008" && order.longID == "20ba5fb5-cb58-462c-923e-22d180b09356")
        let release = try #require(corpus("eps_1-Task-Request-Release-200_OK.json"))
        #expect(release.event == .release && release.owner == "VNE51" && release.prescriptionID == "24F5DA-A83008-7EFE6Z")
        let dispense = try #require(corpus("eps_dispense-notification_acute-primary-example-01-req.json"))
        #expect(dispense.event == .dispense && dispense.sender == "VNE51" && dispense.notificationID == "b240434e-cb85-40bb-899c-1c61410c93a7")
        #expect(dispense.dispenses.map(\.typeCode) == ["0001", "0001", "0004", "0005"])
        #expect(dispense.dispenses.compactMap(\.itemNumber) == order.items.map(\.number))
        let cancel = try #require(corpus("eps_1-Process-Request-Cancel-200_OK.json"))
        #expect(cancel.event == .cancel && cancel.items.map(\.number) == ["299c610b-f4f1-4eac-a7d7-4fb6b0556e11"])
        let back = try #require(corpus("eps_return_acute-primary-example-req.json"))
        #expect(back.event == .returned && back.reason == "Patient requested release" && back.sender == "VNE51")
        let withdraw = try #require(corpus("eps_withdraw_acute-primary-example-req.json"))
        #expect(withdraw.event == .withdraw && withdraw.owner == "VNE51" && withdraw.focusIdentifier == "a14d4fc1-82a2-4a82-aae2-50e212e7b907")
        // A response message is not a workflow event; a Task of another kind is not either.
        #expect(corpus("eps_2-Process-Response-Cancel-200_OK.json") == nil)
        #expect(corpus("r4ex_Task-example1.json") == nil)
    }
}
