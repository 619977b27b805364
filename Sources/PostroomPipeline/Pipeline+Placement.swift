import Foundation
import PostroomCore
import PostroomStore

/// A group's answers once placed: the drops whose acknowledgement could not be placed (their originals
/// stay in `work/`), and what is in place but not recorded yet (`Pipeline.record(_:)`).
struct PlacedAnswers: Sendable {
    var unanswered: Set<String> = []
    var drops: [String] = []
    var outbound: [Int64] = []
}

extension Pipeline {
    /// Writes the group's acknowledgement files (temp → one syncfs → rename → fsync of each outbox).
    /// Names are deterministic per drop, so a retry after a crash rewrites the same file rather than
    /// adding one. That they are in place is recorded by the caller (`record(_:)`), before the group's
    /// originals are placed: the acknowledgements of the next group are written meanwhile, instead of
    /// waiting for the writer's transaction to record these.
    /// The files the group's settling routed to other channels (`routed`: it queued some) are placed with them.
    func writeAcks(_ group: [Placement], routed: Bool = true, session: RunSession) throws -> PlacedAnswers {
        var files: [OutboxFile] = []
        for f in group {
            if let ack = f.ack {
                files.append(OutboxFile(directory: f.channel.outbox, name: ack.name, bytes: ack.bytes, dropID: f.record.id))
            } else if let source = f.ackFile, let name = f.record.ackName {
                files.append(OutboxFile(directory: f.channel.outbox, name: name, source: source, dropID: f.record.id))
            }
        }
        // Read on the writer connection: no reader connection (and its page cache) for the placing stage;
        // not at all when the group routed nothing (the writer would wait for it, once a group).
        let outbound = routed ? try store.write { try $0.reader.pendingOutbound(dropIDs: group.map(\.record.id)) } : []
        for r in outbound {
            guard let ch = config.channel(named: r.channel) else { continue }
            files.append(OutboxFile(directory: ch.outbox, name: r.name, bytes: r.bytes, outboundSeq: r.seq))
        }
        guard !files.isEmpty else {
            // Nothing to answer, but what the group decided must still be durable before its
            // originals are archived or moved.
            try FileSystem.syncFileSystem(of: config.durableStorePath)
            return PlacedAnswers()
        }
        let failed = isolating(files, step: "acknowledgement", session: session, dropID: \.dropID) {
            try placeOutboxFiles($0, recording: false)
        }
        let unanswered = Set(failed.compactMap(\.dropID))
        // An item that failed alone is neither in place nor recorded (its drop's `unanswered`, or a routed file).
        let failedSeqs = Set(failed.compactMap(\.outboundSeq))
        return PlacedAnswers(unanswered: unanswered,
                             drops: files.compactMap(\.dropID).filter { !unanswered.contains($0) },
                             outbound: files.compactMap(\.outboundSeq).filter { !failedSeqs.contains($0) })
    }

    /// Records that a group's answers are in place (`writeAcks`).
    func record(_ placed: PlacedAnswers) throws {
        guard !placed.drops.isEmpty || !placed.outbound.isEmpty else { return }
        try store.write { w in
            try w.markAckWritten(dropIDs: placed.drops)
            try w.markOutboundWritten(placed.outbound)
        }
    }

    /// Puts each original where it ends: accepted ones into the run's archive, rejected ones into
    /// `error/<channel>/` beside a `.error.json` sidecar saying why. Drops named in `unanswered` (their
    /// acknowledgement could not be placed) stay in `work/` for the next run.
    func place(_ group: [Placement], unanswered: Set<String> = [], session: RunSession) throws {
        var rejected: [DropRecord] = []
        for f in group {
            let answered = !unanswered.contains(f.record.id)
            // Not archived in this run: a part compressed ahead for it is not placed.
            if !answered || f.outcome == .rejected { session.archive.discardAhead(f.record.id) }
            guard answered else { continue }
            if f.outcome == .rejected {
                rejected.append(f.record)
            } else {
                try session.archive(drop: f.record, manifestEntry: Self.manifestEntry(f.record, messages: f.messageCount),
                                    bytes: f.original, modified: f.modified)
            }
        }
        isolating(rejected, step: "error folder", session: session, dropID: \.id) { try moveToError($0, session: session) }
    }

