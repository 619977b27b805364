import Foundation
import Synchronization
import Logging
import PostroomArchive
import PostroomCore
import PostroomStore

/// One run: its id, its counts, and the archive it is writing.
///
/// Threads: the counts and `seen`/`done` belong to the decoding stage; the archive (`archive(drop:)`)
/// to the placing stage while a run is processing, and to whoever runs before `placer` gets work
/// (recovery) or after `placer.drain()` (`finish`); `errorFiles` is locked.
final class RunSession: @unchecked Sendable {
    unowned let pipeline: Pipeline
    let id: String
    let started: Date
    var summary: RunSummary
    /// Drops seen in the inboxes (written by the claiming stage, read for progress).
    let seen = Atomic<Int>(0)
    /// Drops applied (the applying stage).
    var done = 0
    /// Whether the applying stage's groups are settled with savepoints elided (`SavepointPolicy`).
    var savepoints = SavepointPolicy()
    /// Channels whose inbox could not be read in this run.
    var unavailable: [String] = []
    /// The placing stage (acknowledgements, archive, `error/`) running beside the others.
    let placer = Placer()
    /// Inbox files whose claim (rename into `work/`) failed in this run: left in the inbox, not tried again
    /// until the next run (the claiming stage).
    var unclaimable: Set<String> = []
    /// Inbox entries not taken, per channel (written by the claiming stage).
    var refused: [String: [InboxScanner.Refused]] = [:]
    /// Rejected originals moved into `error/` (appended by the placing stage).
    let errorFiles = Mutex<[String]>([])
    /// Drops whose outputs could not be placed in this run, each with the step and why (the placing stage).
    let unplaced = Mutex<[String]>([])

    /// The run's archive (in parts for very large runs), written by the placing stage.
    private(set) var archive: RunArchive!

    let mode: String
    /// Whether the run is recorded; a watch poll that finds nothing leaves no trace.
    private let recordedFlag = Mutex(false)
    var recorded: Bool { recordedFlag.withLock { $0 } }

    /// Told (drops done, drops seen) after each group.
    let progress: (@Sendable (_ done: Int, _ seen: Int) -> Void)?

    init(pipeline: Pipeline, mode: String, progress: (@Sendable (_ done: Int, _ seen: Int) -> Void)? = nil) throws {
        self.pipeline = pipeline
        self.mode = mode
        self.progress = progress
        id = pipeline.ids.next()
        started = Date()
        summary = RunSummary(runID: id, startedAt: StoreTime.string(started))
        archive = RunArchive(pipeline: pipeline, runID: id, started: started)
        if mode != "watch" { try record() }
    }

    /// Records the run (once), before its first drop is recorded.
    func record() throws {
        guard recordedFlag.withLock({ r in defer { r = true }; return !r }) else { return }
        try pipeline.store.write { w in
            try w.markStaleRunsCrashed(except: id)
            try w.insertRun(id: id, startedAt: summary.startedAt, mode: mode)
        }
        pipeline.logger.info("run started", metadata: ["run": .string(id), "mode": .string(mode)])
    }

    /// Adds a drop's original to the run's archive.
    func archive(drop: DropRecord, manifestEntry: JSONValue, bytes: [UInt8]? = nil, modified: Date? = nil) throws {
        try archive.add(drop: drop, manifestEntry: manifestEntry, bytes: bytes, modified: modified)
    }

    /// Closes the archive's last part, and records the run's end.
    func finish() throws -> RunSummary {
        try placer.drain()
        summary.refused = refused
        summary.errorFiles = errorFiles.withLock { $0 }
        let p = pipeline
        // Originals compressed ahead for drops that did not reach the archive (a pass that failed).
        defer { archive.discardAhead() }
        try archive.closePart()
        // The work files of the last part are removed beside what follows; waited for before returning.
        defer { try? archive.finishRemoval() }
        summary.archivePath = archive.paths.first
        summary.archivePaths = archive.paths
        summary.unavailable = unavailable
        summary.unplaced = unplaced.withLock { $0 }
        let end = Date()
        summary.finishedAt = StoreTime.string(end)
        summary.seconds = end.timeIntervalSince(started)
        let t = summary.total
        let expectationsChanged = (try? p.noteExpectations()) ?? false
        guard recorded else {
            if expectationsChanged { try? MetricsFile.write(store: p.store, config: p.config, to: p.config.metricsFile) }
            try clearWork()
            return summary
        }
        try p.store.write { w in
            try w.finishRun(id: id, finishedAt: summary.finishedAt, status: "finished", accepted: t.accepted + t.partial,
                            rejected: t.rejected, duplicates: t.duplicates, held: t.held, archivePath: summary.archivePath)
        }
        try? MetricsFile.write(store: p.store, config: p.config, to: p.config.metricsFile)
        try clearWork()
        p.logger.info("run finished", metadata: [
            "run": .string(id), "accepted": .stringConvertible(t.accepted), "rejected": .stringConvertible(t.rejected),
            "duplicates": .stringConvertible(t.duplicates), "partial": .stringConvertible(t.partial), "held": .stringConvertible(t.held),
            "messages": .stringConvertible(t.messages), "seconds": .string(String(format: "%.3f", summary.seconds)),
        ])
        return summary
    }

    /// Waits for the work files of the archived drops to be gone (`RunArchive.finishRemoval`), then removes
    /// the folders of opened archives, empty once all their members are placed.
    private func clearWork() throws {
        try archive.finishRemoval()
        let staging = pipeline.config.workFolder + "/.staging"
        try? FileSystem.forEachEntry(in: staging) { name in
            _ = rmdir(staging + "/" + name)
            return true
        }
    }

    static func dayFolder(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970)
        var tm = tm()
        gmtime_r(&t, &tm)
        return String(format: "%04d/%02d/%02d", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday))
    }
}
