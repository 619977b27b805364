import Foundation
import PostroomCore
import PostroomStore
import Testing

/// EPS as Postroom's broker workflow (DOMAIN.md §5.4, issue 13 item 1), through real inbox and
/// outbox folders and the real executable: one Task per prescription, routed to the nominated
/// pharmacy or the dispenser it is released to, with every status change sent to the prescriber.
@Suite struct PrescriptionWorkflowTests {
    typealias M = EPSMessages

    static func workspace() throws -> Workspace {
        let ws = try Workspace()
        try WorkflowOptionsTests.config(ws, """
            { "name": "eps", "formats": ["fhir"], "role": "broker", "completion": { "mode": "rename" }, "taskStateMachine": "nhs",
              "routes": { "FA565": "pharmacy-fa565", "VNE51": "pharmacy-vne51", "A83008": "gp" } },
            { "name": "pharmacy-fa565", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } },
            { "name": "pharmacy-vne51", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } },
            { "name": "gp", "formats": ["fhir"], "role": "placer", "completion": { "mode": "rename" } }
            """)
        return ws
    }

    /// Drops one file into the EPS channel and runs once; returns the exit code.
    @discardableResult
    static func step(_ ws: Workspace, _ name: String, _ bytes: [UInt8]) throws -> Int32 {
        try ws.drop(bytes, as: name, channel: "eps")
        return try ws.run().code
    }

    /// The answer Postroom wrote for drop `name`.
    static func answer(_ ws: Workspace, _ name: String) throws -> JSONValue {
        let file = try #require(ws.files(in: "outbox/eps").first { $0.hasPrefix(name + ".") })
        return try json(ws.read("outbox/eps/" + file))
    }

    static func issueCodes(_ answer: JSONValue) -> [String] {
        var out: [String] = []
        func walk(_ v: JSONValue) {
            if let issues = v["issue"]?.array {
                out += issues.compactMap { $0["details"]?["coding"]?[0]?["code"]?.string }
            }
            for e in v["entry"]?.array ?? [] { if let r = e["resource"] { walk(r) } }
        }
        walk(answer)
        return out
    }

    /// The prescription's Task: status, businessStatus code, owner ODS, history (to-statuses).
    static func task(_ ws: Workspace, _ rx: String) throws -> (status: String, business: String?, owner: String?, history: [TaskTransition],
                                                              resource: JSONValue) {
        let store = try ws.store()
        return try store.read { r in
            let p = try #require(try r.prescription(id: rx))
            let t = try #require(try r.task(id: p.taskID))
            let resource = try #require(try r.resource(type: "Task", id: t.id))
            return (t.status.rawValue, resource["businessStatus"]?["coding"]?[0]?["code"]?.string,
                    resource["owner"]?["identifier"]?["value"]?.string, try r.taskHistory(taskID: t.id), resource)
        }
    }

    static func itemStatuses(_ ws: Workspace, _ rx: String) throws -> [String] {
        try ws.store().read { r in
            try r.prescriptionItems(prescriptionID: rx).map { item in
                try r.resource(type: "MedicationRequest", id: item.medicationRequestID)?["status"]?.string ?? "?"
            }
        }
    }

    /// The Task files a channel's outbox holds, as (status, businessStatus).
    static func taskFiles(_ ws: Workspace, _ channel: String) throws -> [(String, String)] {
        try ws.files(in: "outbox/" + channel).filter { $0.hasPrefix("Task-") }.map { name in
            let t = try json(ws.read("outbox/\(channel)/\(name)"))
            return (t["status"]?.string ?? "", t["businessStatus"]?["coding"]?[0]?["code"]?.string ?? "")
        }.sorted { $0.1 < $1.1 }
    }

