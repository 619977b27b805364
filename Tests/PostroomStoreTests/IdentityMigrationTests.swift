import Foundation
import GRDB
import PostroomCore
@testable import PostroomStore
import Testing

/// A database written by the schema before canonical keys (v9) is upgraded: its keys are re-derived,
/// so orders and held results stored before meet their other-format spellings; and they are
/// re-derived again whenever the namespaces change.
@Suite struct IdentityMigrationTests {
    static let oid = "2.16.840.1.113883.2.1.3.2.4.18.42"
    static let epr = try! IdentityNamespaces([.init(name: "EPR", v2: ["EPR"], fhir: ["https://fhir.example-trust.nhs.uk/Id/placer-order-number"],
                                                    oid: [oid])])

    /// A v9 database holding what the earlier code wrote: a v2 order, a CDA report held for another order, and a Task.
    func v9Database() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-v9-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v9-search-index-only-searched-parameters")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO request VALUES ('r1', 'orders', 'active', 0, '["nhs|9990000018"]', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'm1');
                INSERT INTO request_key (key, request_id) VALUES ('plac|EPR|PLC1', 'r1'), ('ref|ServiceRequest/r1', 'r1');
                INSERT INTO report (id, kind, identity, status, version, state, request_id, patient_keys, request_keys, received_at, updated_at, message_id)
                    VALUES ('d1', 'DocumentReference', 'cda|x', 'final', 1, 'held', NULL, '["nhs|9990000018"]',
                            '["plac|urn:oid:\(Self.oid)|PLC2"]', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'm2');
                INSERT INTO held_key (key, report_id) VALUES ('plac|urn:oid:\(Self.oid)|PLC2', 'd1');
                INSERT INTO task (id, status, focus_request_id, channel, created_at, updated_at)
                    VALUES ('t1', 'requested', 'r1', 'orders', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
                INSERT INTO task_key (key, task_id) VALUES ('id|https://fhir.example-trust.nhs.uk/Id/placer-order-number|T1', 't1');
                """)
        }
        return path
    }

    @Test func keysOfAnOlderDatabaseAreReDerived() throws {
        let path = try v9Database()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try Store(path: path, identity: Self.epr)
        try store.read { (r: StoreReader) throws in
            #expect(try r.requestMatches(keys: ["id|https://fhir.example-trust.nhs.uk/Id/placer-order-number|PLC1"]).map(\.request.id) == ["r1"])
            #expect(try r.requestMatches(keys: ["plac|urn:oid:\(Self.oid)|PLC1"]).map(\.key) == ["ns|EPR|PLC1"])
            #expect(try r.heldReports(keys: ["plac|EPR|PLC2"]).map(\.id) == ["d1"], "a held CDA report meets a v2 order")
            #expect(try r.task(keys: ["plac|EPR|T1"])?.id == "t1")
            #expect(try r.requestKeys(requestID: "r1") == ["ns|EPR|PLC1", "ref|ServiceRequest/r1"])
        }
        #expect(try store.write { try $0.rekeyIfNeeded() } == false, "re-derived once, not on every open")
    }

    @Test func changedNamespacesReDeriveFromTheLiteralKeys() throws {
        let path = try v9Database()
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try Store(path: path, identity: Self.epr)
        let renamed = try IdentityNamespaces([.init(name: "TRUST", v2: ["EPR"], oid: [Self.oid])])
        try Store(path: path, identity: renamed).read { (r: StoreReader) throws in
            #expect(try r.requestKeys(requestID: "r1") == ["ns|TRUST|PLC1", "ref|ServiceRequest/r1"])
            #expect(try r.heldReports(keys: ["plac|EPR|PLC2"]).map(\.id) == ["d1"])
        }
        try Store(path: path, identity: .standard).read { (r: StoreReader) throws in
            #expect(try r.requestKeys(requestID: "r1") == ["plac|EPR|PLC1", "ref|ServiceRequest/r1"], "the literal key was kept")
        }
    }
}
