import Foundation
import PostroomConfig
import Synchronization
import Logging
import PostroomArchive
import PostroomCore
import PostroomPostgres
import PostroomStore

/// The stage runner: takes complete files from the inboxes, decodes, validates, applies, answers
/// and archives them, keeping DESIGN.md §3's safety rules whatever is killed when.
///
/// Order of effects for a group of drops: rename into `work/` → record (claimed) → decode →
/// one transaction applying every message and storing each acknowledgement's bytes (processed) →
/// acknowledgement files (temp, one syncfs, rename) → originals into the run's archive or `error/`
/// → at the end of the run the archive is closed, synced and renamed into place, the drops marked
/// done and the work files removed. A crash at any point leaves state the next run finishes.
public final class Pipeline: Sendable {
    public let config: PipelineConfig
    public let store: Store
    /// This process as one of several nodes (`--node`), or nil for the single node.
    public let member: NodeMember?
    let logger: Logger
    let ids = IDGenerator.shared
    let scanner = InboxScanner()
    let lock: DataFolderLock
    /// Set to stop after the group of drops in hand (graceful shutdown of `watch`).
    public let stop = StopFlag()
    /// Test-only fault injection: the process exits at once when the named point is reached
    /// for the n-th time (`POSTROOM_CRASH_AT=point:n`).
    let crashPoint: (name: String, count: Int)?
    let crashCounter = Mutex<[String: Int]>([:])
    /// How many times settling queued files routed to other channels (`queueRouted`): a group that
    /// queued none has none to place, and its placing does not look them up in the store.
    let routedQueued = Atomic<Int>(0)

    /// Opens the data folder: takes its lock (throws `DataFolderLock.Busy`), creates folders,
    /// checks that inboxes and `work/` share a file system, and opens the database.
    public init(config: PipelineConfig, logger: Logger, node: NodeOptions? = nil) throws {
        if node != nil, case .sqlite = config.store {
            throw ConfigError(key: "store.kind", message: NodeOptions.needsPostgres)
        }
        let config = node?.apply(to: config) ?? config
        self.config = config
        self.logger = logger
        try FileSystem.makeDirectory(config.dataFolder)
        if let node { try FileSystem.makeDirectory(NodeOptions.folder(config, node: node.name)) }
        lock = try DataFolderLock(path: config.lockFile)
        for dir in Self.dataFolders(config) { try FileSystem.makeDirectory(dir) }
        let workDevice = FileSystem.status(config.workFolder)?.device
        for ch in config.channels {
            try FileSystem.makeDirectory(ch.inbox)
            try FileSystem.makeDirectory(ch.outbox)
            if FileSystem.status(ch.inbox)?.device != workDevice {
                throw ConfigError(key: "channels.\(ch.name).inbox",
                                  message: "the inbox and the work folder \(config.workFolder) are on different file systems; claiming by rename needs one")
            }
        }
        (store, member) = try Self.openStore(config, node: node)
        #if DEBUG
        // The crash-safety tests' fault injection: compiled into debug builds only, never into a release binary.
        if let spec = ProcessInfo.processInfo.environment["POSTROOM_CRASH_AT"], let colon = spec.lastIndex(of: ":"),
           let n = Int(spec[spec.index(after: colon)...]) {
            crashPoint = (String(spec[..<colon]), n)
        } else {
            crashPoint = nil
        }
        #else
        crashPoint = nil
        #endif
        try relinkHeldAfterRekey()
    }

    /// Releases the data folder lock.
    public func close() {
        member?.leave()
        lock.release()
    }

    /// The fault-injection hook: exits the process without cleanup when configured to.
    func checkpoint(_ name: String) {
        guard let crashPoint, crashPoint.name == name || crashPoint.name == "any" else { return }
        let key = crashPoint.name == "any" ? "any" : name
        let reached = crashCounter.withLock { counts -> Bool in
            counts[key, default: 0] += 1
            return counts[key] == crashPoint.count
        }
        if reached { _exit(137) }
    }

    func env(for channel: PipelineConfig.Channel) -> AckEnvironment {
        AckEnvironment(now: Date(), timeZone: TimeZone(identifier: channel.timeZone) ?? .gmt,
                       application: config.application, facility: config.facility, endpoint: config.endpoint)
    }

    func options(for channel: PipelineConfig.Channel) -> DecodeOptions {
        DecodeOptions(timeZone: channel.timeZone)
    }

    /// Processes what is in the inboxes now (and anything an earlier run left unfinished), then returns.
    /// `progress` is called with (drops done, drops seen) after each group (the CLI draws a progress bar).
    public func runOnce(mode: String = "once", progress: (@Sendable (_ done: Int, _ seen: Int) -> Void)? = nil) throws -> RunSummary {
        // A watcher lives long: folders of the data folder removed meanwhile are made again, so that
        // neither recovery nor the claims of this run fail for want of them. One that cannot be made
        // fails only the steps that need it, drop by drop, as before.
        for dir in Self.dataFolders(config) { try? FileSystem.makeDirectory(dir) }
        let session = try RunSession(pipeline: self, mode: mode, progress: progress)
        do {
            return try runOnce(session, mode: mode)
        } catch {
            // Nothing of a failed run keeps working behind the next one (a node's next poll recovers its drops).
            try? session.placer.drain()
            session.archive.discardAhead()
            throw error
        }
    }

