import GRDB

extension Schema {
    /// `v1-drops-and-workflow`: The first schema: runs, drops, messages, de-duplication keys, versioned resources, requests,
    /// reports and the keys they wait on, Tasks and their history, links, and the operator's audit trail.
    static func v1DropsAndWorkflow(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE run (
                id TEXT PRIMARY KEY,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                mode TEXT NOT NULL,
                status TEXT NOT NULL,
                accepted INTEGER NOT NULL DEFAULT 0,
                rejected INTEGER NOT NULL DEFAULT 0,
                duplicates INTEGER NOT NULL DEFAULT 0,
                held INTEGER NOT NULL DEFAULT 0,
                archive_path TEXT
            );
            -- One row per file taken from an inbox (or archive member). state: claimed → processed → done.
            CREATE TABLE drop_file (
                id TEXT PRIMARY KEY,
                run_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                name TEXT NOT NULL,
                size INTEGER NOT NULL,
                sha256 TEXT NOT NULL,
                received_at TEXT NOT NULL,
                work_path TEXT NOT NULL,
                state TEXT NOT NULL,
                outcome TEXT,
                format TEXT,
                duplicate_of TEXT,
                issues_json TEXT,
                ack_name TEXT,
                ack_bytes BLOB,
                ack_written INTEGER NOT NULL DEFAULT 0,
                error_path TEXT,
                archive_path TEXT,
                archive_member TEXT,
                reprocess_of TEXT,
                parent_drop TEXT
            );
            CREATE INDEX drop_file_sha256 ON drop_file(sha256);
            CREATE INDEX drop_file_state ON drop_file(state) WHERE state != 'done';
            CREATE INDEX drop_file_run ON drop_file(run_id);
            CREATE INDEX drop_file_outcome ON drop_file(outcome, received_at);

            CREATE TABLE message (
                id TEXT PRIMARY KEY,
                drop_id TEXT NOT NULL,
                idx INTEGER NOT NULL,
                type TEXT NOT NULL,
                format TEXT NOT NULL,
                disposition TEXT NOT NULL,
                duplicate_of TEXT,
                issues_json TEXT NOT NULL,
                raw BLOB,
                at TEXT NOT NULL
            );
            CREATE INDEX message_drop ON message(drop_id, idx);

            -- Business keys for de-duplication (v2 MSH-3/4/10, FHIR Bundle/MessageHeader ids, CDA ids).
            CREATE TABLE dedupe_key (
                key TEXT PRIMARY KEY,
                message_id TEXT NOT NULL,
                drop_id TEXT NOT NULL
            );

            -- Every stored FHIR resource, current version, and all versions.
            CREATE TABLE resource (
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                version INTEGER NOT NULL,
                last_updated TEXT NOT NULL,
                json BLOB NOT NULL,
                message_id TEXT,
                PRIMARY KEY (type, id)
            ) WITHOUT ROWID;
            CREATE TABLE resource_history (
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                version INTEGER NOT NULL,
                last_updated TEXT NOT NULL,
                json BLOB NOT NULL,
                message_id TEXT,
                PRIMARY KEY (type, id, version)
            ) WITHOUT ROWID;

            -- Requests (ServiceRequests) and the keys reports and Tasks use to find them.
            CREATE TABLE request (
                id TEXT PRIMARY KEY,
                channel TEXT NOT NULL,
                status TEXT NOT NULL,
                is_referral INTEGER NOT NULL,
                patient_keys TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                message_id TEXT NOT NULL
            );
            CREATE INDEX request_open ON request(status, created_at);
            CREATE TABLE request_key (
                key TEXT PRIMARY KEY,
                request_id TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX request_key_request ON request_key(request_id);

            -- Reports and documents; state: linked | held | mismatch | superseded.
            CREATE TABLE report (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                identity TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL,
                version INTEGER NOT NULL,
                state TEXT NOT NULL,
                request_id TEXT,
                patient_keys TEXT NOT NULL,
                request_keys TEXT NOT NULL,
                replaces TEXT,
                superseded_by TEXT,
                received_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                message_id TEXT NOT NULL,
                note TEXT
            );
            CREATE INDEX report_request ON report(request_id);
            CREATE INDEX report_state ON report(state, received_at);
            -- Keys a held report waits on, so that an arriving request finds it by index.
            CREATE TABLE held_key (
                key TEXT NOT NULL,
                report_id TEXT NOT NULL,
                PRIMARY KEY (key, report_id)
            ) WITHOUT ROWID;
            CREATE INDEX held_key_report ON held_key(report_id);

            CREATE TABLE task (
                id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                focus_request_id TEXT,
                part_of TEXT,
                owner TEXT,
                requester TEXT,
                channel TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX task_focus ON task(focus_request_id);
            CREATE INDEX task_status ON task(status);
            CREATE INDEX task_part_of ON task(part_of);
            CREATE TABLE task_key (
                key TEXT PRIMARY KEY,
                task_id TEXT NOT NULL
            ) WITHOUT ROWID;
            -- Append-only: every Task transition with the message behind it.
            CREATE TABLE task_history (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                task_id TEXT NOT NULL,
                from_status TEXT,
                to_status TEXT NOT NULL,
                at TEXT NOT NULL,
                message_id TEXT,
                reason TEXT NOT NULL
            );
            CREATE INDEX task_history_task ON task_history(task_id, seq);

            CREATE TABLE link (
                report_id TEXT NOT NULL,
                request_id TEXT NOT NULL,
                via_key TEXT NOT NULL,
                at TEXT NOT NULL,
                message_id TEXT NOT NULL,
                PRIMARY KEY (report_id, request_id)
            ) WITHOUT ROWID;

            -- Operator actions (reprocess, prune): who, when, what.
            CREATE TABLE audit (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                detail TEXT
            );
            """)
    }
}
