import Foundation
import PostroomArchive
import PostroomConfig
import PostroomCore
import PostroomStore
import Synchronization

/// The archive of a run, written in parts of at most `archive.partDrops` drops so that neither memory nor
/// the work left after a crash grows with the size of the run: `<run id>.tar.gz`, then
/// `<run id>-2.tar.gz`, … in `archive/YYYY/MM/DD/`, each with its own `manifest.json`.
///
/// Used by the placing stage only (and by recovery before it starts, and `finish` after it drained),
/// except `compressAhead` and `discardAhead`, which the applying stage calls: a large streamed drop's
/// original is compressed into a part of its own on a thread of its own while its messages are
/// settled, instead of after them on the run's critical path (PERFORMANCE.md).
final class RunArchive {
    unowned let pipeline: Pipeline
    let runID: String
    let started: Date
    /// The part drops are being added to.
    private var open: ArchivePart?
    /// Part numbers handed out so far (by the placing stage, as parts are begun or placed).
    private var numbers = 0
    /// Parts of single streamed drops compressed ahead of their placing, by drop id.
    private let ahead = Mutex<[String: PartAhead]>([:])
    /// The archives placed so far, by part number.
    private var placed: [(number: Int, path: String)] = []
    /// The work files of the part closed last, being removed beside what the run does next (`finishRemoval`).
    private var removal: WorkFileRemoval?
    /// The archives placed so far, in part order.
    var paths: [String] { placed.sorted { $0.number < $1.number }.map(\.path) }

    init(pipeline: Pipeline, runID: String, started: Date) {
        self.pipeline = pipeline
        self.runID = runID
        self.started = started
    }

    /// The file name of a part: `<run>.tar.gz`, `<run>-2.tar.gz`, …
    static func name(run: String, part: Int, compression: ArchiveCompression) -> String {
        (part <= 1 ? run : "\(run)-\(part)") + "." + compression.fileExtension
    }

