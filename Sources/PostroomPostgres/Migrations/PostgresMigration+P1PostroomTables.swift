extension PostgresSchema {
    /// `p1-postroom-tables`: the SQLite schema as its migrations `v1`…`v13` leave it (Sources/PostroomStore/
    /// Migrations), in one step: a new PostgreSQL database has no older data to carry forward.
    ///
    /// Types: text stays TEXT (timestamps too: the store writes sortable UTC text, and the two stores keep
    /// one format); BLOB is BYTEA; 0/1 flags are BOOLEAN; `INTEGER PRIMARY KEY AUTOINCREMENT` is an identity
    /// column. The tables SQLite reads in `rowid` order (prescription items, dispense notifications) get a
    /// `seq` identity column that stands for it; `resource` and `resource_history` keep their unique keys.
    static let p1PostroomTables: [String] = [
        """
        CREATE TABLE run (
            id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, mode TEXT NOT NULL, status TEXT NOT NULL,
            accepted INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0, duplicates INTEGER NOT NULL DEFAULT 0,
            held INTEGER NOT NULL DEFAULT 0, archive_path TEXT)
        """,
        // One row per file taken from an inbox (or archive member). state: claimed → processed → done.
        """
        CREATE TABLE drop_file (
            id TEXT PRIMARY KEY, run_id TEXT NOT NULL, channel TEXT NOT NULL, name TEXT NOT NULL, size BIGINT NOT NULL,
            sha256 TEXT NOT NULL, received_at TEXT NOT NULL, work_path TEXT NOT NULL, state TEXT NOT NULL, outcome TEXT,
            format TEXT, duplicate_of TEXT, issues_json TEXT, ack_name TEXT, ack_bytes BYTEA,
            ack_written BOOLEAN NOT NULL DEFAULT FALSE, error_path TEXT, archive_path TEXT, archive_member TEXT,
            reprocess_of TEXT, parent_drop TEXT, ack_file TEXT, reprocess_whole BOOLEAN NOT NULL DEFAULT FALSE)
        """,
        "CREATE INDEX drop_file_sha256 ON drop_file(sha256)",
        "CREATE INDEX drop_file_state ON drop_file(state) WHERE state <> 'done'",
        "CREATE INDEX drop_file_run ON drop_file(run_id)",
        "CREATE INDEX drop_file_outcome ON drop_file(outcome, received_at)",
        "CREATE INDEX drop_file_channel_received ON drop_file(channel, received_at)",
        """
        CREATE TABLE message (
            id TEXT PRIMARY KEY, drop_id TEXT NOT NULL, idx INTEGER NOT NULL, type TEXT NOT NULL, format TEXT NOT NULL,
            disposition TEXT NOT NULL, duplicate_of TEXT, issues_json TEXT NOT NULL, raw BYTEA, at TEXT NOT NULL)
        """,
        "CREATE INDEX message_drop ON message(drop_id, idx)",
        // Business keys for de-duplication (v2 MSH-3/4/10, FHIR Bundle/MessageHeader ids, CDA ids).
        "CREATE TABLE dedupe_key (key TEXT PRIMARY KEY, message_id TEXT NOT NULL, drop_id TEXT NOT NULL)",
        """
        CREATE TABLE resource (
            type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, last_updated TEXT NOT NULL,
            json BYTEA NOT NULL, message_id TEXT)
        """,
        "CREATE UNIQUE INDEX resource_key ON resource(type, id)",
        """
        CREATE TABLE resource_history (
            type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, last_updated TEXT NOT NULL,
            json BYTEA NOT NULL, message_id TEXT)
        """,
        "CREATE UNIQUE INDEX resource_history_key ON resource_history(type, id, version)",
        """
        CREATE TABLE request (
            id TEXT PRIMARY KEY, channel TEXT NOT NULL, status TEXT NOT NULL, is_referral BOOLEAN NOT NULL,
            patient_keys TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, message_id TEXT NOT NULL)
        """,
        "CREATE INDEX request_open ON request(status, created_at)",
        "CREATE INDEX request_message ON request(message_id)",
        "CREATE TABLE request_key (key TEXT PRIMARY KEY, request_id TEXT NOT NULL, literal TEXT)",
        "CREATE INDEX request_key_request ON request_key(request_id)",
        // Reports and documents; state: linked | held | mismatch | superseded.
        """
        CREATE TABLE report (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, identity TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
            version INTEGER NOT NULL, state TEXT NOT NULL, request_id TEXT, patient_keys TEXT NOT NULL,
            request_keys TEXT NOT NULL, replaces TEXT, superseded_by TEXT, received_at TEXT NOT NULL,
            updated_at TEXT NOT NULL, message_id TEXT NOT NULL, note TEXT)
        """,
        "CREATE INDEX report_request ON report(request_id)",
        "CREATE INDEX report_state ON report(state, received_at)",
        "CREATE INDEX report_message ON report(message_id)",
        // Keys a held report waits on, so that an arriving request finds it by index.
        "CREATE TABLE held_key (key TEXT NOT NULL, report_id TEXT NOT NULL, PRIMARY KEY (key, report_id))",
        "CREATE INDEX held_key_report ON held_key(report_id)",
        """
        CREATE TABLE task (
            id TEXT PRIMARY KEY, status TEXT NOT NULL, focus_request_id TEXT, part_of TEXT, owner TEXT, requester TEXT,
            channel TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)
        """,
        "CREATE INDEX task_focus ON task(focus_request_id)",
        "CREATE INDEX task_status ON task(status)",
        "CREATE INDEX task_part_of ON task(part_of)",
        "CREATE TABLE task_key (key TEXT PRIMARY KEY, task_id TEXT NOT NULL, literal TEXT)",
        // Append-only: every Task transition with the message behind it.
        """
        CREATE TABLE task_history (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, task_id TEXT NOT NULL, from_status TEXT,
            to_status TEXT NOT NULL, at TEXT NOT NULL, message_id TEXT, reason TEXT NOT NULL)
        """,
        "CREATE INDEX task_history_task ON task_history(task_id, seq)",
        "CREATE INDEX task_history_message ON task_history(message_id)",
        """
        CREATE TABLE link (
            report_id TEXT NOT NULL, request_id TEXT NOT NULL, via_key TEXT NOT NULL, at TEXT NOT NULL,
            message_id TEXT NOT NULL, PRIMARY KEY (report_id, request_id))
        """,
        // Operator actions (reprocess, prune): who, when, what.
        """
        CREATE TABLE audit (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
            action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT)
        """,
        // Reprocess asked for from outside the pipeline; state: pending → done | refused.
        """
        CREATE TABLE reprocess_request (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, drop_id TEXT NOT NULL, requested_at TEXT NOT NULL,
            actor TEXT NOT NULL, state TEXT NOT NULL, result TEXT)
        """,
        "CREATE INDEX reprocess_request_pending ON reprocess_request(state) WHERE state = 'pending'",
        // Files sent besides acknowledgements, written after the transaction that decided them.
        """
        CREATE TABLE outbound (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, drop_id TEXT NOT NULL, channel TEXT NOT NULL,
            name TEXT NOT NULL, bytes BYTEA NOT NULL, written BOOLEAN NOT NULL DEFAULT FALSE)
        """,
        "CREATE INDEX outbound_drop ON outbound(drop_id)",
        "CREATE INDEX outbound_pending ON outbound(written) WHERE NOT written",
        // The FHIR search index (SearchIndex in PostroomStore).
        """
        CREATE TABLE search_param (
            src_type TEXT NOT NULL, src_id TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
            system TEXT, value TEXT, lo TEXT, hi TEXT)
        """,
        "CREATE INDEX search_param_value ON search_param(type, name, value, system, id)",
        "CREATE INDEX search_param_period ON search_param(type, name, lo) WHERE lo IS NOT NULL",
        "CREATE INDEX search_param_source ON search_param(src_type, src_id)",
        "CREATE TABLE setting (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        // The view journal (ViewJournal): versions waiting to be materialised.
        """
        CREATE TABLE view_record (
            seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, message_id TEXT, data BYTEA NOT NULL)
        """,
        """
        CREATE TABLE view_key (
            type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, record BIGINT NOT NULL,
            PRIMARY KEY (type, id, version))
        """,
        // The EPS prescription workflow (DOMAIN.md §5.4).
        """
        CREATE TABLE prescription (
            id TEXT PRIMARY KEY, long_id TEXT, task_id TEXT NOT NULL, channel TEXT NOT NULL, prescriber TEXT,
            nominated TEXT, dispenser TEXT, business_status TEXT NOT NULL, patient_keys TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, message_id TEXT NOT NULL)
        """,
        "CREATE INDEX prescription_task ON prescription(task_id)",
        "CREATE INDEX prescription_message ON prescription(message_id)",
        """
        CREATE TABLE prescription_item (
            seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, prescription_id TEXT NOT NULL, item_number TEXT NOT NULL,
            medication_request_id TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (prescription_id, item_number))
        """,
        // Dispense notifications; state: current | replaced | withdrawn.
        """
        CREATE TABLE dispense_notification (
            seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, id TEXT PRIMARY KEY, prescription_id TEXT NOT NULL,
            state TEXT NOT NULL, replaces TEXT, sender TEXT, at TEXT NOT NULL, message_id TEXT NOT NULL)
        """,
        "CREATE INDEX dispense_notification_prescription ON dispense_notification(prescription_id, at)",
        """
        CREATE TABLE dispense_item (
            notification_id TEXT NOT NULL, dispense_id TEXT NOT NULL, item_number TEXT, type_code TEXT,
            PRIMARY KEY (notification_id, dispense_id))
        """,
        "CREATE INDEX dispense_item_dispense ON dispense_item(dispense_id)",
    ]
}
