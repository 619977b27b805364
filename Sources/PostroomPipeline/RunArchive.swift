import Foundation
import PostroomArchive
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
final class RunArchive: @unchecked Sendable {
    unowned let pipeline: Pipeline
    let runID: String
    let started: Date
    /// The part drops are being added to.
    private var open: ArchivePart?
    /// Part numbers handed out so far (drawn by the placing stage and by `compressAhead`).
    private let numbers = Atomic<Int>(0)
    /// Parts of single streamed drops compressed ahead of their placing, by drop id.
    private let ahead = Mutex<[String: PartAhead]>([:])
    /// The archives placed so far, in order.
    private(set) var paths: [String] = []

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
        let member = Self.member(of: drop)
        if let part = aheadPart(of: drop.id) {
            try part.record(drop, manifestEntry: manifestEntry, member: member)
            return try close(part)
        }
        let part: ArchivePart
        if let open {
            part = open
        } else {
            part = try ArchivePart(archive: self, number: numbers.add(1, ordering: .relaxed).newValue)
            open = part
        }
        try part.add(member, of: drop, bytes: bytes, modified: modified)
        try part.record(drop, manifestEntry: manifestEntry, member: member)
        if part.archived.count >= pipeline.config.archivePartDrops { try closePart() }
    }

    /// Finishes the part in progress (see `close(_:)`).
    func closePart() throws {
        guard let part = open else { return }
        open = nil
        try close(part)
    }

    /// Finishes a part: its manifest, fsync, rename into `archive/YYYY/MM/DD/`, its drops marked done,
    /// their work files removed.
    private func close(_ part: ArchivePart) throws {
        let p = pipeline
        try part.finish()
        p.checkpoint("archive-closed")
        let dir = p.config.archiveFolder + "/" + RunSession.dayFolder(started)
        try FileSystem.makeDirectory(dir)
        let final = dir + "/" + (part.stagingPath as NSString).lastPathComponent
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
        for a in done { try FileSystem.remove(a.workPath) }
        try? FileSystem.remove(part.stagingPath + ".manifest")
        paths.append(final)
    }

    // MARK: Compressed ahead

    /// Starts compressing a large drop's original into a part of its own, on a thread of its own at a
    /// lower priority, while the applying stage settles its messages. Placing the drop (`add`) waits
    /// for it and closes that part; a drop that ends elsewhere (`error/`, or left in `work/`) has it
    /// discarded (`discardAhead`). Nothing of it is placed before the drop is: after a crash it is a
    /// staging file that the next run removes, and the drop is archived again.
    ///
    /// One such part at a time (an open part holds compression buffers and two files until its drop
    /// is placed): while one is waiting, another drop is archived with the others, as before.
    func compressAhead(_ drop: DropRecord, modified: Date?) {
        let job = PartAhead()
        guard ahead.withLock({ jobs in
            guard jobs.isEmpty else { return false }
            jobs[drop.id] = job
            return true
        }) else { return }
        let number = numbers.add(1, ordering: .relaxed).newValue
        job.done.enter()
        // A thread of its own, not a dispatch queue's: its lowered priority ends with it.
        let thread = Thread { [self] in
            defer { job.done.leave() }
            Self.yieldToTheWriter()
            do {
                let part = try ArchivePart(archive: self, number: number)
                job.part = part
                try part.add(Self.member(of: drop), of: drop, bytes: nil, modified: modified)
            } catch {
                job.failure = error
            }
        }
        thread.name = "postroom.archive-ahead"
        thread.start()
    }

    /// Discards the part compressed ahead for a drop that is not archived in this run, or for every
    /// such drop when `dropID` is nil (the run's end); nothing of it is placed.
    func discardAhead(_ dropID: String? = nil) {
        let jobs = ahead.withLock { jobs -> [PartAhead] in
            guard let dropID else { defer { jobs.removeAll() }; return Array(jobs.values) }
            return jobs.removeValue(forKey: dropID).map { [$0] } ?? []
        }
        for job in jobs {
            job.done.wait()
            job.part?.discard()
        }
    }

    /// The part compressed ahead for a drop, once it is finished; nil when there is none, or when it
    /// failed (it is discarded, and the drop goes into the run's parts as any other).
    private func aheadPart(of dropID: String) -> ArchivePart? {
        guard let job = ahead.withLock({ $0.removeValue(forKey: dropID) }) else { return nil }
        job.done.wait()
        if job.failure == nil, let part = job.part { return part }
        job.part?.discard()
        pipeline.logger.warning("archive part compressed ahead failed; the drop is archived with the others",
                                metadata: ["drop": .string(dropID), "error": .string(job.failure.map(LogRedaction.describe) ?? "none")])
        return nil
    }

    /// Lowers the calling thread's priority (Linux: `who` 0 is the calling thread, nice being per thread; it cannot be raised
    /// again unprivileged), so the compression takes the time the writer's core leaves rather than the writer's.
    private static func yieldToTheWriter() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }
}

/// A part compressed ahead (`RunArchive.compressAhead`): `part` and `failure` are set on the
/// compressing thread before `done` is left, and read only after waiting for it.
final class PartAhead: @unchecked Sendable {
    let done = DispatchGroup()
    var part: ArchivePart?
    var failure: (any Error)?
}

/// One part of a run's archive being written: the tar in `work/.staging/`, its manifest so far beside
/// it (`.manifest`), and the drops it lists.
final class ArchivePart: @unchecked Sendable {
    let stagingPath: String
    private let writer: ArchiveWriter
    private let manifest: BufferedFileWriter
    private(set) var archived: [(dropID: String, workPath: String, member: String)] = []

    init(archive: RunArchive, number: Int) throws {
        let config = archive.pipeline.config
        stagingPath = config.workFolder + "/.staging/" + RunArchive.name(run: archive.runID, part: number, compression: config.compression)
        writer = try ArchiveWriter(path: stagingPath, compression: config.compression)
        manifest = try BufferedFileWriter(path: stagingPath + ".manifest")
        try manifest.write(Array("{\n  \"run\": ".utf8) + JSONWriter().bytes(.string(archive.runID))
                           + Array(",\n  \"part\": \(number),\n  \"startedAt\": ".utf8)
                           + JSONWriter().bytes(.string(StoreTime.string(archive.started))) + Array(",\n  \"drops\": [".utf8))
    }

    /// Adds a drop's original as `member`: from memory when given (no second read of the work file),
    /// else streamed from its work file.
    func add(_ member: String, of drop: DropRecord, bytes: [UInt8]?, modified: Date?) throws {
        if let bytes, let modified {
            try writer.add(name: member, bytes: bytes, modified: modified)
        } else {
            let modified = modified ?? FileSystem.status(drop.workPath).map { Date(timeIntervalSince1970: $0.modified) } ?? Date()
            try writer.add(name: member, contentsOf: drop.workPath, size: drop.size, modified: modified)
        }
    }

    /// Lists an added drop in the manifest.
    func record(_ drop: DropRecord, manifestEntry: JSONValue, member: String) throws {
        var entry = manifestEntry.object ?? JSONObject()
        entry["member"] = .string(member)
        try manifest.write(Array((archived.isEmpty ? "\n    " : ",\n    ").utf8) + JSONWriter().bytes(.object(entry)))
        archived.append((drop.id, drop.workPath, member))
    }

    /// Ends the manifest, adds it as the last member, and closes the tar (fsynced).
    func finish() throws {
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
