/// The programs measured side by side on the same loads.
enum Program: String, Sendable, CaseIterable {
    /// `postroom run --once` on a fresh data folder with the default configuration (`view: deferred`:
    /// the run ends once every drop is acknowledged and archived; its FHIR view is materialised by the
    /// next run, `serve` or a watcher's idle time).
    case postroom
    /// The same with `view: afterRun`: the FHIR view is materialised before the run ends.
    case postroomAfterRun = "postroom-afterrun"
    /// The I/O floor in C from `../shared/bench` (claim, read, hash, one row, an ACK file, tar.gz; no parsing).
    case floor
    /// The Python peer from `../shared/bench` (python-hl7, fhir.resources, lxml, sqlite3, tarfile; 2 workers).
    case peer
    /// The floor with `--fsync` (every ACK and the archive fsynced: durable, as Postroom is).
    case floorFsync = "floor-fsync"
    /// The peer with `--fsync`.
    case peerFsync = "peer-fsync"
    /// `postroom run --once --node a` with the PostgreSQL store (`--store postgres`): one node.
    case postroomPostgres = "postroom-pg"
    /// Two nodes, `run --once --node a` and `--node b`, started together on the same inboxes and database.
    case postroomPostgresTwoNodes = "postroom-pg-2nodes"

    /// Whether it is Postroom (either view timing, either store).
    var isPostroom: Bool { self == .postroom || self == .postroomAfterRun || usesPostgres }
    /// Whether its state is in PostgreSQL.
    var usesPostgres: Bool { self == .postroomPostgres || self == .postroomPostgresTwoNodes }
    /// The node names of its processes (none for the SQLite store: one process, no `--node`).
    var nodes: [String] {
        switch self {
        case .postroomPostgres: ["a"]
        case .postroomPostgresTwoNodes: ["a", "b"]
        default: []
        }
    }
    /// Whether it is the floor (with or without fsync).
    var isFloor: Bool { self == .floor || self == .floorFsync }
    /// Whether it is the peer (with or without fsync).
    var isPeer: Bool { self == .peer || self == .peerFsync }
    /// Whether it runs with `--fsync`.
    var fsyncs: Bool { self == .floorFsync || self == .peerFsync }
}
