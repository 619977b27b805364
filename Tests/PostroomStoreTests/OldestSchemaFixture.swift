import Foundation
import GRDB
import PostroomCore
@testable import PostroomStore

/// A database written by the first schema ("v1-drops-and-workflow") the way the v1 code wrote it:
/// literal keys only, no search index, and a resource history that also held the current version.
enum OldestSchemaFixture {
    static let order = "https://trust.example/Id/order"

    static func write(to path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v1-drops-and-workflow")
        try queue.write { db in
            try intake(db)
            try workflow(db)
            try resources(db)
        }
        try queue.close()
    }

    static func intake(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO run (id, started_at, finished_at, mode, status, accepted, rejected, duplicates, held, archive_path)
                VALUES ('run1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:05.000Z', 'once', 'ok', 1, 0, 0, 1, '/a/run1.tar.gz');
            INSERT INTO drop_file (id, run_id, channel, name, size, sha256, received_at, work_path, state, outcome, format, issues_json,
                                   ack_name, ack_bytes, ack_written, archive_path, archive_member)
                VALUES ('d1', 'run1', 'lab', 'orm.hl7', 120, 'abc123', '2026-01-01T00:00:01.000Z', '/w/lab/d1_orm.hl7', 'done', 'accepted',
                        'hl7v2', ?, 'orm.hl7.d1.ack.hl7', ?, 1, '/a/run1.tar.gz', 'lab/d1_orm.hl7');
            INSERT INTO message (id, drop_id, idx, type, format, disposition, issues_json, raw, at)
                VALUES ('m1', 'd1', 0, 'ORM^O01', 'hl7v2', 'accepted', '[]', ?, '2026-01-01T00:00:01.000Z');
            INSERT INTO dedupe_key (key, message_id, drop_id) VALUES ('v2|EPR|HOSP|MSG1', 'm1', 'd1');
            INSERT INTO audit (at, actor, action, target, detail) VALUES ('2026-01-01T00:00:06.000Z', 'ops', 'reprocess', 'd0', NULL);
            """, arguments: [Issue.encode([.warning("obr-priority", at: "OBR-5", "Priority not given")]), Data("MSA|AA|MSG1\r".utf8),
                             Data("MSH|^~\\&|EPR\r".utf8)])
    }

    static func workflow(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO request VALUES ('sr1', 'orders', 'active', 0, '["nhs|9990000018"]', '2026-01-01T00:00:01.000Z',
                                        '2026-01-01T00:00:01.000Z', 'm1');
            INSERT INTO request_key (key, request_id) VALUES ('plac|EPR|PLC1', 'sr1'), ('id|\(order)|ORD1', 'sr1'),
                                                             ('ref|ServiceRequest/sr1', 'sr1');
            INSERT INTO report (id, kind, identity, status, version, state, request_id, patient_keys, request_keys, received_at,
                                updated_at, message_id)
                VALUES ('dr1', 'DiagnosticReport', 'v2|LAB|R1', 'final', 1, 'held', NULL, '["nhs|9990000018"]',
                        '["id|urn:oid:1.2.3|Q2","plac|LAB|Q2"]', '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:02.000Z', 'm2');
            INSERT INTO held_key (key, report_id) VALUES ('id|urn:oid:1.2.3|Q2', 'dr1'), ('plac|LAB|Q2', 'dr1');
            INSERT INTO task (id, status, focus_request_id, channel, created_at, updated_at)
                VALUES ('t1', 'in-progress', 'sr1', 'orders', '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:03.000Z');
            INSERT INTO task_key (key, task_id) VALUES ('id|urn:postroom:task|T1', 't1');
            INSERT INTO task_history (task_id, from_status, to_status, at, message_id, reason) VALUES
                ('t1', NULL, 'requested', '2026-01-01T00:00:01.000Z', 'm1', 'new request'),
                ('t1', 'requested', 'in-progress', '2026-01-01T00:00:03.000Z', 'm3', 'filler accepted');
            """)
    }

    static func resources(_ db: Database) throws {
        let v1 = #"{"resourceType":"ServiceRequest","id":"sr1","meta":{"versionId":"1","lastUpdated":"2026-01-01T00:00:01.000Z"},"status":"draft","identifier":[{"system":"\#(order)","value":"ORD1"}],"subject":{"reference":"Patient/p1"}}"#
        let v2 = #"{"resourceType":"ServiceRequest","id":"sr1","meta":{"versionId":"2","lastUpdated":"2026-01-01T00:00:03.000Z"},"status":"active","identifier":[{"system":"\#(order)","value":"ORD1"}],"subject":{"reference":"Patient/p1"}}"#
        let patient = #"{"resourceType":"Patient","id":"p1","meta":{"versionId":"1","lastUpdated":"2026-01-01T00:00:01.000Z"},"identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}]}"#
        let rows: [(String, String, Int, String, String)] = [
            ("ServiceRequest", "sr1", 1, "2026-01-01T00:00:01.000Z", v1),
            ("ServiceRequest", "sr1", 2, "2026-01-01T00:00:03.000Z", v2),
            ("Patient", "p1", 1, "2026-01-01T00:00:01.000Z", patient),
        ]
        for (type, id, version, time, text) in rows {
            // v1 upserted the current version and appended every version, the current one included, to the history.
            try db.execute(sql: """
                INSERT INTO resource (type, id, version, last_updated, json, message_id) VALUES (?, ?, ?, ?, ?, 'm1')
                ON CONFLICT (type, id) DO UPDATE SET version = excluded.version, last_updated = excluded.last_updated, json = excluded.json
                """, arguments: [type, id, version, time, Data(text.utf8)])
            try db.execute(sql: "INSERT INTO resource_history (type, id, version, last_updated, json, message_id) VALUES (?, ?, ?, ?, ?, 'm1')",
                           arguments: [type, id, version, time, Data(text.utf8)])
        }
    }
}
