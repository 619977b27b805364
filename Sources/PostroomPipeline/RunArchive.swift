import Foundation
import PostroomArchive
import PostroomCore
import PostroomStore

/// The archive of a run, written in parts of at most `archive.partDrops` drops so that neither memory nor
/// the work left after a crash grows with the size of the run: `<run id>.tar.gz`, then
/// `<run id>-2.tar.gz`, … in `archive/YYYY/MM/DD/`, each with its own `manifest.json`.
///
/// Used by the placing stage only (and by recovery before it starts, and `finish` after it drained).
final class RunArchive {
    unowned let pipeline: Pipeline
    let runID: String
    let started: Date
    private var writer: ArchiveWriter?
    private var stagingPath = ""
    private var manifest: BufferedFileWriter?
    private var archived: [(dropID: String, workPath: String, member: String)] = []
    private var part = 0
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

    /// Adds a drop's original (from memory when given, else streamed from its work file); a full part is closed and placed.
    func add(drop: DropRecord, manifestEntry: JSONValue, bytes: [UInt8]?, modified: Date?) throws {
        let config = pipeline.config
        if writer == nil {
            part += 1
            let base = config.workFolder + "/.staging/" + Self.name(run: runID, part: part, compression: config.compression)
            writer = try ArchiveWriter(path: base, compression: config.compression)
            stagingPath = base
            let m = try BufferedFileWriter(path: base + ".manifest")
            try m.write(Array("{\n  \"run\": ".utf8) + JSONWriter().bytes(.string(runID)) + Array(",\n  \"part\": \(part),\n  \"startedAt\": ".utf8)
                        + JSONWriter().bytes(.string(StoreTime.string(started))) + Array(",\n  \"drops\": [".utf8))
            manifest = m
        }
        let member = drop.channel + "/" + drop.id + "_" + drop.name
        if let bytes, let modified {
            // Already in memory: no second read of the work file.
            try writer!.add(name: member, bytes: bytes, modified: modified)
        } else {
            let modified = FileSystem.status(drop.workPath).map { Date(timeIntervalSince1970: $0.modified) } ?? Date()
            try writer!.add(name: member, contentsOf: drop.workPath, size: drop.size, modified: modified)
        }
        var entry = manifestEntry.object ?? JSONObject()
        entry["member"] = .string(member)
        try manifest!.write(Array((archived.isEmpty ? "\n    " : ",\n    ").utf8) + JSONWriter().bytes(.object(entry)))
        archived.append((drop.id, drop.workPath, member))
        if archived.count >= pipeline.config.archivePartDrops { try closePart() }
    }

    /// Finishes the part in progress: its manifest, fsync, rename into `archive/YYYY/MM/DD/`, its
    /// drops marked done, their work files removed.
    func closePart() throws {
        guard let writer, let manifest else { return }
        let p = pipeline
        try manifest.write(Array("\n  ]\n}\n".utf8))
        try manifest.finish()
        let manifestPath = stagingPath + ".manifest"
        try writer.add(name: "manifest.json", contentsOf: manifestPath, size: FileSystem.status(manifestPath)?.size ?? 0, modified: Date())
        try writer.close()
        p.checkpoint("archive-closed")
        let dir = p.config.archiveFolder + "/" + RunSession.dayFolder(started)
        try FileSystem.makeDirectory(dir)
        let final = dir + "/" + (stagingPath as NSString).lastPathComponent
        let done = archived
        if p.member != nil {
            // Several nodes: placed inside the fenced transaction, so a node that lost these drops
            // (paused past its lease) never places a second copy of them.
            try p.store.write { w in
                try FileSystem.rename(stagingPath, final)
                try FileSystem.sync(dir)
                p.checkpoint("archive-placed")
                for a in done { try w.markArchived(dropID: a.dropID, archivePath: final, member: a.member) }
            }
        } else {
            try FileSystem.rename(stagingPath, final)
            try FileSystem.sync(dir)
            p.checkpoint("archive-placed")
            try p.store.write { w in
                for a in done { try w.markArchived(dropID: a.dropID, archivePath: final, member: a.member) }
            }
        }
        p.checkpoint("archive-recorded")
        for a in done { try FileSystem.remove(a.workPath) }
        try? FileSystem.remove(manifestPath)
        paths.append(final)
        self.writer = nil
        self.manifest = nil
        archived.removeAll(keepingCapacity: true)
    }
}
