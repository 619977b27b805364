import Foundation
import Logging
import PostroomArchive
import PostroomConfig
import PostroomCore
import PostroomPostgres
import PostroomStore

extension Pipeline {
    /// Finishes whatever an earlier run left undone (after a crash or `kill -9`): drops claimed but
    /// not processed are processed; processed ones get their acknowledgement (again, same name and
    /// bytes) and their original placed; files in `work/` with no record are recorded and processed.
    func recover(into session: RunSession) throws {
        // Several nodes: only the drops this node holds (its own, and those it took over).
        var claims: [String: DropClaim]?
        if let member {
            try nodePoll(member)
            claims = member.claims
        }
        let unfinished = try heldUnfinished(claims: claims, session: session)
        clearStaging(unfinished: unfinished, session: session)
        var (work, known) = try heldWork(unfinished, claims: claims, session: session)
        for ch in config.channels {
            work.toProcess += try orphans(of: ch, known: &known, session: session).map { .recovered(ch, $0) }
        }
        guard !work.isEmpty else { return }
        try session.record()
        logger.warning("recovering unfinished work", metadata: [
            "claimed": .stringConvertible(work.toProcess.count), "acks": .stringConvertible(work.acks.count),
            "errors": .stringConvertible(work.toError.count), "archive": .stringConvertible(work.toArchive.count),
        ])
        try finish(work, session: session)
    }

    /// The unfinished drops this node holds (`claims`; every one for a single node), once the archive
    /// parts that hold any of them, placed but never recorded, are adopted. The recovery a run starts
    /// with and the takeover between groups of a run (`takeOverDuringRun`) share it and `heldWork`.
    func heldUnfinished(claims: [String: DropClaim]?, session: RunSession) throws -> [DropRecord] {
        let read = { try self.store.read { try $0.unfinishedDrops() }.filter { d in claims.map { self.holds(d, $0) } ?? true } }
        if claims != nil {
            // A node: only a processed drop it holds can be in a placed part; without one, no part is read.
            let unfinished = try read()
            guard unfinished.contains(where: { $0.state == .processed }) else { return unfinished }
        }
        try adoptPlacedArchives(session: session, claims: claims)
        return try read()
    }

    /// What is left to do of `unfinished` (from `heldUnfinished`): drops processed again, answers written,
    /// originals placed, drops this node claimed but never recorded, and routed files decided by a
    /// committed transaction but not yet written. With the ids it covers.
    func heldWork(_ unfinished: [DropRecord], claims: [String: DropClaim]?, session: RunSession) throws -> (RecoveryWork, Set<String>) {
        var work = try sortUnfinished(unfinished)
        var known = Set(unfinished.map(\.id))
        if let member, let claims {
            work.toProcess += try unrecordedClaims(member, known: &known, session: session, only: Set(claims.keys))
        }
        let routed = try store.read { try $0.pendingOutbound() }.filter { r in !unfinished.contains { $0.id == r.dropID && $0.state == .claimed } }
            .filter { r in claims.map { $0[r.dropID] != nil } ?? true }
        for r in routed {
            if let ch = config.channel(named: r.channel) { work.acks.append(OutboxFile(directory: ch.outbox, name: r.name, bytes: r.bytes, outboundSeq: r.seq)) }
        }
        return (work, known)
    }

    /// What recovery has to do: drops to process again, answers to write, originals to place.
    struct RecoveryWork {
        var toProcess: [Intake] = []
        var acks: [OutboxFile] = []
        var toError: [DropRecord] = []
        var toArchive: [DropRecord] = []
        var isEmpty: Bool { toProcess.count + acks.count + toError.count + toArchive.count == 0 }
    }

