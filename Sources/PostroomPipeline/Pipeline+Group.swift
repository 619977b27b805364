import Foundation
import Logging
import PostroomConfig
import PostroomCore
import PostroomDigest
import PostroomStore

/// A drop in flight within a group: where it came from, and the stage of its life it has reached.
struct InFlight {
    var channel: PipelineConfig.Channel
    var record: DropRecord
    /// The claimed file's modification time (the archive member keeps it).
    var modified: Date?
    var stage: DropStage
    /// Whether the drop has its row in the store. A drop claimed from an inbox (or found in `work/` with no
    /// row) gets it where it is settled, in one write with its outcome; a crash before then leaves its work
    /// file, which the next run records and processes (`orphans`). Streamed drops are recorded first.
    var recorded = true

    /// Whether the drop was read whole and not decoded yet (`Pipeline.decode`).
    var needsDecoding: Bool {
        if case .read = stage { return true }
        return false
    }

    /// How the drop is streamed, when it is too large to be read whole.
    var streamed: StreamedFormat? {
        if case .streaming(let format) = stage { return format }
        return nil
    }

    /// What the placing stage needs once the drop is decided (no decoded content).
    var placement: Placement {
        let d = decision
        return Placement(channel: channel, record: record, outcome: d.outcome, ack: d.ack, ackFile: record.ackFile, messageCount: d.messageCount,
                         original: d.outcome != .rejected && (d.original?.count ?? .max) <= 1 << 20 ? d.original : nil, modified: modified)
    }

    /// The decision of a decided drop (a drop not decided counts as rejected, as before any decision).
    var decision: DropDecision {
        if case .decided(let d) = stage { return d }
        return DropDecision(outcome: .rejected)
    }
}

/// A drop's life as values: claimed and read (or refused, or left to stream), opened or decoded, then
/// decided in the store; answering and placing it (archive or `error/`) is the placing stage's (`Placement`).
enum DropStage {
    /// Claimed and recorded, but refused before decoding (too large, unreadable, an archive in an archive).
    case refused(Issue)
    /// Claimed and read whole.
    case read([UInt8])
    /// Claimed: a large HL7 v2 file or JSON Bundle processed in chunks (`processStreamed`), never read whole.
    case streaming(StreamedFormat)
    /// A zip/tar archive opened into members (or refused while opening).
    case opened([UInt8], ArchiveExpansion)
    /// Decoded (pure), ready to be decided.
    case decoded([UInt8], DecodedDrop)
    /// Settled in the store (processed): its outcome and answer decided.
    case decided(DropDecision)
}

/// What settling decided about a drop.
struct DropDecision {
    var outcome: DropRecord.Outcome
    var ack: (name: String, bytes: [UInt8])?
    var errorPath: String?
    var messageCount = 0
    /// Messages held (waiting for their request).
    var held = 0
    /// The original's bytes (nil when streamed or refused unread).
    var original: [UInt8]?
    /// The decoded format, for the log.
    var decodedFormat: String?
    /// The messages' issues, for the log.
    var messageIssues: [Issue] = []
    /// Members of an opened archive: drops of their own.
    var members: [ArchiveExpansion.Member] = []
}

/// A settled drop as the placing stage sees it.
struct Placement: Sendable {
    var channel: PipelineConfig.Channel
    var record: DropRecord
    var outcome: DropRecord.Outcome
    var ack: (name: String, bytes: [UInt8])?
    /// An answer kept as a file (a streamed batch's acknowledgement), placed under `record.ackName`.
    var ackFile: String?
    var messageCount: Int
    /// The original's bytes when small and accepted, so the archive need not read the work file again.
    var original: [UInt8]?
    var modified: Date?
}

extension Pipeline {
    /// Claims, records, decodes, applies, answers and places a group of drops.
    func processGroup(_ intakes: [Intake], session: RunSession) throws {
        try session.record()
        try settleClaims(pendingClaims(intakes, session: session).map(claim), session: session)
    }