    @Test func nominatedPrescriptionIsReleasedDispensedInPartThenCompleted() throws {
        let ws = try Self.workspace()
        let rx = M.prescriptionID("A1B2C3", sequence: "00001")
        let items = [M.uuid(1, 0x17e1), M.uuid(2, 0x17e1)]
        #expect(try Self.step(ws, "01-order.json", M.order(rx, items: items, nominated: "FA565", id: M.uuid(1, 0x0e))) == 0)
        var t = try Self.task(ws, rx)
        #expect(t.status == "requested" && t.business == "0001" && t.owner == "FA565")
        #expect(try Self.itemStatuses(ws, rx) == ["active", "active"])
        // The nominated pharmacy gets the Task; the prescriber hears nothing yet.
        #expect(try Self.taskFiles(ws, "pharmacy-fa565").map(\.0) == ["requested"])
        #expect(try Self.taskFiles(ws, "gp").isEmpty)
        #expect(Self.issueCodes(try Self.answer(ws, "01-order.json")).contains("task-routed"))

        #expect(try Self.step(ws, "02-release.json", M.release(rx, owner: "FA565")) == 0)
        t = try Self.task(ws, rx)
        #expect(t.status == "accepted" && t.business == "0002" && t.owner == "FA565")

        let first = M.uuid(1, 0xd0)
        #expect(try Self.step(ws, "03-dispense-partial.json", M.dispense(rx, [(items[0], "0001"), (items[1], "0003")], sender: "FA565", id: first)) == 0)
        t = try Self.task(ws, rx)
        #expect(t.status == "in-progress" && t.business == "0003")
        #expect(try Self.itemStatuses(ws, rx) == ["active", "active"])

        #expect(try Self.step(ws, "04-dispense-final.json", M.dispense(rx, [(items[1], "0001")], sender: "FA565", id: M.uuid(2, 0xd0))) == 0)
        t = try Self.task(ws, rx)
        #expect(t.status == "completed" && t.business == "0006")
        #expect(try Self.itemStatuses(ws, rx) == ["completed", "completed"])
        #expect(Self.issueCodes(try Self.answer(ws, "04-dispense-final.json")).contains("prescription-dispensed"))
        #expect(t.history.map(\.to) == ["requested", "accepted", "in-progress", "completed"])
        #expect(Set(t.history.compactMap(\.messageID)).count == 4)

        // Three MedicationDispenses, each linked to its item's stored MedicationRequest.
        let store = try ws.store()
        let linked = try store.read { r -> [String] in
            let mrs = Set(try r.prescriptionItems(prescriptionID: rx).map { "MedicationRequest/" + $0.medicationRequestID })
            return try r.resourceIDs(type: "MedicationDispense").compactMap { id in
                try r.resource(type: "MedicationDispense", id: id)?["authorizingPrescription"]?.array?
                    .compactMap { $0["reference"]?.string }.first(where: mrs.contains)
            }
        }
        #expect(linked.count == 3)
        // The prescriber heard of each status change; the pharmacy has every version too.
        #expect(try Self.taskFiles(ws, "gp").map(\.1) == ["0002", "0003", "0006"])
        #expect(try Self.taskFiles(ws, "pharmacy-fa565").count == 4)
        // `show` of the final dispense names the step and the message behind it.
        let drop = try #require(try store.read { try $0.drops(limit: 20) }.first { $0.name == "04-dispense-final.json" })
        let shown = try ws.postroom(["show", drop.id, "--config", ws.config])
        #expect(shown.stdout.contains("in-progress → completed  by message \(drop.id).0"), "\(shown.stdout)")
        #expect(shown.stdout.contains("prescription \(rx)  businessStatus 0006  items 2/2 completed  dispense notifications 2  with dispenser FA565"))
        // `requests` lists the prescription with its Task, items and notifications; `--open` no longer does.
        let listed = try #require(try json(Array(ws.postroom(["requests", "--config", ws.config, "--json"]).stdout.utf8)).array)
        let entry = try #require(listed.first { $0["prescription"]?.string == rx })
        #expect(entry["tasks"]?[0]?["status"]?.string == "completed" && entry["businessStatus"]?.string == "0006")
        #expect(entry["items"]?.array?.compactMap { $0["status"]?.string } == ["completed", "completed"])
        #expect(entry["dispenseNotifications"]?.array?.count == 2)
        let open = try #require(try json(Array(ws.postroom(["requests", "--open", "--config", ws.config, "--json"]).stdout.utf8)).array)
        #expect(!open.contains { $0["prescription"]?.string == rx })
        // The run's summary counts prescriptions by business status.
        try ws.drop(M.order(M.prescriptionID("A1B2C4", sequence: "00010"), items: [M.uuid(30, 0x17e1)], nominated: nil, id: M.uuid(30, 0x0e)),
                    as: "05-order.json", channel: "eps")
        let summary = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"]).stdout
        #expect(summary.contains("Prescriptions (EPS) by business status: 0001 To be Dispensed 1, 0006 Dispensed 1"), "\(summary)")
        let text = try ws.postroom(["requests", "--config", ws.config]).stdout
        #expect(text.contains(rx) && text.contains("0006"))
        let invalid = try fhirErrors(in: ws, channels: ["eps", "pharmacy-fa565", "gp"])
        #expect(invalid.isEmpty, "\(invalid)")
    }

