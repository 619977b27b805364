extension PostgresSchema {
    /// `p5-run-order`: runs indexed by start, by finish and by status, as SQLite's v15 has them: the latest runs,
    /// the last clean run and the unfinished ones are read without sorting every run the store keeps.
    /// (v14's `drop_tally` has no twin here: see `StoreReader.dropCounts`.)
    static let p5RunOrder: [String] = [
        "CREATE INDEX run_started ON run(started_at, id)",
        "CREATE INDEX run_finished ON run(finished_at)",
        "CREATE INDEX run_status ON run(status)",
    ]
}
