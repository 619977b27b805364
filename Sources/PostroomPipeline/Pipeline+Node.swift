import Foundation
import Logging
import PostroomConfig
import PostroomPostgres
import PostroomStore

/// `--node NAME`: this process is one of several nodes sharing the inboxes, with PostgreSQL as the store.
public struct NodeOptions: Sendable {
    public var name: String
    /// Seconds a claim's lease lasts (the heartbeat renews every third of it).
    public var lease: Double

    public init(name: String, lease: Double) {
        self.name = name
        self.lease = lease
    }

    /// Refused when the store is not PostgreSQL: several nodes need a shared database.
    public static let needsPostgres = "--node needs \"store\": {\"kind\": \"postgres\", …} in pipeline.json: several nodes share their state in PostgreSQL (SQLite is one node's)"

    /// The node's own part of the data folder: its work folder, lock and metrics file.
    public static func folder(_ config: PipelineConfig, node: String) -> String { config.dataFolder + "/nodes/" + node }

    /// The configuration as this node sees it: `work/`, the lock file and the metrics file are its own.
    public func apply(to config: PipelineConfig) -> PipelineConfig {
        var c = config
        let base = Self.folder(config, node: name)
        c.workFolder = base + "/work"
        c.lockFile = base + "/postroom.lock"
        c.metricsFile = base + "/metrics.prom"
        // A drop's claim lasts until its original is archived; small parts keep a node's claims few
        // (every commit checks them all) and hand finished drops back early.
        c.archivePartDrops = min(c.archivePartDrops, max(c.groupSize * 4, 64))
        return c
    }
}

extension Pipeline {
    /// Opens the store fenced by this node's claims (and registers the node), or the plain store.
    static func openStore(_ config: PipelineConfig, node: NodeOptions?) throws -> (Store, NodeMember?) {
        guard let node else { return (try config.openStore(), nil) }
        guard case .postgres(let location) = config.store else {
            throw ConfigError(key: "store.kind", message: NodeOptions.needsPostgres)
        }
        let backend = try PostgresStoreBackend(location)
        let member = try NodeMember(server: location, name: node.name, lease: node.lease)
        do {
            let store = try Store(backend: backend, identity: config.identity)
            backend.fence = member
            return (store, member)
        } catch {
            member.leave()
            throw error
        }
    }

    /// Each poll of a node, before recovery: lets go of drops taken over by others, takes over drops
    /// whose node died or paused past its lease, adopts files a dead node renamed but never claimed,
    /// and removes the claims of drops that are done.
    func nodePoll(_ member: NodeMember) throws {
        let lost = member.forgetLost()
        if !lost.isEmpty {
            logger.warning("drops taken over by other nodes", metadata: ["count": .stringConvertible(lost.count)])
        }
        let taken = try member.takeOverExpired(limit: max(config.groupSize * 8, 1024))
        if !taken.isEmpty {
            logger.warning("took over drops of another node", metadata: [
                "count": .stringConvertible(taken.count), "from": .string(Set(taken.compactMap(\.takenOverFrom)).sorted().joined(separator: ","))])
        }
        try adoptDeadNodesFiles(member)
        try store.write { _ in }
    }

    /// Files in the work folders of nodes that are not alive, with no claim and no record: renamed
    /// just before their node died. The claim (one row per drop, inserted once) decides between
    /// nodes adopting them; the file is processed where it lies. A file whose drop is done already
    /// (its node died between marking its archive part done and removing the part's work files) is
    /// a copy nobody needs: it is removed, as a single node's recovery removes its own.
    /// `stoppedToo`: also the folders of nodes that stopped cleanly (at a poll; between groups of a
    /// run only those of nodes that went silent are looked at). Returns the drops it claimed.
    @discardableResult
    func adoptDeadNodesFiles(_ member: NodeMember, stoppedToo: Bool = true) throws -> Set<String> {
        var removed = 0
        var claimed: Set<String> = []
        defer {
            if removed > 0 { logger.warning("removed copies of finished drops from a silent node's work folder", metadata: ["count": .stringConvertible(removed)]) }
        }
        for n in try member.nodes() where !n.alive && n.name != member.node.name && (stoppedToo || n.stoppedAt == nil) {
            let work = NodeOptions.folder(config, node: n.name) + "/work"
            for ch in config.channels {
                try? FileSystem.forEachEntry(in: work + "/" + ch.name) { name in
                    guard let sep = name.firstIndex(of: "_"), name.distance(from: name.startIndex, to: sep) == 26 else { return true }
                    let id = String(name[..<sep])
                    let path = work + "/" + ch.name + "/" + name
                    if let existing = try store.read({ try $0.drop(id: id) }) {
                        if existing.state == .done, (try? FileSystem.remove(path)) != nil { removed += 1 }
                        return true
                    }
                    if try member.claim(dropID: id, channel: ch.name, name: String(name[name.index(after: sep)...]), workPath: path) != nil {
                        claimed.insert(id)
                    }
                    return true
                }
            }
        }
        return claimed
    }

