import Foundation
import PostroomCore
import PostroomStore
import Testing

/// The FHIR view off the critical path (issue 16 item 1): what is deferred survives a crash and is
/// finished by the next run, reads by id see it at once, and the view a search answers from is the
/// same whether it was materialised at the end of the run, after a crash, or by a later run.
@Suite(.serialized) struct DeferredViewTests {
    static let pairs = 8

    /// Orders then results (each result answers an order), in small groups: many records.
    static func workspace(view: String) throws -> Workspace {
        let ws = try Workspace()
        try """
            { "data": "data", "groupSize": 2, "view": "\(view)",
              "channels": [
                { "name": "orders", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } },
                { "name": "results", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        for n in 0..<pairs {
            try ws.drop(Loads.order(n), as: String(format: "order-%03d.hl7", n), channel: "orders")
            try ws.drop(Loads.result(n), as: String(format: "result-%03d.hl7", n), channel: "results")
        }
        return ws
    }

    /// Every stored resource, read by id (journalled or in the view), by `Type/id`.
    static func resourcesByID(_ store: Store) throws -> [String: JSONValue] {
        try store.read { r in
            var out: [String: JSONValue] = [:]
            for (type, _) in try r.resourceCounts() {
                for id in try r.resourceIDs(type: type) { out[type + "/" + id] = try r.resource(type: type, id: id) }
            }
            return out
        }
    }

    /// What the Query API's searches answer, order by order: the request, its report, the
    /// report's Observations, the completed Task — as counts and resolved contents, without ids.
    static func answers(_ store: Store) throws -> [String] {
        try store.read { r in
            var out: [String] = []
            for n in 0..<pairs {
                let order = SearchCriterion(name: "identifier", match: .token([.init(system: .any, code: "ORD\(n)")], codeOnly: false))
                let requests = try r.search(type: "ServiceRequest", criteria: [order], offset: 0, limit: 10).resources
                let rid = requests.first?["id"]?.string ?? "-"
                let basedOn = SearchCriterion(name: "based-on", match: .reference(["ServiceRequest/" + rid]))
                let reports = try r.search(type: "DiagnosticReport", criteria: [basedOn], offset: 0, limit: 10).resources
                let observations = try r.search(type: "Observation", criteria: [basedOn], offset: 0, limit: 10).resources
                let focus = SearchCriterion(name: "focus", match: .reference(["ServiceRequest/" + rid]))
                let tasks = try r.search(type: "Task", criteria: [focus], offset: 0, limit: 10).resources
                out.append("ORD\(n): requests \(requests.count), reports \(reports.map { $0["status"]?.string ?? "" }), "
                           + "observations \(observations.map { $0["valueQuantity"]?["value"].map { "\($0)" } ?? "" }), "
                           + "tasks \(tasks.map { $0["status"]?.string ?? "" })")
            }
            for type in ["ServiceRequest", "DiagnosticReport", "Observation", "Task", "Patient"] {
                out.append("\(type): \(try r.search(type: type, criteria: [], offset: 0, limit: 0).total ?? -1)")
            }
            return out
        }
    }

    static func pending(_ ws: Workspace) throws -> Int {
        try ws.store().read { try $0.pendingViewRecords() }
    }

    @Test func aRunKilledBeforeItsViewIsMaterialisedIsFinishedByTheNextRun() throws {
        let reference = try Self.workspace(view: "afterRun")
        #expect(try reference.run().code == 0)
        #expect(try Self.pending(reference) == 0)
        // The answers compared below say something: every order found, its report, Observation and completed Task.
        let expected = try Self.answers(try reference.store())
        for n in 0..<Self.pairs {
            #expect(expected[n] == "ORD\(n): requests 1, reports [\"final\"], observations [\"number(\\\"\(100 + n)\\\")\"], tasks [\"completed\"]", "\(expected[n])")
        }

        let ws = try Self.workspace(view: "afterRun")
        let crashed = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"], environment: ["POSTROOM_CRASH_AT": "view-materialise:1"])
        #expect(crashed.code == 137)
        // Every drop was answered before the view was touched; its resources are readable by id.
        #expect(ws.files(in: "outbox/orders").count + ws.files(in: "outbox/results").count == 2 * Self.pairs)
        #expect(try Self.pending(ws) > 0)
        let journalled = try Self.resourcesByID(try ws.store())
        #expect(journalled.count == (try Self.resourcesByID(try reference.store())).count)
        // No search answers from a view that does not hold everything.
        #expect(throws: Store.ViewNotMaterialised.self) { try Self.answers(try ws.store()) }

        // The next run has nothing to take and finishes the view.
        #expect(try ws.run().code == 0)
        #expect(try Self.pending(ws) == 0)
        #expect(try Self.resourcesByID(try ws.store()) == journalled)
        #expect(try Self.answers(try ws.store()) == (try Self.answers(try reference.store())))
    }

    @Test func aMaterialisationKilledBetweenItsTransactionsIsFinishedOnceByTheNextRun() throws {
        let reference = try Self.workspace(view: "afterRun")
        #expect(try reference.run().code == 0)

        let ws = try Self.workspace(view: "afterRun")
        let env = ["POSTROOM_CRASH_AT": "view-batch:2", "POSTROOM_VIEW_BATCH": "3"]
        #expect(try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"], environment: env).code == 137)
        let left = try Self.pending(ws)
        #expect(left > 0 && left < 2 * Self.pairs - 3, "part of the view was materialised: \(left) records left")
        let journalled = try Self.resourcesByID(try ws.store())
        #expect(try ws.run().code == 0)
        #expect(try Self.pending(ws) == 0)
        #expect(try Self.resourcesByID(try ws.store()) == journalled)
        // Nothing indexed twice: the same answers, the same number of search rows per resource as a clean run.
        #expect(try Self.answers(try ws.store()) == (try Self.answers(try reference.store())))
        #expect(try Self.historyDepths(ws) == (try Self.historyDepths(reference)))
    }

    @Test func aDeferredViewIsLeftForTheNextRunAndThenAnswersAlike() throws {
        let reference = try Self.workspace(view: "afterRun")
        #expect(try reference.run().code == 0)

        let ws = try Self.workspace(view: "deferred")
        #expect(try ws.run().code == 0)
        // The run answered every drop and left its view to later; reads by id see everything.
        #expect(try Self.pending(ws) > 0)
        let journalled = try Self.resourcesByID(try ws.store())
        #expect(journalled.count == (try Self.resourcesByID(try reference.store())).count)
        // The next run (nothing new to take) materialises it.
        #expect(try ws.run().code == 0)
        #expect(try Self.pending(ws) == 0)
        #expect(try Self.resourcesByID(try ws.store()) == journalled)
        #expect(try Self.answers(try ws.store()) == (try Self.answers(try reference.store())))
    }

    @Test func underASteadyLoadTheDeferredJournalKeepsNoStaleKeys() throws {
        let ws = try Self.workspace(view: "deferred")
        #expect(try ws.run().code == 0)
        let first = try Self.pending(ws)
        let firstRunsLast = try ws.store().read { try $0.lastViewRecord() }
        // More drops arrive; this run materialises what the first left and leaves its own.
        for n in 100..<104 {
            try ws.drop(Loads.order(n), as: String(format: "order-%03d.hl7", n), channel: "orders")
        }
        #expect(try ws.run().code == 0)
        let left = try Self.pending(ws)
        #expect(first > 0 && left > 0, "\(first) then \(left) records waiting")
        // What waits is this run's own: nothing of the first run's is left to materialise.
        #expect(try ws.store().read { try $0.lastViewRecord() } > firstRunsLast)
        #expect(try ws.store().materialiseView(upTo: firstRunsLast) == 0)
        let keys = try ws.store().read { try $0.viewKeys() }
        #expect(keys.waiting > 0 && keys.stale == 0, "\(keys)")
    }

    /// How many versions each resource has (as a sorted list of "Type: depth"), journal and view together.
    static func historyDepths(_ ws: Workspace) throws -> [String] {
        try ws.store().read { r in
            var out: [String] = []
            for (type, _) in try r.resourceCounts() {
                for id in try r.resourceIDs(type: type) { out.append("\(type): \(try r.resourceVersions(type: type, id: id).count)") }
            }
            return out.sorted()
        }
    }
}