    @Test func unnominatedPrescriptionWaitsReadyUntilReleased() throws {
        let ws = try Self.workspace()
        let rx = M.prescriptionID("B1B2C3", sequence: "00002")
        let item = M.uuid(3, 0x17e1)
        #expect(try Self.step(ws, "01-order.json", M.order(rx, items: [item], nominated: nil, id: M.uuid(2, 0x0e))) == 0)
        var t = try Self.task(ws, rx)
        #expect(t.status == "ready" && t.business == "0001" && t.owner == nil)
        #expect(try Self.taskFiles(ws, "pharmacy-vne51").isEmpty && Self.taskFiles(ws, "pharmacy-fa565").isEmpty)
        // A dispense before release is refused.
        #expect(try Self.step(ws, "02-dispense.json", M.dispense(rx, [(item, "0001")], sender: "VNE51", id: M.uuid(3, 0xd0))) == 65)
        #expect(Self.issueCodes(try Self.answer(ws, "02-dispense.json")).contains("prescription-state"))
        // Released to whichever pharmacy the patient presents at: it gets the Task.
        #expect(try Self.step(ws, "03-release.json", M.release(rx, owner: "VNE51")) == 0)
        t = try Self.task(ws, rx)
        #expect(t.status == "accepted" && t.business == "0002" && t.owner == "VNE51")
        #expect(try Self.taskFiles(ws, "pharmacy-vne51").map(\.1) == ["0002"])
        // Another pharmacy cannot release it again, nor dispense it.
        #expect(try Self.step(ws, "04-release.json", M.release(rx, owner: "FA565")) == 65)
        #expect(Self.issueCodes(try Self.answer(ws, "04-release.json")).contains("prescription-not-with-dispenser"))
        #expect(try Self.step(ws, "05-dispense.json", M.dispense(rx, [(item, "0001")], sender: "FA565", id: M.uuid(4, 0xd0))) == 65)
        #expect(try Self.step(ws, "06-dispense.json", M.dispense(rx, [(item, "0001")], sender: "VNE51", id: M.uuid(5, 0xd0))) == 0)
        t = try Self.task(ws, rx)
        #expect(t.status == "completed" && t.business == "0006")
        #expect(t.history.map(\.to) == ["ready", "accepted", "in-progress", "completed"])
    }

    @Test func cancellationBeforeADispenserHasItCancels() throws {
        let ws = try Self.workspace()
        let rx = M.prescriptionID("C1B2C3", sequence: "00003")
        let items = [M.uuid(4, 0x17e1), M.uuid(5, 0x17e1)]
        try Self.step(ws, "01-order.json", M.order(rx, items: items, nominated: "FA565", id: M.uuid(3, 0x0e)))
        #expect(try Self.step(ws, "02-cancel.json", M.cancel(rx, items: items, id: M.uuid(4, 0x0e))) == 0)
        let t = try Self.task(ws, rx)
        #expect(t.status == "cancelled" && t.business == "0005" && t.owner == nil)
        #expect(t.resource["statusReason"]?["text"]?.string == "Prescribing error")
        #expect(try Self.itemStatuses(ws, rx) == ["cancelled", "cancelled"])
        let answer = try Self.answer(ws, "02-cancel.json")
        #expect(Self.issueCodes(answer).contains("prescription-cancelled"))
        #expect(!Self.issueCodes(answer).contains("prescription-cancel-pending"))
        // The nominated pharmacy that held the Task, and the prescriber, hear of it.
        #expect(try Self.taskFiles(ws, "pharmacy-fa565").map(\.0) == ["requested", "cancelled"])
        #expect(try Self.taskFiles(ws, "gp").map(\.0) == ["cancelled"])
        // Nothing more can happen to it.
        #expect(try Self.step(ws, "03-release.json", M.release(rx, owner: "FA565")) == 65)
        #expect(Self.issueCodes(try Self.answer(ws, "03-release.json")).contains("prescription-state"))
        #expect(try Self.task(ws, rx).history.map(\.to) == ["requested", "cancelled"])
    }

