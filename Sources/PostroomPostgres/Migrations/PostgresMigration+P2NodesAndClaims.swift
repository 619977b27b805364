extension PostgresSchema {
    /// `p2-nodes-and-claims`: the nodes sharing the database and their claims of drops (docs/POSTGRES.md).
    ///
    /// `node`: one row per `--node` name; `incarnation` grows at every registration, so a process that
    /// was replaced under the same name learns it at its next heartbeat. Times come from the database's
    /// clock (`clock_timestamp()`), the one clock all nodes share. `drop_claim`: one row per drop in
    /// flight; the file-system rename into the work folder decides which node has it, the row records
    /// that with a lease and a fencing token from `fencing_token`. A takeover gives the row a new token,
    /// so the old holder's commit guard (`token = its token`) no longer matches.
    static let p2NodesAndClaims: [String] = [
        """
        CREATE TABLE node (
            name TEXT PRIMARY KEY,
            incarnation BIGINT NOT NULL DEFAULT 1,
            started_at TIMESTAMPTZ NOT NULL,
            heartbeat_at TIMESTAMPTZ NOT NULL,
            stopped_at TIMESTAMPTZ,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            version TEXT NOT NULL)
        """,
        "CREATE SEQUENCE fencing_token AS BIGINT",
        """
        CREATE TABLE drop_claim (
            drop_id TEXT PRIMARY KEY,
            channel TEXT NOT NULL,
            name TEXT NOT NULL,
            work_path TEXT NOT NULL,
            node TEXT NOT NULL REFERENCES node(name),
            token BIGINT NOT NULL UNIQUE,
            claimed_at TIMESTAMPTZ NOT NULL,
            lease_until TIMESTAMPTZ NOT NULL,
            taken_over_from TEXT,
            takeovers INTEGER NOT NULL DEFAULT 0)
        """,
        "CREATE INDEX drop_claim_lease ON drop_claim(lease_until)",
        "CREATE INDEX drop_claim_node ON drop_claim(node)",
    ]
}