    /// Whether a drop is this node's to work on (its own claim, or its parent's for an archive's member).
    func holds(_ d: DropRecord, _ claims: [String: DropClaim]) -> Bool {
        claims[d.id] != nil || d.parentDrop.map { claims[$0] != nil } == true
    }

    /// Drops this node holds that were never recorded (their node died between its claim and its
    /// record): processed from where the claim says the file is.
    func unrecordedClaims(_ member: NodeMember, known: inout Set<String>, session: RunSession, only: Set<String>? = nil) throws -> [Intake] {
        var out: [Intake] = []
        for c in member.claims.values.sorted(by: { ($0.claimedAt, $0.dropID) < ($1.claimedAt, $1.dropID) })
            where !known.contains(c.dropID) && only.map({ $0.contains(c.dropID) }) != false {
            guard let ch = config.channel(named: c.channel), try store.read({ try $0.drop(id: c.dropID) }) == nil else { continue }
            known.insert(c.dropID)
            guard let st = FileSystem.status(c.workPath) else {
                logger.error("claimed drop has no work file", metadata: ["drop": .string(c.dropID)])
                continue
            }
            out.append(.recovered(ch, DropRecord(id: c.dropID, runID: session.id, channel: ch.name, name: c.name, size: st.size,
                                                 sha256: "", receivedAt: StoreTime.string(c.claimedAt), workPath: c.workPath)))
        }
        return out
    }
}

extension Pipeline {
    /// A node records its claim of a drop it has just renamed into its work folder. False when another
    /// node holds it already (it adopted the file while this node was paused between rename and claim):
    /// the drop is that node's. When the database cannot record the claim, the file goes back to the inbox.
    func claimRenamed(id: String, channel ch: PipelineConfig.Channel, name: String, work: String, inbox: String) throws -> Bool {
        guard let member else { return true }
        do {
            return try member.claim(dropID: id, channel: ch.name, name: name, workPath: work) != nil
        } catch {
            try? FileSystem.rename(work, inbox)
            throw error
        }
    }
}

extension Pipeline {
    /// Between groups of a long run, at most every third of the lease: drops of a node that died or
    /// paused past its lease are taken over and finished now, not only at this node's next poll.
    func takeOverDuringRun(_ member: NodeMember, session: RunSession) throws {
        guard member.takeoverDue() else { return }
        let taken = try member.takeOverExpired(limit: max(config.groupSize * 8, 1024))
        if !taken.isEmpty {
            logger.warning("took over drops of another node", metadata: [
                "count": .stringConvertible(taken.count), "from": .string(Set(taken.compactMap(\.takenOverFrom)).sorted().joined(separator: ","))])
        }
        // As at a poll: files a dead node renamed but never claimed (of nodes that did not stop
        // cleanly: a clean stop leaves none), and archive parts it placed but never recorded (so none
        // of their drops is archived a second time).
        let ids = Set(taken.map(\.dropID)).union(try adoptDeadNodesFiles(member, stoppedToo: false))
        guard !ids.isEmpty else { return }
        // As the recovery a run starts with does, for these drops only.
        let claims = member.claims.filter { ids.contains($0.key) }
        let unfinished = try heldUnfinished(claims: claims, session: session)
        let (work, _) = try heldWork(unfinished, claims: claims, session: session)
        try store.write { _ in }  // claims of drops already done go
        guard !work.isEmpty else { return }
        // The run's archive belongs to the placing stage while it has work: let it finish first.
        try session.placer.drain()
        try finish(work, session: session)
    }
}