    @Test func cancellingSomeItemsLeavesTheRestToDispense() throws {
        let ws = try Self.workspace()
        let rx = M.prescriptionID("B2B2C3", sequence: "00008")
        let items = [M.uuid(12, 0x17e1), M.uuid(13, 0x17e1)]
        try Self.step(ws, "01-order.json", M.order(rx, items: items, nominated: nil, id: M.uuid(10, 0x0e)))
        #expect(try Self.step(ws, "02-cancel.json", M.cancel(rx, items: [items[0]], id: M.uuid(11, 0x0e))) == 0)
        #expect(try Self.task(ws, rx).status == "ready")
        #expect(try Self.itemStatuses(ws, rx) == ["cancelled", "active"])
        #expect(Self.issueCodes(try Self.answer(ws, "02-cancel.json")).contains("prescription-cancelled"))
        try Self.step(ws, "03-release.json", M.release(rx, owner: "VNE51"))
        // The one item left, dispensed in full, completes the prescription; the cancelled one stays cancelled.
        #expect(try Self.step(ws, "04-dispense.json", M.dispense(rx, [(items[1], "0001")], sender: "VNE51", id: M.uuid(13, 0xd0))) == 0)
        let t = try Self.task(ws, rx)
        #expect(t.status == "completed" && t.business == "0006")
        #expect(try Self.itemStatuses(ws, rx) == ["cancelled", "completed"])
        // A prescription Postroom never received cannot be released.
        #expect(try Self.step(ws, "05-release.json", M.release(M.prescriptionID("B3B2C3", sequence: "00009"), owner: "VNE51")) == 65)
        #expect(Self.issueCodes(try Self.answer(ws, "05-release.json")).contains("prescription-unknown"))
        // Nor ordered twice.
        #expect(try Self.step(ws, "06-order.json", M.order(rx, items: items, nominated: nil, id: M.uuid(12, 0x0e))) == 65)
        #expect(Self.issueCodes(try Self.answer(ws, "06-order.json")).contains("prescription-exists"))
    }

    @Test func cancellationWhileDispensingFailsThenCancelsOnReturn() throws {
        let ws = try Self.workspace()
        let rx = M.prescriptionID("D1B2C3", sequence: "00004")
        let item = M.uuid(6, 0x17e1)
        try Self.step(ws, "01-order.json", M.order(rx, items: [item], nominated: nil, id: M.uuid(5, 0x0e)))
        try Self.step(ws, "02-release.json", M.release(rx, owner: "VNE51"))
        #expect(try Self.step(ws, "03-dispense.json", M.dispense(rx, [(item, "0003")], sender: "VNE51", id: M.uuid(6, 0xd0))) == 0)
        #expect(try Self.step(ws, "04-cancel.json", M.cancel(rx, items: [item], id: M.uuid(6, 0x0e))) == 0)
        var t = try Self.task(ws, rx)
        #expect(t.status == "failed" && t.owner == "VNE51")
        #expect(Self.issueCodes(try Self.answer(ws, "04-cancel.json")).contains("prescription-cancel-pending"))
        #expect(try Self.itemStatuses(ws, rx) == ["active"])
        // The dispenser is told (its Task is failed) and cannot dispense any more.
        #expect(try Self.taskFiles(ws, "pharmacy-vne51").contains { $0.0 == "failed" })
        #expect(try Self.step(ws, "05-dispense.json", M.dispense(rx, [(item, "0001")], sender: "VNE51", id: M.uuid(7, 0xd0))) == 65)
        // It hands the prescription back: the cancellation completes.
        #expect(try Self.step(ws, "06-return.json", M.returnTask(rx, dispenser: "VNE51", id: M.uuid(1, 0x7e))) == 0)
        t = try Self.task(ws, rx)
        #expect(t.status == "cancelled" && t.business == "0005" && t.owner == nil)
        #expect(t.history.map(\.to) == ["ready", "accepted", "in-progress", "failed", "cancelled"])
        #expect(try Self.itemStatuses(ws, rx) == ["cancelled"])
        #expect(Self.issueCodes(try Self.answer(ws, "06-return.json")).contains("prescription-cancelled"))
        #expect(try Self.taskFiles(ws, "gp").map(\.0).suffix(2) == ["failed", "cancelled"])
    }

