import GRDB

/// The SQLite schema, as GRDB migrations. Migrations only ever append.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-drops-and-workflow") { db in
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
        m.registerMigration("v2-reprocess-requests") { db in
            try db.execute(sql: """
                -- Reprocess asked for by an operator from outside the pipeline (e.g. the web page);
                -- the next run (or watch poll) takes them. state: pending → done | refused.
                CREATE TABLE reprocess_request (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    drop_id TEXT NOT NULL,
                    requested_at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    state TEXT NOT NULL,
                    result TEXT
                );
                CREATE INDEX reprocess_request_pending ON reprocess_request(state) WHERE state = 'pending';
                """)
        }
        m.registerMigration("v3-outbound") { db in
            try db.execute(sql: """
                -- Files Postroom sends besides acknowledgements (Option H: Tasks routed to their owner,
                -- status changes to their requester), written after the transaction that decided them.
                CREATE TABLE outbound (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    drop_id TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    name TEXT NOT NULL,
                    bytes BLOB NOT NULL,
                    written INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX outbound_drop ON outbound(drop_id);
                CREATE INDEX outbound_pending ON outbound(written) WHERE written = 0;
                """)
        }
        Schema.searchMigrations(&m)
        m.registerMigration("v5-history-without-current") { db in
            // The current version is kept in `resource` only; the history holds the versions it replaced.
            try db.execute(sql: """
                DELETE FROM resource_history WHERE version = (SELECT r.version FROM resource r
                    WHERE r.type = resource_history.type AND r.id = resource_history.id)
                """)
        }
        m.registerMigration("v6-lighter-search-index") { db in
            // Every indexed row updated four B-trees; dates alone need the period index, and `system|`
            // searches use the (type, name, value, system) index's prefix.
            try db.execute(sql: """
                DROP INDEX IF EXISTS search_param_system;
                DROP INDEX IF EXISTS search_param_date;
                CREATE INDEX IF NOT EXISTS search_param_period ON search_param(type, name, lo) WHERE lo IS NOT NULL;
                """)
        }
        m.registerMigration("v7-resources-in-rowid-tables") { db in
            // Resource JSON is large (often over a tenth of a page): in a WITHOUT ROWID table every
            // row sat in the key's B-tree, so inserts in random id order rewrote pages all over the
            // file. Rows now append to a rowid table with a small unique index on (type, id).
            try db.execute(sql: """
                CREATE TABLE resource_new (
                    type TEXT NOT NULL,
                    id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    last_updated TEXT NOT NULL,
                    json BLOB NOT NULL,
                    message_id TEXT
                );
                INSERT INTO resource_new (type, id, version, last_updated, json, message_id)
                    SELECT type, id, version, last_updated, json, message_id FROM resource;
                DROP TABLE resource;
                ALTER TABLE resource_new RENAME TO resource;
                CREATE UNIQUE INDEX resource_key ON resource(type, id);
                CREATE TABLE resource_history_new (
                    type TEXT NOT NULL,
                    id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    last_updated TEXT NOT NULL,
                    json BLOB NOT NULL,
                    message_id TEXT
                );
                INSERT INTO resource_history_new (type, id, version, last_updated, json, message_id)
                    SELECT type, id, version, last_updated, json, message_id FROM resource_history;
                DROP TABLE resource_history;
                ALTER TABLE resource_history_new RENAME TO resource_history;
                CREATE UNIQUE INDEX resource_history_key ON resource_history(type, id, version);
                """)
        }
        m.registerMigration("v8-ack-files") { db in
            // Large answers (a batch of 200,000 ACKs) are kept as files in `<data>/acks/`, not as blobs.
            try db.execute(sql: "ALTER TABLE drop_file ADD COLUMN ack_file TEXT")
        }
        m.registerMigration("v9-search-index-only-searched-parameters") { db in
            // Identifiers are searched on ServiceRequest and Patient only, status on ServiceRequest, Task, DiagnosticReport.
            try db.execute(sql: """
                DELETE FROM search_param WHERE (name = 'identifier' AND type NOT IN ('ServiceRequest', 'Patient'))
                    OR (name = 'status' AND type NOT IN ('ServiceRequest', 'Task', 'DiagnosticReport'))
                """)
        }
        m.registerMigration("v10-canonical-identity-keys") { db in
            // Keys are indexed in their canonical form (IdentityNamespaces); the literal key as the
            // message wrote it is kept beside it so that keys can be re-derived when the namespaces change.
            try db.execute(sql: """
                ALTER TABLE request_key ADD COLUMN literal TEXT;
                ALTER TABLE task_key ADD COLUMN literal TEXT;
                CREATE TABLE setting (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                -- Expected-file schedules count a channel's drops in a time window.
                CREATE INDEX drop_file_channel_received ON drop_file(channel, received_at);
                -- What a message stored and moved (postroom show, the drop page) without scanning whole tables.
                CREATE INDEX request_message ON request(message_id);
                CREATE INDEX report_message ON report(message_id);
                CREATE INDEX task_history_message ON task_history(message_id);
                -- A reprocess re-runs only what failed unless the operator asked for the whole drop.
                ALTER TABLE drop_file ADD COLUMN reprocess_whole INTEGER NOT NULL DEFAULT 0;
                """)
            // Keyset paging reads one value's matches in id order straight from the index.
            if try db.tableExists("search_param") {
                try db.execute(sql: """
                    DROP INDEX IF EXISTS search_param_value;
                    CREATE INDEX search_param_value ON search_param(type, name, value, system, id);
                    """)
            }
        }
        Schema.appointmentSearchMigration(&m)
        return m
    }
}
