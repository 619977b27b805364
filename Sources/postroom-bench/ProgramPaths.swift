/// Where the measured programs are, and how Postroom is configured for the runs.
struct ProgramPaths: Sendable {
    /// The `postroom` executable.
    var postroom: String
    /// The built floor program, when the comparison is on and it could be built.
    var floor: String?
    /// The peer's Python interpreter (in the venv) and script, when the comparison is on and it could be set up.
    var peer: (python: String, script: String)?
    /// `archive.compression` of the generated `pipeline.json`: gzip, zstd or none.
    var compression: String
    /// `archive.level` (nil: Postroom's default for the compression).
    var level: Int?
    /// `groupSize` (nil: Postroom's default).
    var groupSize: Int?
    /// The PostgreSQL server of `--store postgres` runs (nil: the SQLite store only).
    var postgres: BenchPostgres?

    /// The programs that will run, Postroom first: both view timings on SQLite, or with `--store postgres`
    /// SQLite's default run beside one and two PostgreSQL nodes.
    var programs: [Program] {
        (postgres == nil ? [.postroom, .postroomAfterRun] : [.postroom, .postroomPostgres, .postroomPostgresTwoNodes])
            + (floor == nil ? [] : [.floor, .floorFsync]) + (peer == nil ? [] : [.peer, .peerFsync])
    }
}
