import Foundation
import PostroomArchive
import PostroomCore
import PostroomStore

/// Why a reprocess could not start.
public struct ReprocessError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension Pipeline {
    /// Runs drops again after a fix: the original is taken from `error/` (moved) or from the run's
    /// archive (copied), recorded as a new drop that names the old one, and processed with
    /// de-duplication bypassed — an explicit override, never mistaken for a duplicate. Every
    /// reprocess is written to the audit table with who and when.
    public func reprocess(dropIDs: [String], actor: String) throws -> RunSummary {
        let session = try RunSession(pipeline: self, mode: "reprocess")
        try recover(into: session)
        var intakes: [Intake] = []
        var problems: [String] = []
        for id in dropIDs {
            do {
                intakes.append(try prepareReprocess(dropID: id, actor: actor, session: session))
            } catch {
                problems.append("\(id): \(error)")
            }
        }
        for start in stride(from: 0, to: intakes.count, by: config.groupSize) {
            try processGroup(Array(intakes[start..<min(start + config.groupSize, intakes.count)]), session: session)
        }
        var summary = try session.finish()
        summary.problems = problems
        return summary
    }

    /// Takes reprocess requests queued by `postroom serve` (the web page's button).
    func takeQueuedReprocessRequests(session: RunSession) throws {
        let pending = try store.read { try $0.pendingReprocessRequests() }
        guard !pending.isEmpty else { return }
        var intakes: [Intake] = []
        for req in pending {
            do {
                intakes.append(try prepareReprocess(dropID: req.dropID, actor: req.actor, session: session))
                try store.write { try $0.finishReprocessRequest(seq: req.seq, state: "done", result: nil) }
            } catch {
                try store.write { try $0.finishReprocessRequest(seq: req.seq, state: "refused", result: "\(error)") }
            }
        }
        for start in stride(from: 0, to: intakes.count, by: config.groupSize) {
            try processGroup(Array(intakes[start..<min(start + config.groupSize, intakes.count)]), session: session)
        }
    }

    /// Records the new drop, then puts the original in `work/` for it.
    func prepareReprocess(dropID: String, actor: String, session: RunSession) throws -> Intake {
        guard let old = try store.read({ try $0.drop(id: dropID) }) else { throw ReprocessError(description: "no such drop") }
        guard old.state == .done else { throw ReprocessError(description: "the drop is still being processed") }
        guard let ch = config.channel(named: old.channel) else {
            throw ReprocessError(description: "its channel \(old.channel) is no longer configured")
        }
        if try store.read({ try $0.reprocessesOf(old.id) }).contains(where: { $0.state != .done }) {
            throw ReprocessError(description: "a reprocess of it is already in progress")
        }
        try session.record()
        let id = ids.next()
        let work = config.workFolder + "/" + ch.name + "/" + FileName.work(id: id, name: old.name)
        let record = DropRecord(id: id, runID: session.id, channel: ch.name, name: old.name, size: old.size, sha256: "",
                                receivedAt: StoreTime.string(Date()), workPath: work, reprocessOf: old.id)
        try store.write { w in
            try w.insertDrop(record)
            try w.audit(at: record.receivedAt, actor: actor, action: "reprocess", target: old.id, detail: "as drop \(id)")
        }
        try materializeReprocess(record, original: old)
        return .reprocess(ch, record)
    }

    /// Places the original of `old` at `record.workPath`: moved out of `error/` (with its sidecar
    /// removed), or copied out of the archive that holds it. Safe to repeat after a crash.
    func materializeReprocess(_ record: DropRecord, original old: DropRecord) throws {
        if FileSystem.status(record.workPath) != nil { return }
        if let errorPath = old.errorPath, FileSystem.status(errorPath)?.kind == .regular {
            try FileSystem.rename(errorPath, record.workPath)
            try? FileSystem.remove(errorPath + ".error.json")
            return
        }
        if let archive = old.archivePath, let member = old.archiveMember {
            let reader = try ArchiveReader(path: archive)
            while let m = try reader.next() {
                guard m.name == member else { continue }
                let data = try reader.readData(limit: Int64.max)
                try FileSystem.write(data, to: record.workPath + ".part")
                try FileSystem.rename(record.workPath + ".part", record.workPath)
                return
            }
            throw ReprocessError(description: "its original is missing from \(archive)")
        }
        throw ReprocessError(description: "its original is neither in error/ nor in an archive")
    }
}