    /// The parts of a run's archive that are in place (`archive/YYYY/MM/DD/<run>.tar.gz`, `<run>-2.tar.gz`, …), in part order.
    static func placedParts(of run: RunRecord, archiveFolder: String) -> [String] {
        guard let started = StoreTime.date(run.startedAt) else { return run.archivePath.map { [$0] } ?? [] }
        let dir = archiveFolder + "/" + RunSession.dayFolder(started)
        var parts: [(Int, String)] = []
        try? FileSystem.forEachEntry(in: dir) { name in
            if name.hasPrefix(run.id + ".") {
                parts.append((1, dir + "/" + name))
            } else if name.hasPrefix(run.id + "-"), let n = Int(name.dropFirst(run.id.count + 1).prefix { $0.isNumber }) {
                parts.append((n, dir + "/" + name))
            }
            return true
        }
        return parts.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The name of a drop's original in the archive: `<channel>/<drop id>_<name>`.
    static func member(of drop: DropRecord) -> String { drop.channel + "/" + drop.id + "_" + drop.name }

    /// Adds a drop's original (from memory when given, else streamed from its work file); a full part is
    /// closed and placed. A drop compressed ahead (`compressAhead`) is placed in its own part instead.
    func add(drop: DropRecord, manifestEntry: JSONValue, bytes: [UInt8]?, modified: Date?) throws {
        if let (part, member) = aheadPart(of: drop.id) {
            // Numbered when placed: the run's parts are numbered in the order they are placed, from 1.
            try part.number(nextNumber(), archive: self)
            try part.record(drop, manifestEntry: manifestEntry, member: member)
            return try close(part)
        }
        let member = Self.member(of: drop)
        let part: ArchivePart
        if let open {
            part = open
        } else {
            let n = nextNumber()
            part = try ArchivePart(config: pipeline.config, staging: Self.name(run: runID, part: n, compression: pipeline.config.compression))
            try part.number(n, archive: self)
            open = part
        }
        try part.add(member, of: drop, bytes: bytes, modified: modified)
        try part.record(drop, manifestEntry: manifestEntry, member: member)
        if part.archived.count >= pipeline.config.archivePartDrops { try closePart() }
    }

    /// Waits until the work files of the part closed last are removed (helping), and throws the first
    /// removal that failed. The next part's close calls it, and the run's end last, so that the removal
    /// overlaps what the run does next.
    func finishRemoval() throws {
        guard let r = removal else { return }
        removal = nil
        try r.finish()
    }

    private func nextNumber() -> Int {
        numbers += 1
        return numbers
    }

    /// Finishes the part in progress (see `close(_:)`).
    func closePart() throws {
        guard let part = open else { return }
        open = nil
        try close(part)
    }

    /// Finishes a part: its manifest, fsync, rename into `archive/YYYY/MM/DD/`, its drops marked done,
    /// their work files removed beside what the run does next, until `finishRemoval`. Removing 10,000 of
    /// them at once took a third of a second of the placing stage, which a run's last group waits for.
    private func close(_ part: ArchivePart) throws {
        let p = pipeline
        try part.finish()
        p.checkpoint("archive-closed")
        let dir = p.config.archiveFolder + "/" + RunSession.dayFolder(started)
        try FileSystem.makeDirectory(dir)
        let final = dir + "/" + Self.name(run: runID, part: part.partNumber, compression: p.config.compression)
        let done = part.archived
        if p.member != nil {
            // Several nodes: placed inside the fenced transaction, so a node that lost these drops
            // (paused past its lease) never places a second copy of them.
            try p.store.write { w in
                try FileSystem.rename(part.stagingPath, final)
                try FileSystem.sync(dir)
                p.checkpoint("archive-placed")
                for a in done { try w.markArchived(dropID: a.dropID, archivePath: final, member: a.member) }
            }
        } else {
            try FileSystem.rename(part.stagingPath, final)
            try FileSystem.sync(dir)
            p.checkpoint("archive-placed")
            try p.store.write { w in
                for a in done { try w.markArchived(dropID: a.dropID, archivePath: final, member: a.member) }
            }
        }
        p.checkpoint("archive-recorded")
        try finishRemoval()
        removal = WorkFileRemoval(done.map(\.workPath))
        try? FileSystem.remove(part.stagingPath + ".manifest")
        placed.append((part.partNumber, final))
    }

    // MARK: Compressed ahead

    /// Starts compressing a large drop's original into a part of its own, on a thread of its own at a
    /// lower priority, while the applying stage settles its messages. Placing the drop (`add`) waits
    /// for it, numbers that part and closes it; a drop that ends elsewhere (`error/`, or left in
    /// `work/`) has it cancelled and discarded (`discardAhead`), as has a run that fails. Nothing of it
    /// is placed before the drop is: after a crash it is a staging file (`<run>-ahead-<drop>`) that the
    /// next run removes, and the drop is archived again.
    ///
    /// One such part at a time (an open part holds compression buffers and two files until its drop
    /// is placed): while one is waiting, another drop is archived with the others, as before.
    func compressAhead(_ drop: DropRecord, modified: Date?) {
        let member = Self.member(of: drop)
        let job = PartAhead(member: member)
        guard ahead.withLock({ jobs in
            guard jobs.isEmpty else { return false }
            jobs[drop.id] = job
            return true
        }) else { return }
        // Worked out here: the thread touches neither the pipeline nor this archive.
        let config = pipeline.config
        let staging = runID + "-ahead-" + drop.id + "." + config.compression.fileExtension
        job.done.enter()
        let started = LowPriorityThread.start {
            defer { job.done.leave() }
            do {
                let part = try ArchivePart(config: config, staging: staging)
                job.part = part
                try part.add(member, of: drop, bytes: nil, modified: modified, cancelled: { job.cancelled.load(ordering: .relaxed) })
            } catch {
                job.failure = error
            }
        }
        if !started {
            job.failure = ArchiveError("no thread to compress ahead")
            job.done.leave()
        }
    }

    /// Cancels and discards the part compressed ahead for a drop that is not archived in this run, or
    /// for every such drop when `dropID` is nil (the run's end, or its failure); nothing of it is placed.
    func discardAhead(_ dropID: String? = nil) {
        let jobs = ahead.withLock { jobs -> [PartAhead] in
            guard let dropID else { defer { jobs.removeAll() }; return Array(jobs.values) }
            return jobs.removeValue(forKey: dropID).map { [$0] } ?? []
        }
        for job in jobs {
            job.cancelled.store(true, ordering: .relaxed)
            job.done.wait()
            job.part?.discard()
        }
    }

    /// The part compressed ahead for a drop, once it is finished, and its member's name; nil when there
    /// is none, or when it failed (it is discarded, and the drop goes into the run's parts as any other).
    private func aheadPart(of dropID: String) -> (ArchivePart, String)? {
        guard let job = ahead.withLock({ $0.removeValue(forKey: dropID) }) else { return nil }
        job.done.wait()
        if job.failure == nil, let part = job.part { return (part, job.member) }
        job.part?.discard()
        pipeline.logger.warning("archive part compressed ahead failed; the drop is archived with the others",
                                metadata: ["drop": .string(dropID), "error": .string(job.failure.map(LogRedaction.describe) ?? "none")])
        return nil
    }
}

/// A part compressed ahead (`RunArchive.compressAhead`): `part` and `failure` are set on the
/// compressing thread before `done` is left, and read only after waiting for it.
final class PartAhead: @unchecked Sendable {
    let member: String
    let done = DispatchGroup()
    let cancelled = Atomic<Bool>(false)
    var part: ArchivePart?
    var failure: (any Error)?

