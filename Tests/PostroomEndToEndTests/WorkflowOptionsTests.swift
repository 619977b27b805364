import Foundation
import PostroomCore
import PostroomStore
import Testing

/// FHIR workflow options F, G and H through real inbox and outbox folders.
@Suite struct WorkflowOptionsTests {
    static let ods = "https://fhir.nhs.uk/Id/ods-organization-code"

    static func task(id: String, status: String, owner: String? = "RX1", requester: String = "A83008", partOf: String? = nil,
                     reason: String? = nil) -> [UInt8] {
        var o = JSONObject([
            "resourceType": "Task", "id": .string(id),
            "identifier": [["system": "https://tools.ietf.org/html/rfc4122", "value": .string(id)]],
            "status": .string(status), "intent": "order",
            "focus": ["identifier": ["system": "https://fhir.nhs.uk/Id/ubrn", "value": "000049295712"]],
            "for": ["identifier": ["system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000050"]],
            "authoredOn": "2026-11-26T10:00:00+00:00",
            "requester": ["identifier": ["system": .string(ods), "value": .string(requester)]],
        ])
        if let owner { o["owner"] = ["identifier": ["system": .string(ods), "value": .string(owner)]] }
        if let partOf { o["partOf"] = [["reference": .string("Task/" + partOf)]] }
        if let reason { o["statusReason"] = ["text": .string(reason)] }
        return JSONWriter(pretty: true).bytes(.object(o))
    }

    static func config(_ ws: Workspace, _ channels: String) throws {
        try "{ \"data\": \"data\", \"channels\": [ \(channels) ] }".write(toFile: ws.config, atomically: true, encoding: .utf8)
    }

    func outcome(_ ws: Workspace, _ channel: String, _ prefix: String) throws -> JSONValue {
        let name = try #require(ws.files(in: "outbox/" + channel).first { $0.hasPrefix(prefix) })
        return try json(ws.read("outbox/\(channel)/\(name)"))
    }

    @Test func optionGTasksAreTrackedByTheStateMachine() throws {
        let ws = try Workspace()
        try Self.config(ws, #"{ "name": "tasks", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } }"#)
        let id = "5e3a1c2d-8f4b-4a6c-9d0e-1f2a3b4c5d06"
        try ws.drop(Self.task(id: id, status: "requested"), as: "1-requested.json", channel: "tasks")
        #expect(try ws.run().code == 0)
        try ws.drop(Self.task(id: id, status: "accepted"), as: "2-accepted.json", channel: "tasks")
        #expect(try ws.run().code == 0)
        // accepted → completed skips the work: refused, the Task is left as it was.
        try ws.drop(Self.task(id: id, status: "completed"), as: "3-completed.json", channel: "tasks")
        #expect(try ws.run().code == 65)
        let refusal = try outcome(ws, "tasks", "3-completed.json.")
        #expect(refusal["issue"]?.array?.contains { $0["code"]?.string == "business-rule" } == true)
        try ws.drop(Self.task(id: id, status: "in-progress"), as: "4-in-progress.json", channel: "tasks")
        try ws.drop(Self.task(id: id, status: "completed"), as: "5-completed.json", channel: "tasks")
        #expect(try ws.run().code == 0)
        let store = try ws.store()
        let t = try #require(try store.read { try $0.tasks().first })
        #expect(t.status == .completed)
        let h = try store.read { try $0.taskHistory(taskID: t.id) }
        #expect(h.map(\.to) == ["requested", "accepted", "in-progress", "completed"])
        #expect(Set(h.compactMap(\.messageID)).count == 4)
        // `show` names the message behind each step.
        let drop = try #require(try store.read { try $0.drops(limit: 10) }.first { $0.name == "5-completed.json" })
        let shown = try ws.postroom(["show", drop.id, "--config", ws.config])
        #expect(shown.stdout.contains("in-progress → completed  by message \(drop.id).0"))
    }

    @Test func subtasksKeepTheirParentOpen() throws {
        let ws = try Workspace()
        try Self.config(ws, #"{ "name": "tasks", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } }"#)
        let parent = "11111111-1111-4111-8111-111111111111", child = "22222222-2222-4222-8222-222222222222"
        try ws.drop(Self.task(id: parent, status: "in-progress"), as: "1.json", channel: "tasks")
        try ws.drop(Self.task(id: child, status: "requested", partOf: parent), as: "2.json", channel: "tasks")
        _ = try ws.run()
        try ws.drop(Self.task(id: parent, status: "completed"), as: "3.json", channel: "tasks")
        #expect(try ws.run().code == 65)
        #expect(try outcome(ws, "tasks", "3.json.")["issue"]?.array?.contains {
            $0["details"]?["coding"]?[0]?["code"]?.string == "task-open-subtasks" } == true)
        try ws.drop(Self.task(id: child, status: "cancelled", partOf: parent), as: "4.json", channel: "tasks")
        try ws.drop(Self.task(id: parent, status: "completed"), as: "5.json", channel: "tasks")
        #expect(try ws.run().code == 0)
        let store = try ws.store()
        let tasks = try store.read { try $0.tasks() }
        #expect(tasks.first { $0.partOf != nil }?.partOf == tasks.first { $0.partOf == nil }?.id)
        #expect(tasks.first { $0.partOf == nil }?.status == .completed)
    }