    /// Run archives that were never finished (their drops are still in work/ and go into this run's
    /// archive), and folders of opened archives whose members are all done.
    func clearStaging(unfinished: [DropRecord], session: RunSession) {
        let staging = config.workFolder + "/.staging"
        let busy = Set(unfinished.compactMap(\.parentDrop) + unfinished.map(\.id))
        try? FileSystem.forEachEntry(in: staging) { name in
            let path = staging + "/" + name
            if FileSystem.status(path)?.kind == .directory {
                if !busy.contains(name) { try? FileManager.default.removeItem(atPath: path) }
            } else if !name.hasPrefix(session.id) {
                try? FileSystem.remove(path)
            }
            return true
        }
    }

    /// Sorts unfinished drops by what each still needs: claimed ones are processed again; processed ones
    /// answered (when not yet) and placed.
    func sortUnfinished(_ unfinished: [DropRecord]) throws -> RecoveryWork {
        var work = RecoveryWork()
        for d in unfinished {
            guard let ch = config.channel(named: d.channel) else {
                logger.error("unfinished drop of an unknown channel left in place", metadata: ["drop": .string(d.id), "channel": .string(d.channel)])
                continue
            }
            switch d.state {
            case .claimed:
                if let intake = try reclaim(d, channel: ch) { work.toProcess.append(intake) }
            case .processed:
                if !d.ackWritten, let name = d.ackName, let bytes = d.ackBytes {
                    work.acks.append(OutboxFile(directory: ch.outbox, name: name, bytes: bytes, dropID: d.id))
                } else if !d.ackWritten, let name = d.ackName, let file = d.ackFile {
                    work.acks.append(OutboxFile(directory: ch.outbox, name: name, source: file, dropID: d.id))
                }
                if d.outcome == .rejected {
                    work.toError.append(d)
                } else if FileSystem.status(d.workPath) != nil {
                    work.toArchive.append(d)
                } else {
                    logger.error("processed drop has no work file", metadata: ["drop": .string(d.id)])
                }
            case .done:
                break
            }
        }
        return work
    }

    /// A claimed drop to process again (a reprocess's original placed again first), or nil when its work file is gone.
    func reclaim(_ d: DropRecord, channel ch: PipelineConfig.Channel) throws -> Intake? {
        if FileSystem.status(d.workPath) == nil, let oldID = d.reprocessOf,
           let old = try store.read({ try $0.drop(id: oldID) }) {
            // A reprocess recorded just before a crash: place its original again.
            try? materializeReprocess(d, original: old)
        }
        if FileSystem.status(d.workPath) != nil {
            return d.reprocessOf != nil ? .reprocess(ch, d) : .recovered(ch, d)
        }
        logger.error("claimed drop has no work file", metadata: ["drop": .string(d.id)])
        return nil
    }

    /// Files in a channel's work/ folder that no record names: claimed just before a crash, never recorded.
    func orphans(of ch: PipelineConfig.Channel, known: inout Set<String>, session: RunSession) throws -> [DropRecord] {
        let dir = config.workFolder + "/" + ch.name
        var orphans: [DropRecord] = []
        try FileSystem.forEachEntry(in: dir) { name in
            guard let sep = name.firstIndex(of: "_"), name.distance(from: name.startIndex, to: sep) == 26 else { return true }
            let id = String(name[..<sep])
            guard !known.contains(id) else { return true }
            let path = dir + "/" + name
            if let existing = try store.read({ try $0.drop(id: id) }) {
                // Done already (crash between recording and removing the work file): the copy is not needed.
                if existing.state == .done { try? FileSystem.remove(path) }
                return true
            }
            // A node claims the file first; another node may hold it (adopted while this one was away).
            if let member, try member.claim(dropID: id, channel: ch.name, name: String(name[name.index(after: sep)...]), workPath: path) == nil {
                return true
            }
            known.insert(id)
            // Received when the claim's rename moved it here (which set its ctime), not now.
            let st = FileSystem.status(path)
            let received = st.map { Date(timeIntervalSince1970: $0.changed) } ?? Date()
            orphans.append(DropRecord(id: id, runID: session.id, channel: ch.name, name: String(name[name.index(after: sep)...]),
                                      size: st?.size ?? 0, sha256: "", receivedAt: StoreTime.string(received), workPath: path))
            return true
        }
        return orphans
    }