    @Test func aReturnedPrescriptionIsReadyForAnotherDispenser() throws {
        let ws = try Self.workspace()
        let rx = M.prescriptionID("E1B2C3", sequence: "00005")
        let item = M.uuid(7, 0x17e1)
        try Self.step(ws, "01-order.json", M.order(rx, items: [item], nominated: nil, id: M.uuid(7, 0x0e)))
        try Self.step(ws, "02-release.json", M.release(rx, owner: "VNE51"))
        // Only the dispenser holding it may return it.
        #expect(try Self.step(ws, "03-return.json", M.returnTask(rx, dispenser: "FA565", id: M.uuid(2, 0x7e))) == 65)
        #expect(Self.issueCodes(try Self.answer(ws, "03-return.json")).contains("prescription-not-with-dispenser"))
        #expect(try Self.step(ws, "04-return.json", M.returnTask(rx, dispenser: "VNE51", id: M.uuid(3, 0x7e))) == 0)
        var t = try Self.task(ws, rx)
        #expect(t.status == "ready" && t.business == "0007" && t.owner == nil)
        #expect(t.resource["statusReason"]?["text"]?.string == "Patient requested release")
        #expect(t.history.map(\.to) == ["ready", "accepted", "rejected", "ready"])
        #expect(try Self.taskFiles(ws, "pharmacy-vne51").map(\.1) == ["0002", "0007"])
        // The return Task itself is kept, readable by id.
        #expect(try ws.store().read { try $0.resource(type: "Task", id: M.uuid(3, 0x7e)) }?["reasonCode"] != nil)
        #expect(try Self.step(ws, "05-release.json", M.release(rx, owner: "FA565")) == 0)
        t = try Self.task(ws, rx)
        #expect(t.status == "accepted" && t.owner == "FA565")
    }

    @Test func withdrawingADispenseNotificationTakesTheTaskBack() throws {
        let ws = try Self.workspace()
        let rx = M.prescriptionID("F1B2C3", sequence: "00006")
        let items = [M.uuid(8, 0x17e1), M.uuid(9, 0x17e1)]
        try Self.step(ws, "01-order.json", M.order(rx, items: items, nominated: "VNE51", id: M.uuid(8, 0x0e)))
        try Self.step(ws, "02-release.json", M.release(rx, owner: "VNE51"))
        let n1 = M.uuid(8, 0xd0), n2 = M.uuid(9, 0xd0)
        try Self.step(ws, "03-dispense.json", M.dispense(rx, [(items[0], "0001")], sender: "VNE51", id: n1))
        try Self.step(ws, "04-dispense.json", M.dispense(rx, [(items[1], "0001")], sender: "VNE51", id: n2))
        #expect(try Self.task(ws, rx).status == "completed")
        // The last notification withdrawn: back in progress, the items active again, its dispense retracted.
        #expect(try Self.step(ws, "05-withdraw.json", M.withdrawTask(rx, notification: n2, dispenser: "VNE51", id: M.uuid(4, 0x7e))) == 0)
        var t = try Self.task(ws, rx)
        #expect(t.status == "in-progress" && t.business == "0003")
        #expect(try Self.itemStatuses(ws, rx) == ["active", "active"])
        #expect(Self.issueCodes(try Self.answer(ws, "05-withdraw.json")).contains("dispense-notification-withdrawn"))
        let statuses = try ws.store().read { r in
            try r.resourceIDs(type: "MedicationDispense").compactMap { try r.resource(type: "MedicationDispense", id: $0)?["status"]?.string }.sorted()
        }
        #expect(statuses == ["completed", "entered-in-error"])
        // The first withdrawn too: back with the dispenser, nothing dispensed.
        #expect(try Self.step(ws, "06-withdraw.json", M.withdrawTask(rx, notification: n1, dispenser: "VNE51", id: M.uuid(5, 0x7e))) == 0)
        t = try Self.task(ws, rx)
        #expect(t.status == "accepted" && t.business == "0002")
        // A withdrawn notification cannot be withdrawn again.
        #expect(try Self.step(ws, "07-withdraw.json", M.withdrawTask(rx, notification: n1, dispenser: "VNE51", id: M.uuid(6, 0x7e))) == 65)
        #expect(Self.issueCodes(try Self.answer(ws, "07-withdraw.json")).contains("dispense-notification-unknown"))
        #expect(t.history.map(\.to) == ["requested", "accepted", "in-progress", "completed", "in-progress", "accepted"])
    }