    @Test func optionHTheBrokerRoutesTasksAndStatusChanges() throws {
        let ws = try Workspace()
        try Self.config(ws, """
            { "name": "broker", "formats": ["fhir"], "role": "broker", "completion": { "mode": "rename" }, "taskStateMachine": "nhs",
              "routes": { "RX1": "lab-rx1", "RX2": "lab-rx2", "A83008": "gp" } },
            { "name": "lab-rx1", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } },
            { "name": "lab-rx2", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } },
            { "name": "gp", "formats": ["fhir"], "role": "placer", "completion": { "mode": "rename" } }
            """)
        let id = "33333333-3333-4333-8333-333333333333"
        try ws.drop(Self.task(id: id, status: "requested", owner: "RX1"), as: "1.json", channel: "broker")
        #expect(try ws.run().code == 0)
        let routed = try #require(ws.files(in: "outbox/lab-rx1").first)
        #expect(routed.hasPrefix("Task-"))
        #expect(try json(ws.read("outbox/lab-rx1/" + routed))["status"]?.string == "requested")
        #expect(ws.files(in: "outbox/gp").isEmpty)
        // The filler rejects: the requester hears of it.
        try ws.drop(Self.task(id: id, status: "rejected", owner: "RX1", reason: "No capacity"), as: "2.json", channel: "broker")
        #expect(try ws.run().code == 0)
        let notice = try #require(ws.files(in: "outbox/gp").first)
        let noticeJSON = try json(ws.read("outbox/gp/" + notice))
        #expect(noticeJSON["status"]?.string == "rejected")
        #expect(noticeJSON["statusReason"]?["text"]?.string == "No capacity")
        // Re-offered to another filler.
        try ws.drop(Self.task(id: id, status: "requested", owner: "RX2"), as: "3.json", channel: "broker")
        #expect(try ws.run().code == 0)
        #expect(ws.files(in: "outbox/lab-rx2").count == 1)
        #expect(ws.files(in: "outbox/gp").count == 2)
        // A Task for an owner with no route is refused.
        try ws.drop(Self.task(id: "44444444-4444-4444-8444-444444444444", status: "requested", owner: "ZZZ99"), as: "4.json", channel: "broker")
        #expect(try ws.run().code == 65)
        #expect(try outcome(ws, "broker", "4.json.")["issue"]?.array?.contains {
            $0["details"]?["coding"]?[0]?["code"]?.string == "task-owner-unroutable" } == true)
        let invalid = try fhirErrors(in: ws, channels: ["broker", "lab-rx1", "lab-rx2", "gp"])
        #expect(invalid.isEmpty, "\(invalid)")
    }

    @Test func batchBundlesAreAnsweredEntryByEntryAndTransactionsAllOrNothing() throws {
        let ws = try Workspace()
        try Self.config(ws, #"{ "name": "tasks", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } }"#)
        func bundle(_ type: String, _ tasks: [[UInt8]]) -> [UInt8] {
            let entries: [JSONValue] = tasks.map { t in
                .object(JSONObject(["resource": (try? JSONParser().parse(t)) ?? .null,
                                    "request": ["method": "POST", "url": "Task"]]))
            }
            return JSONWriter().bytes(.object(JSONObject(["resourceType": "Bundle", "type": .string(type), "entry": .array(entries)])))
        }
        let good = Self.task(id: "55555555-5555-4555-8555-555555555555", status: "requested")
        let bad = Array(String(decoding: Self.task(id: "66666666-6666-4666-8666-666666666666", status: "requested"), as: UTF8.self)
            .replacingOccurrences(of: "\"requested\"", with: "\"wishful\"").utf8)
        try ws.drop(bundle("transaction", [good, bad]), as: "t.json", channel: "tasks")
        #expect(try ws.run().code == 65)
        #expect(try ws.store().read { try $0.tasks() }.isEmpty)
        #expect(try outcome(ws, "tasks", "t.json.")["resourceType"]?.string == "OperationOutcome")
        try ws.drop(bundle("batch", [good, bad]), as: "b.json", channel: "tasks")
        _ = try ws.run()
        let response = try outcome(ws, "tasks", "b.json.")
        #expect(response["type"]?.string == "batch-response")
        #expect(response["entry"]?[0]?["response"]?["status"]?.string == "201 Created")
        #expect(response["entry"]?[0]?["response"]?["location"]?.string?.hasPrefix("Task/") == true)
        #expect(response["entry"]?[1]?["response"]?["status"]?.string?.hasPrefix("4") == true)
        #expect(try ws.store().read { try $0.tasks() }.count == 1)
        let invalid = try fhirErrors(in: ws, channels: ["tasks"])
        #expect(invalid.isEmpty, "\(invalid)")
    }

    /// No silent drops: every resource a transaction carries is kept (and can be read by id), so
    /// every `201 Created` names where it was kept; an Appointment in a message is stored too.
    @Test func everyResourceATransactionCarriesIsStoredWithItsLocation() throws {
        let ws = try Workspace()
        try Self.config(ws, #"{ "name": "tasks", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } }"#)
        let org = #"{"resourceType":"Organization","id":"org1","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"RX1"}],"name":"Lab"}"#
        let appointment = #"{"resourceType":"Appointment","status":"proposed","participant":[{"actor":{"reference":"urn:uuid:00000000-0000-4000-8000-00000000a001"},"status":"needs-action"}]}"#
        let specimen = #"{"resourceType":"Specimen","id":"sp1","collection":{"collectedDateTime":"2026-11-26T09:00:00Z"}}"#
        let text = """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:00000000-0000-4000-8000-00000000a001","resource":\(org),"request":{"method":"POST","url":"Organization"}},
              {"fullUrl":"urn:uuid:00000000-0000-4000-8000-00000000a002","resource":\(appointment),"request":{"method":"POST","url":"Appointment"}},
              {"fullUrl":"urn:uuid:00000000-0000-4000-8000-00000000a003","resource":\(specimen),"request":{"method":"POST","url":"Specimen"}},
              {"resource":\(String(decoding: Self.task(id: "77777777-7777-4777-8777-777777777777", status: "requested"), as: UTF8.self)),
               "request":{"method":"POST","url":"Task"}}]}
            """
        try ws.drop(Array(text.utf8), as: "t.json", channel: "tasks")
        #expect(try ws.run().code == 0)
        let response = try outcome(ws, "tasks", "t.json.")
        #expect(response["type"]?.string == "transaction-response")
        let entries = try #require(response["entry"]?.array)
        #expect(entries.count == 4)
        let store = try ws.store()
        for (i, type) in ["Organization", "Appointment", "Specimen", "Task"].enumerated() {
            #expect(entries[i]["response"]?["status"]?.string == "201 Created")
            let location = try #require(entries[i]["response"]?["location"]?.string, "entry \(i)")
            let parts = location.split(separator: "/")
            #expect(parts.count == 4 && parts[0] == type && parts[2] == "_history", "\(location)")
            #expect(try store.read { try $0.resource(type: type, id: String(parts[1])) } != nil, "\(type) stored")
        }
        // The Appointment's reference to the Organization points at where it was stored.
        let appointmentID = String(try #require(entries[1]["response"]?["location"]?.string).split(separator: "/")[1])
        let stored = try #require(try store.read { try $0.resource(type: "Appointment", id: appointmentID) })
        #expect(stored["participant"]?[0]?["actor"]?["reference"]?.string == "Organization/org1")
    }

    /// The R4 Task examples (a lab order's Task 20170201-001 and its sub-task -002) through the core
    /// state machine. The spec's sub-task goes accepted → completed, skipping in-progress: the strict
    /// machine refuses that step, and so the parent cannot complete while its sub-task is still open.
    @Test func theR4TaskExamplesRunThroughTheStateMachine() throws {
        let ws = try Workspace()
        try Self.config(ws, #"{ "name": "tasks", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } }"#)
        let corpus = repositoryRoot + "/Tests/PostroomCoreTests/Fixtures/fhir/corpus/"
        var outcomes: [String: String] = [:]
        for (n, example) in [1, 2, 4, 5, 6, 3].enumerated() {
            let bytes = [UInt8](FileManager.default.contents(atPath: corpus + "r4ex_Task-example\(example).json")!)
            try ws.drop(bytes, as: "\(n)-example\(example).json", channel: "tasks")
            _ = try ws.run()
            let drop = try #require(try ws.store().read { try $0.drops(limit: 100) }.first { $0.name == "\(n)-example\(example).json" })
            let codes = try ws.store().read { try $0.messages(dropID: drop.id) }.flatMap(\.issues).filter(\.isError).map(\.code)
            outcomes["example\(example)"] = drop.outcome == .accepted ? "accepted" : codes.joined(separator: ",")
        }
        #expect(outcomes == ["example1": "accepted", "example2": "accepted", "example4": "task-invalid-transition",
                             "example5": "accepted", "example6": "task-open-subtasks", "example3": "accepted"])
        let store = try ws.store()
        let parent = try #require(try store.read { try $0.task(keys: [CorrelationKey.identifier(system: "http:/goodhealth.org/identifiers", value: "20170201-001")]) })
        let child = try #require(try store.read { try $0.task(keys: [CorrelationKey.identifier(system: "http:/goodhealth.org/identifiers", value: "20170201-002")]) })
        #expect(parent.status == .inProgress && child.status == .accepted && child.partOf == parent.id)
    }
}