    private func runOnce(_ session: RunSession, mode: String) throws -> RunSummary {
        try recover(into: session)
        let viewMark = try store.read { try $0.lastViewRecord() }
        try takeQueuedReprocessRequests(session: session)
        // Stable channels need two looks: take the first now, so files already there are judged on the
        // second. A watcher's polls are the looks, so it does not wait here.
        let stableWait = mode == "watch" ? nil : config.channels.compactMap { ch -> Double? in
            if case .stable(let s) = ch.completion { return s }
            return nil
        }.max()
        if let stableWait {
            for ch in config.channels { _ = try? scanner.scan(ch, limit: scanLimit) }
            if stableWait > 0 { Thread.sleep(forTimeInterval: stableWait) }
        }
        // A run takes what was there when it started (and what its looks judge complete), pass after
        // pass, holding at most `scanLimit` candidates at a time; later arrivals wait for the next run.
        // (A few seconds of slack for clocks of network file systems that run a little ahead.)
        let startedAt = Date().timeIntervalSince1970 + 5
        var counted: Set<String> = []
        while !stop.isSet {
            var found = false
            for ch in config.channels where !stop.isSet {
                let scan: InboxScanner.Scan
                do {
                    scan = try scanner.scan(ch, limit: scanLimit, notAfter: startedAt)
                } catch {
                    // One channel's folder being unavailable must not stop the others.
                    logger.error("inbox unavailable", metadata: ["channel": .string(ch.name), "error": .string(LogRedaction.describe(error))])
                    if !session.unavailable.contains(ch.name) { session.unavailable.append(ch.name) }
                    continue
                }
                if counted.insert(ch.name).inserted {
                    session.seen.add(scan.ready.count + scan.waiting, ordering: .relaxed)
                    if !scan.refused.isEmpty {
                        session.refused[ch.name] = scan.refused
                        logger.warning("inbox entries not taken", metadata: [
                            "channel": .string(ch.name), "count": .stringConvertible(scan.refused.count),
                            "kinds": .string(Set(scan.refused.map(\.reason)).sorted().joined(separator: "; ")),
                        ])
                    }
                }
                // A file that could not be claimed stays in the inbox; it is not tried again in this run
                // (looking again would never end), nor does it keep the others waiting.
                let ready = scan.ready.filter { !session.unclaimable.contains($0.path) }
                guard !ready.isEmpty else { continue }
                found = true
                // Each group is claimed, read and decoded on another core while the one before it is settled.
                var ahead: ClaimAhead?
                for slice in groups(ready) where !stop.isSet {
                    if let member { try takeOverDuringRun(member, session: session) }
                    ahead = try processGroup(slice.map { Intake.inbox(ch, $0) }, after: ahead, session: session)
                }
                try settleAhead(ahead, session: session)
            }
            if !found { break }
        }
        let summary = try session.finish()
        let t = summary.total
        try finishView(before: viewMark, idle: t.accepted + t.rejected + t.duplicates + t.partial + t.held == 0)
        return summary
    }
}

extension Pipeline {
    /// The folders of the data folder Postroom owns: `work/` (and one per channel, and `.staging`),
    /// `archive/`, `error/` (and one per channel). Inboxes and outboxes may be shares that are not
    /// mounted, so they are made only when the pipeline opens, never again behind a share's back.
    static func dataFolders(_ config: PipelineConfig) -> [String] {
        [config.workFolder, config.archiveFolder, config.errorFolder, config.workFolder + "/.staging"]
            + config.channels.flatMap { [config.workFolder + "/" + $0.name, config.errorFolder + "/" + $0.name] }
    }

    /// Candidates one scan of an inbox keeps (the oldest); a huge inbox is taken in several passes.
    var scanLimit: Int { max(config.groupSize * 4, 16_384) }

    /// Bytes of originals held in memory by one group (a group ends at `groupSize` drops or here).
    /// Decoded content is 7–20 times the size of the original (FHIR trees of every message), and two
    /// groups are in memory at once (one settled, the next decoded ahead): 576 KiB keeps a group of FHIR
    /// messages (~3 KB each) at the ~192 drops that fit the 64 MiB bound, while smaller drops (one-message
    /// v2 files, ~1.6 KB) fill groups of `groupSize`; a larger file is a group alone.
    static let maxGroupBytes: Int64 = 576 << 10

    /// Splits ready files into groups of at most `groupSize` drops and about `maxGroupBytes` bytes.
    func groups(_ ready: [InboxScanner.Ready]) -> [ArraySlice<InboxScanner.Ready>] {
        var out: [ArraySlice<InboxScanner.Ready>] = []
        var start = 0, bytes: Int64 = 0
        for (i, r) in ready.enumerated() {
            if i > start && (i - start >= config.groupSize || bytes + r.size > Self.maxGroupBytes) {
                out.append(ready[start..<i])
                start = i
                bytes = 0
            }
            bytes += min(r.size, config.channels.first { r.path.hasPrefix($0.inbox + "/") }?.maxFileSize ?? r.size)
        }
        if start < ready.count { out.append(ready[start...]) }
        return out
    }
}

/// Where a drop comes from.
enum Intake {
    /// A complete file in an inbox.
    case inbox(PipelineConfig.Channel, InboxScanner.Ready)
    /// A claimed file an earlier run did not finish (or a file found in `work/` with no record).
    case recovered(PipelineConfig.Channel, DropRecord)
    /// An operator's reprocess of an earlier drop: a copy of its original already placed in `work/`.
    case reprocess(PipelineConfig.Channel, DropRecord)
}
