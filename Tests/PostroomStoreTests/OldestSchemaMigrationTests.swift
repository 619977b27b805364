import Foundation
import GRDB
import PostroomCore
@testable import PostroomStore
import Testing

/// A database written by the first schema opens with `Store(path:)`, which runs every later
/// migration, and its data is intact and usable through the public API.
@Suite struct OldestSchemaMigrationTests {
    typealias Old = OldestSchemaFixture
    let folder: URL
    let path: String
    let store: Store

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-v1-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("postroom.sqlite").path
        try Old.write(to: path)
        store = try Store(path: path)
    }

    // Swift Testing runs no deinit on structs; remove the folder from each test instead.
    func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    @Test func everyMigrationRuns() throws {
        defer { cleanUp() }
        let applied = try store.pool.read { try Schema.migrator.appliedIdentifiers($0) }
        let known = Schema.migrator.migrations
        #expect(applied == Set(known))
        #expect(known.first == "v1-drops-and-workflow")
        #expect(known.count == 19)
        #expect(try store.read { try $0.hasSearchIndex() })
    }

    /// v14's tally starts from the drops already stored, and refusing a newer schema does not refuse this one.
    @Test func theDropsAlreadyStoredAreCounted() throws {
        defer { cleanUp() }
        #expect(try store.read { try $0.dropCounts() }.map { "\($0.channel)/\($0.outcome)=\($0.count)" } == ["lab/accepted=1"])
    }

    /// Read-only (`status`, `serve`) before any run of this version migrated the file: no tally yet, the drops are counted.
    @Test func aDatabaseNotYetMigratedIsCountedWhenReadOnly() throws {
        defer { cleanUp() }
        let older = folder.appendingPathComponent("older.sqlite").path
        try Old.write(to: older)
        let readOnly = try Store(path: older, readOnly: true)
        #expect(try readOnly.read { try $0.dropCounts() }.map { "\($0.channel)/\($0.outcome)=\($0.count)" } == ["lab/accepted=1"])
    }

    /// A database a newer build migrated is refused, naming what this build does not know, and left as it was.
    @Test func aDatabaseOfANewerBuildIsRefused() throws {
        defer { cleanUp() }
        try store.pool.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-a-newer-build')") }
        #expect {
            _ = try Store(path: path)
        } throws: { error in
            "\(error)".contains("migrated by a newer Postroom (v99-from-a-newer-build)") && (error as? Store.Failure)?.newerSchema == true
        }
        #expect {
            _ = try Store(path: path, readOnly: true)
        } throws: { error in
            "\(error)".contains("migrated by a newer Postroom") && (error as? Store.Failure)?.newerSchema == true
        }
        let applied = try store.pool.read { try Schema.migrator.appliedIdentifiers($0) }
        #expect(applied.contains("v99-from-a-newer-build") && applied.count == 20)
    }

    /// `serve` builds a missing search index before it opens the database read-only: not in a database
    /// a newer build migrated (here one that has no `search_param` table), which is left as it was.
    @Test func aNewerDatabaseGetsNoSearchIndex() throws {
        defer { cleanUp() }
        try store.pool.write { db in
            try db.execute(sql: "DROP TABLE search_param")
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-a-newer-build')")
        }
        #expect {
            try Store.prepareSearchIndex(path: path)
        } throws: { error in
            "\(error)".contains("migrated by a newer Postroom (v99-from-a-newer-build)") && (error as? Store.Failure)?.newerSchema == true
        }
        #expect(try store.pool.read { try $0.tableExists("search_param") } == false)
    }

    @Test func intakeRecordsAreIntact() throws {
        defer { cleanUp() }
        let d = try #require(try store.read { try $0.drop(id: "d1") })
        #expect(d.state == .done)
        #expect(d.outcome == .accepted)
        #expect(d.ackBytes == Array("MSA|AA|MSG1\r".utf8))
        #expect(d.ackFile == nil, "the column v8 added is empty")
        #expect(d.issues.map(\.code) == ["obr-priority"])
        #expect(try store.read { try $0.messages(dropID: "d1") }.map(\.raw) == [Array("MSH|^~\\&|EPR\r".utf8)])
        #expect(try store.read { try $0.dedupeHit(["v2|EPR|HOSP|MSG1"]) }?.dropID == "d1")
        #expect(try store.read { try $0.appliedDrop(sha256: "abc123", excluding: "d2") }?.id == "d1")
        #expect(try store.read { try $0.runs() }.map(\.archivePath) == ["/a/run1.tar.gz"])
        #expect(try store.read { try $0.auditTrail() }.map(\.action) == ["reprocess"])
        #expect(try store.read { try $0.pendingReprocessRequests() }.isEmpty, "the v2 queue starts empty")
    }

    @Test func theRequestIsFoundByItsKeysInAnySpelling() throws {
        defer { cleanUp() }
        #expect(try store.read { try $0.requestMatches(keys: ["plac|EPR|PLC1"]) }.map(\.request.id) == ["sr1"])
        #expect(try store.read { try $0.requestMatches(keys: ["id|\(Old.order)|ORD1"]) }.map(\.request.id) == ["sr1"])
        #expect(try store.read { try $0.requestKeys(requestID: "sr1") }
                == ["ns|\(Old.order)|ORD1", "plac|EPR|PLC1", "ref|ServiceRequest/sr1"], "a URI namespace is canonical as written")
        #expect(try store.read { try $0.request(id: "sr1") }?.patientKeys == ["nhs|9990000018"])
    }

    @Test func theHeldReportIsFoundByItsHeldKeys() throws {
        defer { cleanUp() }
        #expect(try store.read { try $0.heldReports(keys: ["plac|LAB|Q2"]) }.map(\.id) == ["dr1"])
        #expect(try store.read { try $0.heldReports(keys: ["plac|urn:oid:1.2.3|Q2"]) }.map(\.id) == ["dr1"], "the OID spelling meets the FHIR one")
        #expect(try store.read { try $0.report(identity: "v2|LAB|R1") }?.state == .held)
    }

    @Test func theTaskAndItsHistoryAreIntact() throws {
        defer { cleanUp() }
        #expect(try store.read { try $0.task(keys: ["id|urn:postroom:task|T1"]) }?.status == .inProgress)
        let history = try store.read { try $0.taskHistory(taskID: "t1") }
        #expect(history.map { "\($0.from ?? "-")→\($0.to) \($0.reason)" } == ["-→requested new request", "requested→in-progress filler accepted"])
        #expect(try store.read { try $0.tasks(focusRequestID: "sr1") }.map(\.id) == ["t1"])
    }

    @Test func resourcesKeepEveryVersionOnce() throws {
        defer { cleanUp() }
        let versions = try store.read { try $0.resourceVersions(type: "ServiceRequest", id: "sr1") }
        #expect(versions.map(\.version) == [2, 1], "the history no longer repeats the current version")
        #expect(versions.first?.resource["status"]?.string == "active")
        #expect(try store.read { try $0.resource(type: "Patient", id: "p1") }?["id"]?.string == "p1")
        let v3 = try store.write { try $0.putResource(type: "ServiceRequest", id: "sr1", resource: json(#"{"status":"completed"}"#),
                                                      messageID: "m9", at: "2026-02-01T00:00:00.000Z") }
        #expect(v3 == 3)
        #expect(try store.read { try $0.resourceVersions(type: "ServiceRequest", id: "sr1") }.map(\.version) == [3, 2, 1])
    }

    @Test func theSearchIndexCoversWhatV1Stored() throws {
        defer { cleanUp() }
        let status = SearchFixture.status("active")
        let subject = SearchCriterion(name: "subject", match: .reference(["Patient/p1"]))
        let ids = { (c: [SearchCriterion]) in try store.read { try $0.search(type: "ServiceRequest", criteria: c, offset: 0, limit: 10) } }
        #expect(SearchFixture.ids(try ids([status])) == ["sr1"])
        #expect(SearchFixture.ids(try ids([status, subject])) == ["sr1"])
        #expect(SearchFixture.ids(try ids([SearchFixture.status("draft")])) == [], "only the current version is indexed")
        #expect(SearchFixture.ids(try ids([SearchFixture.token("identifier", .exact(Old.order), "ORD1")])) == ["sr1"])
        let nhs = SearchCriterion(name: "subject:identifier",
                                  match: .subjectIdentifier([.init(system: .exact(SearchFixture.nhs), code: "9990000018")]))
        #expect(SearchFixture.ids(try ids([nhs])) == ["sr1"])
    }

    @Test func newWritesUseTheUpgradedSchema() throws {
        defer { cleanUp() }
        try store.write { w in
            try w.insertDrop(sampleDrop("d2"))
            try w.markProcessed(dropID: "d2", outcome: .accepted, format: "hl7v2", duplicateOf: nil, issues: [], ackName: "a",
                                ackBytes: nil, ackFile: "/acks/d2", errorPath: nil)
            try w.requestReprocess(dropID: "d1", actor: "ops", at: "2026-02-01T00:00:00.000Z")
            try w.addRequestKeys(["fill|urn:oid:1.2.3|F1"], requestID: "sr1")
        }
        #expect(try store.read { try $0.drop(id: "d2") }?.ackFile == "/acks/d2")
        #expect(try store.read { try $0.pendingReprocessRequests() }.map(\.dropID) == ["d1"])
        #expect(try store.read { try $0.requestMatches(keys: ["id|urn:oid:1.2.3|F1"]) }.map(\.request.id) == ["sr1"])
    }
}
