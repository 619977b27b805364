import Foundation
import Hummingbird
import HummingbirdTesting
import PostroomConfig
import PostroomCore
import PostroomPipeline
import PostroomServer
import PostroomStore
import Testing

/// The trigger-maintained search index on resources written directly: cases the sample does not
/// hold (a Patient-resolved subject, sub-tasks, partial dates and zones, updates, the index built
/// over rows that were there before it).
@Suite struct SearchIndexTests {
    final class Fixture: Sendable {
        let root: String
        let config: PipelineConfig
        let store: Store

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-index-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let json = try JSONParser().parse("""
                {"data": "data", "channels": [{"name": "in", "formats": ["fhir"], "role": "placer"}], "serve": {"anonymous": true}}
                """)
            config = try PipelineConfig.parse(json, base: root, configPath: root + "/pipeline.json")
            try FileManager.default.createDirectory(atPath: config.dataFolder, withIntermediateDirectories: true)
            store = try Store(path: config.database)
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        func put(_ type: String, _ id: String, _ json: String) throws {
            let v = try JSONParser().parse(json)
            _ = try store.write { try $0.putResource(type: type, id: id, resource: v, messageID: nil, at: StoreTime.string(Date())) }
        }

        func ids(_ c: any TestClientProtocol, _ uri: String) async throws -> Set<String> {
            let r = try await c.get(uri, headers: [:])
            #expect(r.status == .ok, "\(uri): \(r.text)")
            return try r.json().ids
        }
    }

    static let nhs = "https://fhir.nhs.uk/Id/nhs-number"