    /// One of a sequence of groups: claims and reads `intakes` (and decodes them) on another core, then
    /// settles and places the group before them (`previous`, claimed meanwhile); returns this group's
    /// claim, for the next call or `settleAhead`. The groups are settled in the order they are claimed.
    func processGroup(_ intakes: [Intake], after previous: ClaimAhead?, session: RunSession) throws -> ClaimAhead? {
        try session.record()
        let pending = pendingClaims(intakes, session: session)
        let ahead = pending.isEmpty ? nil : ClaimAhead(pending) { [self] p in
            var outcome = claim(p)
            if case .claimed(var f, let ready) = outcome { decode(&f); outcome = .claimed(f, ready) }
            return outcome
        }
        do {
            try settleAhead(previous, session: session)
        } catch {
            // The group claimed ahead is not settled either: recorded as claimed, as the failed group is.
            if let outcomes = ahead?.take() {
                recordAsClaimed(outcomes.compactMap { o -> InFlight? in
                    guard case .claimed(var f, _) = o else { return nil }
                    f.record.runID = session.id
                    return f
                })
            }
            throw error
        }
        return ahead
    }

    /// Settles and places a group claimed ahead (the last of a sequence).
    func settleAhead(_ ahead: ClaimAhead?, session: RunSession) throws {
        guard let ahead else { return }
        try settleClaims(ahead.take(), session: session)
    }

    /// A claimed group from its claims' outcomes: admitted (`admit`), decoded where it was not yet, settled and placed.
    func settleClaims(_ outcomes: consuming [ClaimOutcome], session: RunSession) throws {
        var group = try admit(outcomes, session: session)
        // Freed off the writer once `unsettled` goes too (`settleAndPlace`).
        Leftovers.release(outcomes)
        guard !group.isEmpty else { return }
        decodeInParallel(&group)
        try settleAndPlace(&group, session: session)
    }

    /// Claimed drops not settled (their group's transaction failed, or the one before it did) and not recorded
    /// yet: recorded as claimed, when the store still takes a write, so that they show in `status`, `show` and
    /// the web page until the next run finishes them from their work files.
    func recordAsClaimed(_ drops: [InFlight]) {
        try? store.write { w in for f in drops where !f.recorded { try w.insertDrop(f.record) } }
    }

    /// First stage, after the claims (`claim`: rename into `work/`, read and hash): their bookkeeping, in
    /// order, on the writer. A file that could not be claimed is not tried again in this run; a claimed one
    /// is forgotten by the scanner (its marker removed) and claimed by this node; a recovered drop with no
    /// row is recorded where it is settled. Then the drops to be streamed are recorded and archives opened.
    func admit(_ outcomes: [ClaimOutcome], session: RunSession) throws -> [InFlight] {
        var group: [InFlight] = []
        for outcome in outcomes {
            switch outcome {
            case .failed(let ch, let ready, let error):
                // Gone (taken or removed by someone else) or not ours to move: nothing was claimed.
                logger.warning("claim failed", metadata: ["channel": .string(ch.name), "error": .string(LogRedaction.describe(error))])
                session.unclaimable.insert(ready.path)
            case .claimed(var inflight, let ready):
                inflight.record.runID = session.id
                scanner.forget(channel: inflight.channel.name, name: ready.name)
                if let marker = ready.marker { try? FileSystem.remove(marker) }
                checkpoint("claimed")
                guard try claimRenamed(id: inflight.record.id, channel: inflight.channel, name: ready.name,
                                       work: inflight.record.workPath, inbox: ready.path) else { continue }
                group.append(inflight)
            case .loaded(var inflight):
                inflight.record.runID = session.id
                let record = inflight.record
                if record.state == .claimed && (try? store.read({ try $0.drop(id: record.id) })) == nil { inflight.recorded = false }
                group.append(inflight)
            }
        }
        guard !group.isEmpty else { return [] }
        // A streamed drop is settled in transactions of its own: recorded before any of them.
        let streamed = group.indices.filter { !group[$0].recorded && group[$0].streamed != nil }
        if !streamed.isEmpty {
            try store.write { w in for i in streamed { try w.insertDrop(group[i].record) } }
            for i in streamed { group[i].recorded = true }
        }
        checkpoint("recorded")

        for i in group.indices {
            guard case .read(let bytes) = group[i].stage, Self.looksLikeArchive(bytes) else { continue }
            if group[i].record.parentDrop != nil {
                group[i].stage = .refused(.fatal(.nestedArchive, type: "security", "An archive inside an archive is not opened"))
            } else {
                group[i].stage = .opened(bytes, expand(group[i]))
            }
        }
        return group
    }