    /// The `<name>.error.json` sidecar: which drop, why, and every message's issues.
    func sidecar(_ record: DropRecord, messages: [MessageRecord]) -> JSONValue {
        .object(JSONObject([
            "drop": .string(record.id),
            "channel": .string(record.channel),
            "name": .string(record.name),
            "receivedAt": .string(record.receivedAt),
            "sha256": .string(record.sha256),
            "size": .number(String(record.size)),
            "format": record.format.map { .string($0) } ?? .null,
            "outcome": .string(record.outcome?.rawValue ?? "rejected"),
            "issues": .array(record.issues.map(\.json)),
            "messages": .array(messages.map { m in
                .object(JSONObject([
                    "index": .number(String(m.index)),
                    "type": .string(m.type),
                    "disposition": .string(m.disposition.rawValue),
                    // An issue of the whole file (e.g. json-syntax) is listed once, with the drop's.
                    "issues": .array(m.issues.filter { !record.issues.contains($0) }.map(\.json)),
                ]))
            }),
            "acknowledgement": record.ackName.map { .string($0) } ?? .null,
            "reprocess": .string("postroom reprocess \(record.id)"),
        ]))
    }

    /// Finishes moving a rejected drop's original into `error/` (sidecar first, then the file).
    func moveToError(_ records: [DropRecord], session: RunSession) throws {
        let records = try settleErrorPaths(records)
        var sidecars: [(directory: String, name: String, bytes: [UInt8])] = []
        var moves: [(String, String)] = []
        for r in records {
            guard let errorPath = r.errorPath else { continue }
            let messages = try store.read { try $0.messages(dropID: r.id) }
            let dir = (errorPath as NSString).deletingLastPathComponent
            sidecars.append((dir, (errorPath as NSString).lastPathComponent + FileName.sidecarSuffix, JSONWriter(pretty: true).bytes(sidecar(r, messages: messages))))
            moves.append((r.workPath, errorPath))
            session.errorFiles.withLock { list in
                // The summary names the first ones; a run of a million rejects must not hold a million paths.
                if list.count < RunSummary.errorFilesListed { list.append(errorPath) }
            }
        }
        guard !records.isEmpty else { return }
        // A channel's error folder removed (or put back) since the run started is made again.
        for dir in Set(sidecars.map(\.directory)) where FileSystem.status(dir) == nil { try FileSystem.makeDirectory(dir) }
        if member != nil { try store.write { _ in } }  // a node that lost these drops stops here
        try FileSystem.writeAtomically(sidecars)
        let move = {
            for (from, to) in moves where FileSystem.status(from) != nil { try FileSystem.rename(from, to) }
            for dir in Set(moves.map { ($0.1 as NSString).deletingLastPathComponent }) { try FileSystem.sync(dir) }
            self.checkpoint("errored")
        }
        if member != nil {
            // Several nodes: moved inside the fenced transaction (see `RunArchive.closePart`).
            try store.write { w in
                try move()
                for r in records { try w.markErrored(dropID: r.id) }
            }
        } else {
            try move()
            try store.write { w in for r in records { try w.markErrored(dropID: r.id) } }
        }
    }

    /// The `error/` path of each drop still to move, unique among them and never over another original:
    /// a drop whose recorded path is taken (two archive members that flatten to one name, or a file
    /// placed there since it was decided) goes to `<name>.<drop id>` instead, recorded before anything moves.
    func settleErrorPaths(_ records: [DropRecord]) throws -> [DropRecord] {
        var out = records
        var taken: Set<String> = []
        var changed: [DropRecord] = []
        for i in out.indices {
            guard let path = out[i].errorPath else { continue }
            if FileSystem.status(out[i].workPath) != nil, taken.contains(path) || FileSystem.status(path) != nil {
                let dir = (path as NSString).deletingLastPathComponent
                out[i].errorPath = dir + "/" + FileName.error(name: out[i].name, id: out[i].id, unique: true)
                changed.append(out[i])
            }
            taken.insert(out[i].errorPath ?? path)
        }
        if !changed.isEmpty {
            try store.write { w in for r in changed { try w.setErrorPath(dropID: r.id, path: r.errorPath ?? "") } }
        }
        return out
    }

    static func manifestEntry(_ r: DropRecord, messages: Int) -> JSONValue {
        .object(JSONObject([
            "drop": .string(r.id),
            "channel": .string(r.channel),
            "name": .string(r.name),
            "sha256": .string(r.sha256),
            "size": .number(String(r.size)),
            "outcome": .string(r.outcome?.rawValue ?? "accepted"),
            "messages": .number(String(max(messages, 1))),
            "acknowledgement": r.ackName.map { .string($0) } ?? .null,
        ]))
    }
}