    init(member: String) { self.member = member }
}

/// A thread of its own at nice 10 (on Linux `setpriority` with `who` 0 is the calling thread, nice
/// being per thread; it cannot be raised again unprivileged, hence not a dispatch queue's thread), so
/// its work takes the time the writer's core leaves rather than the writer's; and in `SCHED_BATCH`
/// (`HelperThread`), so that it does not preempt the writer when it wakes.
enum LowPriorityThread {
    /// Runs `body` on a new detached thread; false when no thread could be made (`body` is not run).
    static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Box(body))
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let body = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body
            #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            #endif
            HelperThread.yieldOnWakeUp()
            body()
            return nil
        }, box.toOpaque())
        guard rc == 0 else {
            box.release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}

/// One part of a run's archive being written: the tar in `work/.staging/`, its manifest so far beside
/// it (`.manifest`, begun once the part has its number), and the drops it lists.
final class ArchivePart {
    let stagingPath: String
    private let writer: ArchiveWriter
    private var manifest: BufferedFileWriter?
    /// The part's number in its run (`number(_:archive:)`), which names the placed file.
    private(set) var partNumber = 0
    private(set) var archived: [(dropID: String, workPath: String, member: String)] = []

    init(config: PipelineConfig, staging name: String) throws {
        stagingPath = config.workFolder + "/.staging/" + name
        writer = try ArchiveWriter(path: stagingPath, compression: config.compression)
    }

    /// Gives the part its number and begins its manifest.
    func number(_ n: Int, archive: RunArchive) throws {
        partNumber = n
        let m = try BufferedFileWriter(path: stagingPath + ".manifest")
        try m.write(Array("{\n  \"run\": ".utf8) + JSONWriter().bytes(.string(archive.runID))
                    + Array(",\n  \"part\": \(n),\n  \"startedAt\": ".utf8)
                    + JSONWriter().bytes(.string(StoreTime.string(archive.started))) + Array(",\n  \"drops\": [".utf8))
        manifest = m
    }

    /// Adds a drop's original as `member`: from memory when given (no second read of the work file),
    /// else streamed from its work file (stopping with an error once `cancelled` says so).
    func add(_ member: String, of drop: DropRecord, bytes: [UInt8]?, modified: Date?, cancelled: (() -> Bool)? = nil) throws {
        if let bytes, let modified {
            try writer.add(name: member, bytes: bytes, modified: modified)
        } else {
            let modified = modified ?? FileSystem.status(drop.workPath).map { Date(timeIntervalSince1970: $0.modified) } ?? Date()
            try writer.add(name: member, contentsOf: drop.workPath, size: drop.size, modified: modified, cancelled: cancelled)
        }
    }

    /// Lists an added drop in the manifest (the part has its number).
    func record(_ drop: DropRecord, manifestEntry: JSONValue, member: String) throws {
        guard let manifest else { throw ArchiveError("archive part without a number") }
        var entry = manifestEntry.object ?? JSONObject()
        entry["member"] = .string(member)
        try manifest.write(Array((archived.isEmpty ? "\n    " : ",\n    ").utf8) + JSONWriter().bytes(.object(entry)))
        archived.append((drop.id, drop.workPath, member))
    }

    /// Ends the manifest, adds it as the last member, and closes the tar (fsynced).
    func finish() throws {
        guard let manifest else { throw ArchiveError("archive part without a number") }
        try manifest.write(Array("\n  ]\n}\n".utf8))
        try manifest.finish()
        let path = stagingPath + ".manifest"
        try writer.add(name: "manifest.json", contentsOf: path, size: FileSystem.status(path)?.size ?? 0, modified: Date())
        try writer.close()
    }

    /// Removes the part's files; nothing of it is placed.
    func discard() {
        try? FileSystem.remove(stagingPath)
        try? FileSystem.remove(stagingPath + ".manifest")
    }
}