    /// Second stage: applies the group in one transaction (large v2 batches in their own chunks),
    /// then hands it to the placing stage; members of opened archives follow as groups of their own.
    func settleAndPlace(_ group: inout [InFlight], session: RunSession) throws {
        // Settled from the group as it came each time the transaction runs (see `writeSettling`).
        let unsettled = group
        let routedBefore = routedQueued.load(ordering: .relaxed)
        do {
            group = try writeSettling(&session.savepoints) { w in
                var settled = unsettled
                try settleGroup(&settled, writer: w)
                return settled
            }
        } catch {
            // Its drops would otherwise have no row until the next run finds their work files.
            recordAsClaimed(unsettled)
            throw error
        }
        checkpoint("processed")
        // The group as it came (decoded messages and all): freed on another core, not here.
        Leftovers.release(consume unsettled)
        // Large v2 batches, one at a time, each in its own chunked transactions.
        for i in group.indices {
            if let format = group[i].streamed { try processStreamed(&group[i], as: format, session: session) }
        }
        for g in group { count(g, session: session) }
        session.done += group.count
        session.progress?(session.done, max(session.seen.load(ordering: .relaxed), session.done))
        // Answer and place this group on the third stage while the next one is applied.
        let placed = group.map(\.placement)
        let routed = routedQueued.load(ordering: .relaxed) != routedBefore
        try session.placer.submit(answer: { [self] in
            try writeAcks(placed, routed: routed, session: session)
        }, place: { [self] answered in
            try record(answered)
            checkpoint("acked")
            try place(placed, unanswered: answered.unanswered, session: session)
        })
        // Members of archives opened in this group are drops of their own.
        let members: [Intake] = group.flatMap { f -> [Intake] in
            guard f.decision.outcome == .accepted else { return [] }
            return f.decision.members.map { .recovered(f.channel, Self.memberRecord($0, of: f.record, run: session.id)) }
        }
        for start in stride(from: 0, to: members.count, by: config.groupSize) {
            try processGroup(Array(members[start..<min(start + config.groupSize, members.count)]), session: session)
        }
    }

    static func memberRecord(_ m: ArchiveExpansion.Member, of parent: DropRecord, run: String) -> DropRecord {
        DropRecord(id: m.id, runID: run, channel: parent.channel, name: m.name, size: m.size, sha256: "",
                   receivedAt: parent.receivedAt, workPath: m.path, parentDrop: parent.id)
    }