    @Test func aReplacementNotificationReplacesTheEarlierOneKeptAsAVersion() throws {
        let ws = try Self.workspace()
        let rx = M.prescriptionID("A2B2C3", sequence: "00007")
        let items = [M.uuid(10, 0x17e1), M.uuid(11, 0x17e1)]
        try Self.step(ws, "01-order.json", M.order(rx, items: items, nominated: "FA565", id: M.uuid(9, 0x0e)))
        try Self.step(ws, "02-release.json", M.release(rx, owner: "FA565"))
        let n1 = M.uuid(10, 0xd0)
        try Self.step(ws, "03-dispense.json", M.dispense(rx, [(items[0], "0001"), (items[1], "0003")], sender: "FA565", id: n1))
        #expect(try Self.task(ws, rx).status == "in-progress")
        // A replacement naming an unknown notification is refused.
        #expect(try Self.step(ws, "04-replace.json", M.dispense(rx, [(items[1], "0001")], sender: "FA565", id: M.uuid(11, 0xd0),
                                                               replacementOf: M.uuid(99, 0xd0))) == 65)
        #expect(Self.issueCodes(try Self.answer(ws, "04-replace.json")).contains("dispense-notification-unknown"))
        // The amendment: both items now fully dispensed.
        #expect(try Self.step(ws, "05-replace.json", M.dispense(rx, [(items[0], "0001"), (items[1], "0001")], sender: "FA565",
                                                               id: M.uuid(12, 0xd0), replacementOf: n1)) == 0)
        let t = try Self.task(ws, rx)
        #expect(t.status == "completed" && t.business == "0006")
        #expect(Self.issueCodes(try Self.answer(ws, "05-replace.json")).contains("dispense-notification-replaced"))
        let store = try ws.store()
        let (states, versions) = try store.read { r in
            (try r.dispenseNotifications(prescriptionID: rx).map(\.state),
             try r.resourceIDs(type: "MedicationDispense").map { try r.resourceHistory(type: "MedicationDispense", id: $0).count })
        }
        #expect(states == ["replaced", "current"])
        // The replacement's dispenses are new versions of the ones they replace.
        #expect(versions == [2, 2])
    }
}

/// The EPS examples of the corpus (NHS England's own) run through the workflow and end in the expected states.
@Suite struct PrescriptionCorpusTests {
    typealias M = EPSMessages
    static let corpus = repositoryRoot + "/Tests/PostroomCoreTests/Fixtures/fhir/corpus/"

    static func party(_ name: String) -> String {
        #"{ "name": "\#(name)", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } }"#
    }

