import Foundation
import PostroomCore
import PostroomStore
import Testing

/// One identity across formats, through real folders: every (request format × result format) pair
/// links in both arrival orders, and every pair with another patient is refused with `patient-mismatch`.
@Suite struct CrossFormatTests {
    static let same = "9990000018", other = "9990000026"

    static func workspace(extra: String = "") throws -> Workspace {
        let ws = try Workspace()
        try """
            { "data": "data", "endpoint": "https://postroom.test.example.nhs.uk/fhir", \(CrossFormat.namespacesJSON), \(extra)
              "channels": [
                { "name": "orders", "formats": ["hl7v2", "fhir"], "role": "placer", "completion": { "mode": "rename" } },
                { "name": "results", "formats": ["hl7v2", "fhir", "cda"], "role": "placer", "completion": { "mode": "rename" } } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        return ws
    }

    static let identity = try! IdentityNamespaces([.init(name: "EPR", v2: ["EPR"], fhir: [CrossFormat.system], oid: [CrossFormat.oid])])

    struct Case: CustomStringConvertible {
        var request: CrossFormat.Request
        var result: CrossFormat.Result
        var resultFirst: Bool
        var samePatient: Bool
        var number: String
        var description: String {
            "\(request.rawValue)→\(result.rawValue) \(resultFirst ? "result first" : "request first") \(samePatient ? "same patient" : "other patient")"
        }
    }

    static var cases: [Case] {
        var out: [Case] = []
        for rq in CrossFormat.Request.allCases {
            for rs in CrossFormat.Result.allCases {
                for resultFirst in [false, true] {
                    for samePatient in [true, false] {
                        out.append(Case(request: rq, result: rs, resultFirst: resultFirst, samePatient: samePatient,
                                        number: "PLC\(out.count + 100)"))
                    }
                }
            }
        }
        return out
    }

    func drop(_ ws: Workspace, request c: Case) throws {
        let r = CrossFormat.request(c.request, c.number, nhs: Self.same)
        try ws.drop(r.bytes, as: "\(c.number)-request.\(r.ext)", channel: "orders")
    }

    func drop(_ ws: Workspace, result c: Case) throws {
        let r = CrossFormat.result(c.result, c.number, nhs: c.samePatient ? Self.same : Self.other)
        try ws.drop(r.bytes, as: "\(c.number)-result.\(r.ext)", channel: "results")
    }

    @Test func everyPairLinksInBothOrdersAndEveryOtherPatientIsRefused() throws {
        let ws = try Self.workspace()
        let cases = Self.cases
        for c in cases { try c.resultFirst ? drop(ws, result: c) : drop(ws, request: c) }
        #expect([0, 65].contains(try ws.run().code))
        for c in cases { try c.resultFirst ? drop(ws, request: c) : drop(ws, result: c) }
        #expect([0, 65].contains(try ws.run().code))

        let store = try ws.store(identity: Self.identity)
        for c in cases {
            let request = try #require(try store.read { try $0.requestMatches(keys: ["plac|EPR|\(c.number)"]).first?.request }, "\(c)")
            let reports = try store.read { try $0.reports(requestID: request.id) }
            if c.samePatient {
                #expect(reports.count == 1 && reports.first?.state == .linked, "\(c): linked")
                #expect(try store.read { try $0.tasks(focusRequestID: request.id) }.map(\.status) == [.completed], "\(c): Task completed")
                #expect(try store.read { try $0.links(requestID: request.id) }.count == 1, "\(c): one link")
            } else {
                #expect(reports.isEmpty, "\(c): never linked to another patient's request")
                if c.resultFirst {
                    let parked = try store.read { try $0.reports(state: .mismatch) }
                        .filter { $0.requestKeys.contains { $0.hasSuffix("|" + c.number) } }
                    #expect(parked.count == 1 && parked.first?.note == "patient-mismatch", "\(c): the held result is refused and reported")
                } else {
                    let sidecar = String(decoding: ws.read("error/results/\(c.number)-result.\(CrossFormat.result(c.result, c.number, nhs: Self.other).ext).error.json"),
                                         as: UTF8.self)
                    #expect(sidecar.contains("patient-mismatch"), "\(c): refused with patient-mismatch")
                }
                #expect(try store.read { try $0.tasks(focusRequestID: request.id) }.map(\.status) == [.requested], "\(c): Task untouched")
            }
        }
        #expect(try store.read { try $0.reports(state: .held) }.isEmpty, "nothing is left waiting")
    }

    @Test func aFillerMovesTheOptionFTaskByItsBusinessIdentifierAlone() throws {
        let ws = try Self.workspace()
        try ws.drop(CrossFormat.request(.v2Order, "PLC9001", nhs: Self.same).bytes, as: "order.hl7", channel: "orders")
        #expect(try ws.run().code == 0)
        let store = try ws.store(identity: Self.identity)
        let task = try #require(try store.read { try $0.tasks().first })
        let resource = try #require(try store.read { try $0.resource(type: "Task", id: task.id) })
        let identifier = try #require(resource["identifier"]?[0])
        #expect(identifier["system"]?.string == "https://postroom.test.example.nhs.uk/fhir/Id/task")
        let value = try #require(identifier["value"]?.string)
        // The ACK tells the placer the Task's identifier.
        let ack = try #require(ws.files(in: "outbox/orders").first)
        #expect(String(decoding: ws.read("outbox/orders/" + ack), as: UTF8.self).contains(value))

        let update = """
            {"resourceType":"Task","identifier":[{"system":"https://postroom.test.example.nhs.uk/fhir/Id/task","value":"\(value)"}],
             "status":"accepted","intent":"order","businessStatus":{"text":"Sample received"}}
            """
        try ws.drop(Array(update.utf8), as: "task-update.json", channel: "orders")
        #expect(try ws.run().code == 0)
        #expect(try store.read { try $0.tasks() }.count == 1, "no second Task")
        #expect(try store.read { try $0.task(id: task.id)?.status } == .accepted)
        #expect(try store.read { try $0.taskHistory(taskID: task.id) }.map(\.to) == ["requested", "accepted"])
        let stored = try #require(try store.read { try $0.resource(type: "Task", id: task.id) })
        #expect(stored["identifier"]?.array?.contains { $0["value"]?.string == value } == true, "the business identifier stays")
    }

    @Test func aFHIRDocumentBundleLinksToTheOrderItFulfils() throws {
        let ws = try Self.workspace()
        try ws.drop(CrossFormat.request(.v2Order, "PLC9101", nhs: Self.same).bytes, as: "order.hl7", channel: "orders")
        #expect(try ws.run().code == 0)
        let composition = """
            {"resourceType":"Composition","status":"final","type":{"text":"Imaging report"},"subject":{"reference":"urn:uuid:00000000-0000-4000-8000-0000000000b2"},
             "date":"2026-11-26T14:00:00+00:00","author":[{"display":"Dr A"}],"title":"Ultrasound",
             "event":[{"detail":[{"type":"ServiceRequest","identifier":{"system":"\(CrossFormat.system)","value":"PLC9101"}}]}]}
            """
        let bundle = """
            {"resourceType":"Bundle","type":"document","identifier":{"system":"https://tools.ietf.org/html/rfc4122","value":"4c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"},
             "timestamp":"2026-11-26T14:00:00+00:00","entry":[
              {"fullUrl":"urn:uuid:00000000-0000-4000-8000-0000000000b1","resource":\(composition)},
              {"fullUrl":"urn:uuid:00000000-0000-4000-8000-0000000000b2","resource":{"resourceType":"Patient",
                "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"\(Self.same)"}]}}]}
            """
        try ws.drop(Array(bundle.utf8), as: "document.json", channel: "results")
        #expect(try ws.run().code == 0)
        let store = try ws.store(identity: Self.identity)
        let request = try #require(try store.read { try $0.requestMatches(keys: ["plac|EPR|PLC9101"]).first?.request })
        let reports = try store.read { try $0.reports(requestID: request.id) }
        #expect(reports.map(\.kind) == ["DocumentReference"] && reports.first?.state == .linked)
        #expect(try store.read { try $0.tasks(focusRequestID: request.id) }.map(\.status) == [.completed])
    }

    @Test func requestsJSONShowsEveryLink() throws {
        let ws = try Self.workspace()
        try ws.drop(CrossFormat.request(.v2Order, "PLC9201", nhs: Self.same).bytes, as: "order.hl7", channel: "orders")
        try ws.drop(CrossFormat.result(.cda, "PLC9201", nhs: Self.same).bytes, as: "report.xml", channel: "results")
        #expect(try ws.run().code == 0)
        let out = try ws.postroom(["requests", "--config", ws.config, "--json"])
        let list = try #require(try json(Array(out.stdout.utf8)).array)
        #expect(list.count == 1)
        let links = try #require(list.first?["links"]?.array)
        #expect(links.count == 1 && links.first?["report"]?.string?.hasPrefix("DocumentReference/") == true)
        #expect(links.first?["via"]?.string == "ns|EPR|PLC9201")
    }

    @Test func aNamespaceNamedTwiceOrASystemInTwoNamespacesIsAConfigError() throws {
        let ws = try Self.workspace()
        for (namespaces, key) in [
            (#"[{"name":"A","v2":["X"]},{"name":"A","v2":["Y"]}]"#, "namespaces[1].name"),
            (#"[{"name":"A","fhir":["https://x.example/Id/o"]},{"name":"B","fhir":["https://x.example/Id/o"]}]"#, "namespaces[1].fhir"),
            (#"[{"name":"A","oid":["not-an-oid"]}]"#, "namespaces[0].oid"),
        ] {
            try """
                { "data": "data", "namespaces": \(namespaces),
                  "channels": [ { "name": "orders", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } } ] }
                """.write(toFile: ws.config, atomically: true, encoding: .utf8)
            let r = try ws.run()
            #expect(r.code == 78 && r.stderr.contains(key), "\(key): \(r.code) \(r.stderr)")
        }
    }

    /// A namespace added later: the keys are re-derived at the next start, and a result held for an
    /// order stored under another spelling is linked then, without waiting for a new message.
    @Test func aNamespaceAddedLaterLinksWhatWasHeld() throws {
        let ws = try Self.workspace()
        let without = try String(contentsOfFile: ws.config, encoding: .utf8).replacingOccurrences(of: CrossFormat.namespacesJSON + ",", with: "")
        try without.write(toFile: ws.config, atomically: true, encoding: .utf8)
        try ws.drop(CrossFormat.request(.v2Order, "PLC9301", nhs: Self.same).bytes, as: "order.hl7", channel: "orders")
        try ws.drop(CrossFormat.result(.cda, "PLC9301", nhs: Self.same).bytes, as: "report.xml", channel: "results")
        #expect(try ws.run().code == 0)
        #expect(try ws.store().read { try $0.reports(state: .held) }.count == 1, "EPR and the OID are not known to be one namespace yet")
        let with = try Self.workspace()
        try FileManager.default.removeItem(atPath: ws.config)
        try FileManager.default.copyItem(atPath: with.config, toPath: ws.config)
        #expect(try ws.run().code == 0)
        let store = try ws.store(identity: Self.identity)
        #expect(try store.read { try $0.reports(state: .held) }.isEmpty)
        let request = try #require(try store.read { try $0.requestMatches(keys: ["plac|EPR|PLC9301"]).first?.request })
        #expect(try store.read { try $0.reports(requestID: request.id) }.map(\.state) == [.linked])
        #expect(try store.read { try $0.tasks(focusRequestID: request.id) }.map(\.status) == [.completed])
    }
}