    /// Answers, places and processes what recovery found.
    func finish(_ work: RecoveryWork, session: RunSession) throws {
        // One drop whose outputs cannot be placed must not stop this run taking new files (DESIGN.md §3.8):
        // it is left, named in the summary, for the next run.
        let unanswered = Set(isolating(work.acks, step: "acknowledgement", session: session, dropID: \.dropID) { try placeOutboxFiles($0) }
            .compactMap(\.dropID))
        isolating(work.toError.filter { !unanswered.contains($0.id) }, step: "error folder", session: session, dropID: \.id) {
            try moveToError($0, session: session)
        }
        for d in work.toArchive where !unanswered.contains(d.id) {
            let n = try store.read { try $0.messages(dropID: d.id).count }
            try session.archive(drop: d, manifestEntry: Self.manifestEntry(d, messages: n))
        }
        let toProcess = work.toProcess
        for group in stride(from: 0, to: toProcess.count, by: config.groupSize) {
            try processGroup(Array(toProcess[group..<min(group + config.groupSize, toProcess.count)]), session: session)
        }
        session.summary.recovered += toProcess.count + work.toError.count + work.toArchive.count
    }

    /// A run killed after its archive was renamed into place but before its drops were marked:
    /// the archive is complete (it was synced before the rename), so its manifest says which drops
    /// it holds; they are marked archived there rather than archived a second time. On a single node a
    /// part already recorded is not read again (a long run killed late has placed many, each a whole
    /// manifest to parse): its drops were marked together.
    /// Several nodes: only drops this node holds (`claims`) are adopted, so a part may be adopted in
    /// shares by several takeovers, and is read each time; other nodes' runs are running.
    func adoptPlacedArchives(session: RunSession, claims: [String: DropClaim]? = nil) throws {
        let runs = try store.read { try $0.unfinishedRuns(except: session.id) }
        for run in runs {
            for path in RunArchive.placedParts(of: run, archiveFolder: config.archiveFolder)
            where try claims != nil || !store.read({ try $0.archivePartRecorded(run: run.id, path: path) }) {
                try adopt(archive: path, run: run, claims: claims)
            }
        }
    }

    /// The `manifest.json` of a placed archive part, or nil when the part cannot be read to its end.
    func placedManifest(_ path: String) -> JSONValue? {
        do {
            let reader = try ArchiveReader(path: path)
            var manifest: JSONValue?
            while let m = try reader.next() {
                if m.name == "manifest.json" { manifest = try? JSONParser().parse(reader.readData(limit: 1 << 30)) }
            }
            return manifest
        } catch {
            return nil
        }
    }

    /// Marks the drops a placed archive's manifest lists as archived there (see `adoptPlacedArchives`).
    func adopt(archive path: String, run: RunRecord, claims: [String: DropClaim]? = nil) throws {
        if let claims, claims.isEmpty { return }
        guard let entries = placedManifest(path)?["drops"]?.array else {
            // Its drops are archived again rather than every later run stopped on one unreadable file.
            logger.error("placed archive without a readable manifest", metadata: ["run": .string(run.id), "archive": .string(path)])
            return
        }
        var adopted: [DropRecord] = []
        try store.write { w in
            for e in entries {
                guard let id = e["drop"]?.string, let member = e["member"]?.string,
                      let d = try w.reader.drop(id: id), d.state == .processed, claims.map({ holds(d, $0) }) ?? true else { continue }
                try w.markArchived(dropID: id, archivePath: path, member: member)
                adopted.append(d)
            }
            if claims == nil || !adopted.isEmpty { try w.setRunArchive(id: run.id, path: path) }
        }
        for d in adopted { try? FileSystem.remove(d.workPath) }
        if !adopted.isEmpty {
            logger.warning("adopted the archive of an interrupted run", metadata: [
                "run": .string(run.id), "drops": .stringConvertible(adopted.count)])
        }
    }
}