    func filled() throws -> Fixture {
        let f = try Fixture()
        // Written before the index exists: the index is built over them.
        try f.put("Patient", "p1", #"{"identifier": [{"system": "\#(Self.nhs)", "value": "9434765919"}]}"#)
        try f.put("ServiceRequest", "sr1", #"{"status": "active", "intent": "order", "subject": {"reference": "Patient/p1"}, "authoredOn": "2026-11"}"#)
        // (Until the lead registers `Schema.searchMigrations` in the migrator, the index does not exist yet here
        // and `prepareSearchIndex` builds it over sr1 and p1; afterwards the migration already has.)
        #expect(try Store.prepareSearchIndex(path: f.config.database))
        #expect(try Store.prepareSearchIndex(path: f.config.database), "idempotent")
        // Written afterwards: the triggers index them.
        try f.put("ServiceRequest", "sr2", #"{"status": "active", "intent": "order", "subject": {"reference": "Patient/p2"}, "authoredOn": "2026-11-20T23:30:00-02:00"}"#)
        try f.put("Task", "t1", #"{"status": "in-progress", "intent": "order", "focus": {"reference": "ServiceRequest/sr1"}}"#)
        try f.put("Task", "t2", #"""
            {"status": "requested", "intent": "order", "partOf": [{"reference": "Task/t1"}],
             "owner": {"identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "RX1"}},
             "lastModified": "2026-11-21T01:00:00.123Z"}
            """#)
        try f.put("DiagnosticReport", "dr1", #"""
            {"status": "final", "code": {"text": "x"}, "basedOn": [{"reference": "ServiceRequest/sr1"}],
             "subject": {"reference": "Patient/p1"}, "result": [{"reference": "Observation/o1"}, {"reference": "Observation/o2"}]}
            """#)
        for o in ["o1", "o2"] { try f.put("Observation", o, #"{"status": "final", "code": {"text": "x"}}"#) }
        try f.put("Observation", "o3", #"{"status": "final", "code": {"text": "x"}, "basedOn": [{"reference": "ServiceRequest/sr2"}]}"#)
        try f.put("DocumentReference", "d1", #"""
            {"status": "current", "content": [{"attachment": {"contentType": "text/plain"}}], "subject": {"reference": "Patient/p1"},
             "context": {"related": [{"reference": "ServiceRequest/sr2"}]}}
            """#)
        return f
    }

    func withFixture(_ f: Fixture, _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        let server = PostroomServer(pipeline: f.config, serve: try ServeConfig.parse(f.config.serve), logger: quietLogger)
        try await Application(router: server.router(), logger: quietLogger).test(.router) { try await body($0) }
    }

    @Test func subjectIdentifierFollowsTheSubjectReferenceToThePatient() async throws {
        let f = try filled()
        try await withFixture(f) { (c) async throws in
            let q = "subject:identifier=\(Self.nhs)|9434765919"
            #expect(try await f.ids(c, "/ServiceRequest?\(q)") == ["sr1"])
            #expect(try await f.ids(c, "/DiagnosticReport?\(q)") == ["dr1"])
            #expect(try await f.ids(c, "/DocumentReference?\(q)") == ["d1"])
            #expect(try await f.ids(c, "/Observation?\(q)") == [])
            #expect(try await f.ids(c, "/ServiceRequest?subject:identifier=9434765919") == ["sr1"])
            #expect(try await f.ids(c, "/ServiceRequest?subject:identifier=|9434765919") == [])
            #expect(try await f.ids(c, "/Patient?identifier=9434765919") == ["p1"])
        }
    }

    @Test func partOfOwnerAndDatesWithPartialPrecisionAndZones() async throws {
        let f = try filled()
        try await withFixture(f) { (c) async throws in
            #expect(try await f.ids(c, "/Task?part-of=Task/t1") == ["t2"])
            #expect(try await f.ids(c, "/Task?part-of=t1") == ["t2"])
            #expect(try await f.ids(c, "/Task?part-of=t2") == [])
            #expect(try await f.ids(c, "/Task?owner:identifier=https://fhir.nhs.uk/Id/ods-organization-code|RX1") == ["t2"])
            // sr1 was authored "2026-11" (the whole month); sr2 at 2026-11-21T01:30Z (23:30 on the 20th at -02:00).
            for (q, expected) in [("2026-11", ["sr1", "sr2"]), ("2026", ["sr1", "sr2"]), ("2026-11-21", ["sr2"]), ("2026-11-20", []),
                                  ("2026-11-20T23:30:00-02:00", ["sr2"]), ("ge2026-11-21", ["sr1", "sr2"]), ("lt2026-11-02", ["sr1"]),
                                  ("gt2026-11-30", []), ("le2026-10-31", []), ("ne2026-11-21", ["sr1"]), ("lt2026-11-21T01:30:00Z", ["sr1"])] {
                #expect(try await f.ids(c, "/ServiceRequest?authored=\(q)") == Set(expected), "authored=\(q)")
            }
            #expect(try await f.ids(c, "/Task?modified=2026-11-21T01:00:00.123Z") == ["t2"])
            #expect(try await f.ids(c, "/Task?modified=2026-11-21T01:00:00Z") == ["t2"])
            #expect(try await f.ids(c, "/Task?modified=2026-11-21T01:00:00.124Z") == [])
            #expect(try await f.ids(c, "/Task?modified=gt2026-11-21T01:00") == [])
        }
    }

    @Test func updatesReplaceTheOldValuesAndReportResultsFollowTheirReport() async throws {
        let f = try filled()
        try await withFixture(f) { (c) async throws in
            #expect(try await f.ids(c, "/Observation?based-on=ServiceRequest/sr1") == ["o1", "o2"])
            #expect(try await f.ids(c, "/Observation?based-on=sr2") == ["o3"])
            #expect(try await f.ids(c, "/Task?status=requested") == ["t2"])
            try f.put("Task", "t2", #"{"status": "completed", "intent": "order", "partOf": [{"reference": "Task/t1"}]}"#)
            try f.put("DiagnosticReport", "dr1", #"""
                {"status": "amended", "code": {"text": "x"}, "basedOn": [{"reference": "ServiceRequest/sr1"}],
                 "result": [{"reference": "Observation/o1"}]}
                """#)
            #expect(try await f.ids(c, "/Task?status=requested") == [])
            #expect(try await f.ids(c, "/Task?status=completed") == ["t2"])
            #expect(try await f.ids(c, "/Task?owner:identifier=RX1") == [])
            #expect(try await f.ids(c, "/Observation?based-on=ServiceRequest/sr1") == ["o1"])
            #expect(try await f.ids(c, "/DiagnosticReport?status=final") == [])
            #expect(try await f.ids(c, "/DiagnosticReport?status=amended") == ["dr1"])
            #expect(try await f.ids(c, "/DiagnosticReport?subject:identifier=9434765919") == [])
            let history = try await c.get("/Task/t2/_history", headers: [:]).json()
            #expect(history.total == 2)
        }
    }
}