    /// Decodes the group's drops not decoded yet on all cores (decoding is pure; each drop is written only
    /// by its own iteration). A group claimed ahead comes decoded: then no other core is woken for nothing.
    func decodeInParallel(_ group: inout [InFlight]) {
        let waiting = group.indices.filter { group[$0].needsDecoding }
        guard !waiting.isEmpty else { return }
        group.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let slots = buf
            DispatchQueue.concurrentPerform(iterations: waiting.count) { i in decode(&slots[waiting[i]]) }
        }
    }

    /// Decodes a drop that was read whole (pure); any other drop, and an archive (opened by `admit`), is left as it is.
    func decode(_ f: inout InFlight) {
        guard case .read(let bytes) = f.stage, !Self.looksLikeArchive(bytes) else { return }
        f.stage = .decoded(bytes, Decoder.decode(bytes, accepting: f.channel.formats, options: options(for: f.channel)))
    }

    /// Reads a claimed file (unless it is larger than the channel allows) and hashes it.
    func load(channel: PipelineConfig.Channel, record: DropRecord) -> InFlight {
        var f = InFlight(channel: channel, record: record, stage: .refused(.fatal(.fileUnreadable, type: "exception", "The file could not be read")))
        // The usual drop, a regular file small enough to read whole, in one open; anything else the long way below.
        if let small = try? FileSystem.read(record.workPath, ifAtMost: min(channel.maxFileSize, config.streamAbove)), let bytes = small.bytes {
            f.record.size = small.status.size
            f.modified = Date(timeIntervalSince1970: small.status.modified)
            f.stage = .read(bytes)
            f.record.sha256 = SHA256Digest.hex(bytes)
            return f
        }
        let st = FileSystem.status(record.workPath)
        let size = st?.size ?? record.size
        f.record.size = size
        f.modified = st.map { Date(timeIntervalSince1970: $0.modified) }
        if size > channel.maxFileSize {
            f.stage = .refused(.fatal(.fileTooLarge, type: "too-long",
                               "The file is \(size) bytes; this channel accepts at most \(channel.maxFileSize)"))
            f.record.sha256 = f.record.sha256.isEmpty ? "not-read" : f.record.sha256
            return f
        }
        if size > config.streamAbove, let format = Self.streamedFormat(record.workPath, accepting: channel.formats) {
            f.stage = .streaming(format)
            f.record.sha256 = f.record.sha256.isEmpty ? "streamed" : f.record.sha256
            return f
        }
        do {
            let bytes = try FileSystem.read(record.workPath, limit: channel.maxFileSize)
            f.stage = .read(bytes)
            f.record.sha256 = SHA256Digest.hex(bytes)
        } catch {
            f.stage = .refused(.fatal(.fileUnreadable, type: "exception", "The file could not be read"))
            f.record.sha256 = f.record.sha256.isEmpty ? "not-read" : f.record.sha256
            logger.error("read failed", metadata: ["drop": .string(record.id), "error": .string(LogRedaction.describe(error))])
        }
        return f
    }

    /// Queues the files a message routes to other channels (Option H), named so a drop's retry rewrites them.
    func queueRouted(_ log: RoutingLog, dropID: String, writer w: StoreWriter) throws {
        if !log.files.isEmpty { routedQueued.add(1, ordering: .relaxed) }
        for f in log.files { try w.queueOutbound(dropID: dropID, channel: f.channel, name: f.name, bytes: f.bytes) }
    }

    /// A drop's outcome from its messages' results.
    static func outcome(_ results: [MessageResult], dropIssues: [Issue]) -> DropRecord.Outcome {
        if results.isEmpty || dropIssues.hasErrors { return .rejected }
        let rejected = results.filter { $0.disposition == .rejected }.count
        let duplicates = results.filter { $0.disposition == .duplicate }.count
        if rejected == results.count { return .rejected }
        if rejected > 0 { return .partial }
        if duplicates == results.count { return .duplicate }
        return .accepted
    }

    /// The suffix of a stored acknowledgement name (`<name>.<dropid>.<suffix>`).
    static func ackSuffix(_ ackName: String) -> String? {
        let parts = ackName.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        return parts.suffix(2).joined(separator: ".")
    }

    /// Where a rejected original goes: `error/<channel>/<name>`, or `<name>.<drop id>` when that name is taken
    /// (names shortened to fit, see `FileName`).
    func errorPath(for record: DropRecord, channel: PipelineConfig.Channel) -> String {
        let dir = config.errorFolder + "/" + channel.name
        let plain = dir + "/" + FileName.error(name: record.name, id: record.id, unique: false)
        if FileSystem.status(plain) == nil && FileSystem.status(plain + FileName.sidecarSuffix) == nil { return plain }
        return dir + "/" + FileName.error(name: record.name, id: record.id, unique: true)
    }

    /// De-duplication by business keys (DOMAIN.md §8.2, §4.3): a message seen before is not applied again.
    func dedupe(_ m: InboundMessage, reader: StoreReader) throws -> (result: MessageResult, messageID: String, dropID: String)? {
        // All the message's keys in one look-up; each kind's first hit, in the keys' order.
        let hits = try reader.dedupeHits(m.dedupeKeys)
        func firstHit(_ keys: [String]) -> (messageID: String, dropID: String)? { keys.lazy.compactMap { hits[$0] }.first }
        let bundleKeys = m.dedupeKeys.filter { $0.hasPrefix("fhir-bundle|") }
        let headerKeys = m.dedupeKeys.filter { $0.hasPrefix("fhir-header|") }
        if !bundleKeys.isEmpty || !headerKeys.isEmpty {
            // FHIR reliable messaging (§4.3).
            let bundleHit = firstHit(bundleKeys)
            let headerHit = firstHit(headerKeys)
            switch (bundleHit, headerHit) {
            case (let b?, _?):
                return (MessageResult(disposition: .duplicate, issues: [.information(.duplicateMessage, type: "duplicate",
                    "This message was processed before; the original response is sent again")]), b.messageID, b.dropID)
            case (nil, let h?):
                return (MessageResult(disposition: .duplicate, issues: [.information(.messageResubmitted, type: "duplicate",
                    "A message with this MessageHeader.id was processed before; it is not applied again")]), h.messageID, h.dropID)
            case (let b?, nil):
                return (MessageResult(disposition: .rejected, issues: [.error(.bundleIDReused, type: "duplicate", at: "Bundle.id",
                    "Bundle.id was already used by a different message; a new message needs a new Bundle.id")]), b.messageID, b.dropID)
            case (nil, nil):
                break
            }
        }
        let others = m.dedupeKeys.filter { !$0.hasPrefix("fhir-bundle|") && !$0.hasPrefix("fhir-header|") }
        if let hit = firstHit(others) {
            return (MessageResult(disposition: .duplicate, issues: [.information(.duplicateMessage, type: "duplicate",
                "A message with the same identifiers was processed before (drop \(hit.dropID)); it is not applied again")]),
                    hit.messageID, hit.dropID)
        }
        return nil
    }

    func count(_ f: InFlight, session: RunSession) {
        var c = session.summary.channels[f.channel.name] ?? RunSummary.Counts()
        let d = f.decision
        switch d.outcome {
        case .accepted: c.accepted += 1
        case .rejected: c.rejected += 1
        case .duplicate: c.duplicates += 1
        case .partial: c.partial += 1
        }
        c.held += d.held
        c.messages += max(d.messageCount, 1)
        c.bytes += f.record.size
        session.summary.channels[f.channel.name] = c
        logger.info("drop processed", metadata: [
            "drop": .string(f.record.id), "channel": .string(f.channel.name), "outcome": .string(d.outcome.rawValue),
            "format": .string(d.decodedFormat ?? "-"), "bytes": .stringConvertible(f.record.size),
            "sha256": .string(String(f.record.sha256.prefix(16))), "messages": .stringConvertible(d.messageCount),
            "issues": .array(Self.loggedCodes(f.record.issues + d.messageIssues).map { .string($0) }),
        ])
    }
}

extension Pipeline {
    /// The codes of a drop's warnings and errors, for its log line: each once, in the order first found.
    static func loggedCodes(_ issues: [Issue]) -> [String] {
        var seen: Set<String> = []
        return issues.filter { $0.severity >= .warning && seen.insert($0.code).inserted }.map(\.code)
    }
}

/// Thrown inside a savepoint to undo a rejected message's changes.
struct RollbackSavepoint: Error {}

extension StoreWriter {
    /// Runs `body` in a savepoint; when it throws `RollbackSavepoint` its changes are undone and no error escapes.
    func savepoint(_ body: () throws -> Void, onRollback: () -> Void) throws {
        do {
            try savepoint { try body() }
        } catch is RollbackSavepoint {
            onRollback()
        }
    }
}
