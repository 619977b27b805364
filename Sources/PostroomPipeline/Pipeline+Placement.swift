import Foundation
import PostroomCore
import PostroomStore

extension Pipeline {
    /// Writes the group's acknowledgement files (temp → one syncfs → rename → fsync of each outbox)
    /// and records that they are in place. Names are deterministic per drop, so a retry after a
    /// crash rewrites the same file rather than adding one.
    func writeAcks(_ group: [Placement]) throws {
        var files: [(directory: String, name: String, bytes: [UInt8])] = []
        var ids: [String] = []
        for f in group {
            guard let ack = f.ack else { continue }
            files.append((f.channel.outbox, ack.name, ack.bytes))
            ids.append(f.record.id)
        }
        // Read on the writer connection: no reader connection (and its page cache) for the placing stage.
        let routed = try store.write { try $0.reader.pendingOutbound(dropIDs: group.map(\.record.id)) }
        for r in routed {
            guard let ch = config.channel(named: r.channel) else { continue }
            files.append((ch.outbox, r.name, r.bytes))
        }
        var copies: [(source: String, directory: String, name: String)] = []
        for f in group where f.ack == nil {
            guard let source = f.ackFile, let name = f.record.ackName else { continue }
            copies.append((source, f.channel.outbox, name))
            ids.append(f.record.id)
        }
        guard !files.isEmpty || !copies.isEmpty else {
            // Nothing to answer, but what the group decided must still be durable before its
            // originals are archived or moved.
            try FileSystem.syncFileSystem(of: config.database)
            return
        }
        try FileSystem.writeAtomically(files, copies: copies, durableFirst: [config.database])
        try store.write { w in
            try w.markAckWritten(dropIDs: ids)
            try w.markOutboundWritten(routed.map(\.seq))
        }
    }

    /// Puts each original where it ends: accepted ones into the run's archive, rejected ones into
    /// `error/<channel>/` beside a `.error.json` sidecar saying why.
    func place(_ group: [Placement], session: RunSession) throws {
        var rejected: [DropRecord] = []
        for f in group {
            if f.outcome == .rejected {
                rejected.append(f.record)
            } else {
                try session.archive(drop: f.record, manifestEntry: Self.manifestEntry(f.record, messages: f.messageCount),
                                    bytes: f.original, modified: f.modified)
            }
        }
        try moveToError(rejected, session: session)
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
                    "issues": .array(m.issues.map(\.json)),
                ]))
            }),
            "acknowledgement": record.ackName.map { .string($0) } ?? .null,
            "reprocess": .string("postroom reprocess \(record.id)"),
        ]))
    }

    /// Finishes moving a rejected drop's original into `error/` (sidecar first, then the file).
    func moveToError(_ records: [DropRecord], session: RunSession) throws {
        var sidecars: [(directory: String, name: String, bytes: [UInt8])] = []
        var moves: [(String, String)] = []
        for r in records {
            guard let errorPath = r.errorPath else { continue }
            let messages = try store.read { try $0.messages(dropID: r.id) }
            let dir = (errorPath as NSString).deletingLastPathComponent
            sidecars.append((dir, (errorPath as NSString).lastPathComponent + ".error.json", JSONWriter(pretty: true).bytes(sidecar(r, messages: messages))))
            moves.append((r.workPath, errorPath))
            session.errorFiles.withLock { list in
                // The summary names the first ones; a run of a million rejects must not hold a million paths.
                if list.count < RunSummary.errorFilesListed { list.append(errorPath) }
            }
        }
        guard !records.isEmpty else { return }
        try FileSystem.writeAtomically(sidecars)
        for (from, to) in moves where FileSystem.status(from) != nil { try FileSystem.rename(from, to) }
        for dir in Set(moves.map { ($0.1 as NSString).deletingLastPathComponent }) { try FileSystem.sync(dir) }
        checkpoint("errored")
        try store.write { w in for r in records { try w.markErrored(dropID: r.id) } }
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
