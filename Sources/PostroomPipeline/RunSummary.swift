/// What one run did, for the command line, the metrics file and tests.
public struct RunSummary: Sendable {
    /// Counts for one channel.
    public struct Counts: Sendable, Equatable {
        public var accepted = 0
        public var rejected = 0
        public var duplicates = 0
        public var partial = 0
        public var held = 0
        public var messages = 0
        public var bytes: Int64 = 0
        public init() {}
    }

    public var runID: String
    public var startedAt: String
    public var finishedAt: String = ""
    public var seconds: Double = 0
    public var channels: [String: Counts] = [:]
    /// Reports linked to their request during this run (including held ones linked later).
    public var linked = 0
    public var tasksCreated = 0
    public var taskTransitions = 0
    public var acksWritten = 0
    public var archivePath: String?
    /// Every archive of the run, in order (more than one when it took more than `archive.partDrops` drops).
    public var archivePaths: [String] = []
    /// The first rejected originals moved into `error/` (at most `errorFilesListed`; the counts say how many in all;
    /// `--json` lists the same).
    public var errorFiles: [String] = []
    public static let errorFilesListed = 200
    /// Inbox entries not taken (symlinks, FIFOs, …), per channel.
    public var refused: [String: [InboxScanner.Refused]] = [:]
    /// Drops finished after a crash of an earlier run.
    public var recovered = 0
    /// Channels whose inbox could not be read.
    public var unavailable: [String] = []
    /// Drops whose acknowledgement or original could not be placed (each with the step and why); they
    /// are left for the next run, and the other drops went on.
    public var unplaced: [String] = []
    /// Reprocess requests that could not start, with why.
    public var problems: [String] = []

    public init(runID: String, startedAt: String) {
        self.runID = runID
        self.startedAt = startedAt
    }

    public var total: Counts {
        channels.values.reduce(into: Counts()) { t, c in
            t.accepted += c.accepted
            t.rejected += c.rejected
            t.duplicates += c.duplicates
            t.partial += c.partial
            t.held += c.held
            t.messages += c.messages
            t.bytes += c.bytes
        }
    }

    /// Exit code of `run --once`: 74 (EX_IOERR) when an inbox could not be read at all, or a drop's outputs
    /// could not be placed; else 65 (EX_DATAERR) when something was rejected; else 0.
    public var exitCode: Int32 {
        // An inbox that could not be read or an output that could not be placed needs the operator;
        // a rejected drop is answered and in error/ already: 74 wins over 65.
        if !unavailable.isEmpty || !unplaced.isEmpty { return 74 }
        let t = total
        return t.rejected > 0 || t.partial > 0 ? 65 : 0
    }
}