    static func file(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: corpus + name)))
    }

    @Test func orderReleaseReturnDispenseAndAWithdrawalOfAnotherNotification() throws {
        let ws = try Workspace()
        try WorkflowOptionsTests.config(ws, """
            { "name": "eps", "formats": ["fhir"], "role": "broker", "completion": { "mode": "rename" }, "taskStateMachine": "nhs",
              "routes": { "FA565": "pharmacy-fa565", "VNE51": "pharmacy-vne51", "FCG71": "pharmacy-fcg71", "A83008": "gp" } },
            \(Self.party("pharmacy-fa565")), \(Self.party("pharmacy-vne51")), \(Self.party("pharmacy-fcg71")), \(Self.party("gp"))
            """)
        let rx = "24F5DA-A83008-7EFE6Z"
        typealias P = PrescriptionWorkflowTests
        #expect(try P.step(ws, "01-order.json", Self.file("eps_1-Process-Request-Send-200_OK.json")) == 0)
        var t = try P.task(ws, rx)
        #expect(t.status == "requested" && t.business == "0001" && t.owner == "FA565")
        #expect(try P.itemStatuses(ws, rx).count == 4)
        #expect(ws.files(in: "outbox/pharmacy-fa565").count == 1)
        // Refused orders store no prescription.
        #expect(try P.step(ws, "02-bad-checksum.json", Self.file("eps_1-Process-Request-Send-400_INVALID_CHECKSUM.json")) == 65)
        #expect(try P.step(ws, "03-bad-intent.json", Self.file("eps_4-Process-Request-Send-400_invalid_intent.json")) == 65)
        #expect(try ws.store().read { try $0.prescriptions() }.map(\.id) == [rx])

        #expect(try P.step(ws, "04-release.json", Self.file("eps_1-Task-Request-Release-200_OK.json")) == 0)
        t = try P.task(ws, rx)
        #expect(t.status == "accepted" && t.business == "0002" && t.owner == "VNE51")
        #expect(try P.step(ws, "05-return.json", Self.file("eps_return_acute-primary-example-req.json")) == 0)
        t = try P.task(ws, rx)
        #expect(t.status == "ready" && t.business == "0007" && t.owner == nil)
        #expect(try P.step(ws, "06-release.json", M.release(rx, owner: "VNE51")) == 0)
        // Two items fully dispensed, one owing, one cancelled: still with the dispenser, active.
        #expect(try P.step(ws, "07-dispense.json", Self.file("eps_dispense-notification_acute-primary-example-01-req.json")) == 0)
        t = try P.task(ws, rx)
        #expect(t.status == "in-progress" && t.business == "0003")
        let dispensed = try ws.store().read { try $0.dispenseNotifications(prescriptionID: rx) }
        #expect(dispensed.count == 1 && dispensed[0].dispenses.count == 4)
        #expect(Set(dispensed[0].dispenses.compactMap(\.itemNumber)) == Set(try ws.store().read { try $0.prescriptionItems(prescriptionID: rx) }.map(\.number)))
        // The example withdrawal names a notification Postroom never received: refused, nothing changes.
        #expect(try P.step(ws, "08-withdraw.json", Self.file("eps_withdraw_acute-primary-example-req.json")) == 65)
        #expect(P.issueCodes(try P.answer(ws, "08-withdraw.json")).contains("dispense-notification-unknown"))
        t = try P.task(ws, rx)
        #expect(t.status == "in-progress")
        #expect(t.history.map(\.to) == ["requested", "accepted", "rejected", "ready", "accepted", "in-progress"])
        #expect(try P.taskFiles(ws, "gp").map(\.1) == ["0002", "0002", "0003", "0007"])
    }

    @Test func aNominatedOrderThenItsCancellation() throws {
        let ws = try Workspace()
        try WorkflowOptionsTests.config(ws, """
            { "name": "eps", "formats": ["fhir"], "role": "broker", "completion": { "mode": "rename" }, "taskStateMachine": "nhs",
              "routes": { "FCG71": "pharmacy-fcg71", "A83008": "gp" } },
            \(Self.party("pharmacy-fcg71")), \(Self.party("gp"))
            """)
        let rx = "58E241-A83008-4E2F8R"
        typealias P = PrescriptionWorkflowTests
        #expect(try P.step(ws, "01-order.json", Self.file("eps_cancellations_1-Process-Request-Send-200_OK.json")) == 0)
        #expect(try P.task(ws, rx).status == "requested")
        // The example cancellation reuses its order's Bundle.id (both made from one template): refused as such, nothing changes.
        let cancel = try Self.file("eps_1-Process-Request-Cancel-200_OK.json")
        #expect(try P.step(ws, "02-cancel.json", cancel) == 65)
        #expect(P.issueCodes(try P.answer(ws, "02-cancel.json")).contains("bundle-id-reused"))
        #expect(try P.task(ws, rx).status == "requested")
        // Sent again as a new message (a Bundle.id of its own), it cancels the prescription.
        let fresh = String(decoding: cancel, as: UTF8.self)
            .replacingOccurrences(of: #""id": "0cb82cfa-76c8-4fb2-a08e-bf0e326e5487""#, with: #""id": "0cb82cfa-76c8-4fb2-a08e-bf0e326e5488""#)
        #expect(fresh != String(decoding: cancel, as: UTF8.self))
        #expect(try P.step(ws, "03-cancel.json", Array(fresh.utf8)) == 0)
        let t = try P.task(ws, rx)
        #expect(t.status == "cancelled" && t.business == "0005")
        #expect(try P.itemStatuses(ws, rx) == ["cancelled"])
        #expect(P.issueCodes(try P.answer(ws, "03-cancel.json")).contains("prescription-cancelled"))
        #expect(ws.files(in: "outbox/pharmacy-fcg71").count == 2)
    }
}
