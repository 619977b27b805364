import Foundation
import PostgresNIO
import PostroomConfig
import Synchronization

/// This process as a node of several (`--node NAME`): its registration, the drops it holds, and a
/// heartbeat thread (a session of its own) that keeps the registration and the claims' leases alive.
///
/// The claims it holds fence every write transaction of the store (`WriteFence`): the first statement
/// checks, and locks until the commit, that each is still this node's with its token (a lease that
/// only lapsed, nobody having taken it, is renewed there); the last removes the claims of drops that
/// are done. A claim lost meanwhile (the process was
/// paused past its lease and another node took the drop over) fails the check: nothing more of this
/// node commits until the pipeline has let the lost drops go (`forgetLost`).
public final class NodeMember: WriteFence, @unchecked Sendable {
    public let node: PostgresNode
    /// Seconds a claim's lease lasts; the heartbeat renews every third of it.
    public let lease: Double
    let server: PostgresLocation
    /// For claims and takeovers, on the pipeline's thread.
    let control: PostgresSession
    private let lock = NSLock()
    private var held: [String: DropClaim] = [:]
    private var lost: Set<String> = []
    private let stopping = Atomic<Bool>(false)
    private let heartbeatDone = DispatchSemaphore(value: 0)
    private var heartbeatStarted = false

    /// Registers `name` (refused while another live process holds it) and starts the heartbeat.
    public init(server: PostgresLocation, name: String, lease: Double, version: String = "dev") throws {
        self.server = server
        self.lease = lease
        control = try PostgresSession(server)
        node = try PostgresNode.register(control, name: name, staleAfter: lease, version: version)
        let beat = try PostgresSession(server)
        heartbeatStarted = true
        Thread.detachNewThread { [self] in heartbeatLoop(beat) }
    }

    private func heartbeatLoop(_ s: PostgresSession) {
        defer { s.close(); heartbeatDone.signal() }
        var last = Date.distantPast
        while !stopping.load(ordering: .relaxed) {
            Thread.sleep(forTimeInterval: min(0.2, lease / 10))
            guard Date().timeIntervalSince(last) >= lease / 3 else { continue }
            last = Date()
            do {
                try node.heartbeat(s)
                let claims = lock.withLock { Array(held.values) }
                let (_, gone) = try node.renew(s, claims, lease: lease)
                if !gone.isEmpty { lock.withLock { for c in gone where held[c.dropID]?.token == c.token { lost.insert(c.dropID) } } }
            } catch NodeFailure.replaced {
                return
            } catch {
                // A lost connection or a deadlock with a commit: tried again at the next beat.
                _ = try? s.execute("SELECT 1")
            }
        }
    }

    /// The drops this node holds now, by drop id.
    public var claims: [String: DropClaim] { lock.withLock { held } }

    /// Records the claim of a drop just renamed into this node's work folder (or adopted where it lies).
    /// Nil when another node already holds it.
    public func claim(dropID: String, channel: String, name: String, workPath: String) throws -> DropClaim? {
        do {
            let c = try node.claim(control, dropID: dropID, channel: channel, name: name, workPath: workPath, lease: lease)
            lock.withLock { held[dropID] = c }
            return c
        } catch NodeFailure.alreadyClaimed {
            return nil
        }
    }

    private var lastTakeover = Date.distantPast

    /// Whether a third of the lease has passed since the last look for expired claims (and notes this one).
    public func takeoverDue() -> Bool {
        lock.withLock {
            guard Date().timeIntervalSince(lastTakeover) >= lease / 3 else { return false }
            lastTakeover = Date()
            return true
        }
    }

    /// Takes over claims whose lease ran out (their node died or paused past its lease), oldest first.
    public func takeOverExpired(limit: Int) throws -> [DropClaim] {
        let own = lock.withLock { Array(held.keys) }
        let taken = try node.takeOverExpired(control, limit: limit, lease: lease, sparing: own)
        lock.withLock { for c in taken { held[c.dropID] = c; lost.remove(c.dropID) } }
        return taken
    }

    /// Lets go of the claims found lost (taken over by another node) and returns them.
    public func forgetLost() -> [DropClaim] {
        lock.withLock {
            let gone = lost.compactMap { held.removeValue(forKey: $0) }
            lost.removeAll()
            return gone
        }
    }

    /// Every node, for adoption of the files of dead ones.
    public func nodes() throws -> [NodeStatus] { try PostgresNode.list(control, staleAfter: lease) }

    /// The first statements of every write transaction of the node: the nodes' writes take turns (one
    /// advisory lock, so a transaction storing or looking up correlation keys sees what another node
    /// committed before it, as one node's single writer does), and the node's claims are checked and
    /// locked until the commit (the fencing). A node paused inside its transaction keeps the lock and
    /// its claims until it goes on (or its connection is dropped): no takeover can race its commit.
    /// (`idle_in_transaction_session_timeout` would free the others sooner, but postgres-nio was seen
    /// to never answer the next statement on a connection the server ended while the process was stopped.)
    public func begin(_ s: PostgresSession) throws {
        try s.execute("SELECT pg_advisory_xact_lock(hashtextextended('postroom node writes', 0))")
        let claims = lock.withLock { Array(held.values) }
        guard !claims.isEmpty else { return }
        let tokens = claims.map(\.token)
        // Every claim still this node's with its token, locked in `drop_id` order (as the heartbeat locks them).
        let rows = try s.query("""
            SELECT drop_id, lease_until > clock_timestamp() FROM drop_claim
            WHERE node = \(node.name) AND token = ANY(\(tokens))
            ORDER BY drop_id FOR UPDATE
            """)
        var kept: Set<String> = []
        var lapsed: [String] = []
        for row in rows {
            let (id, live) = try row.decode((String, Bool).self)
            if live { kept.insert(id) } else { lapsed.append(id) }
        }
        if !lapsed.isEmpty { kept.formUnion(try renew(lapsed: lapsed, tokens: tokens, s)) }
        let gone = claims.filter { !kept.contains($0.dropID) }
        guard let first = gone.first else { return }
        lock.withLock { for c in gone { lost.insert(c.dropID) } }
        throw try node.lost(s, first)
    }

    /// Claims whose lease lapsed but that nobody took (the heartbeat fell behind a long commit or a busy
    /// machine; their rows are locked by `begin`, so no takeover can start now): still this node's while
    /// this process is its current registration, renewed in the transaction. A process replaced under
    /// its name keeps none of them.
    private func renew(lapsed: [String], tokens: [Int64], _ s: PostgresSession) throws -> [String] {
        let rows = try s.query("""
            UPDATE drop_claim SET lease_until = clock_timestamp() + make_interval(secs => \(lease))
            WHERE drop_id = ANY(\(lapsed)) AND node = \(node.name) AND token = ANY(\(tokens))
                AND EXISTS (SELECT 1 FROM node WHERE name = \(node.name) AND incarnation = \(node.incarnation) AND stopped_at IS NULL)
            RETURNING drop_id
            """)
        return try rows.map { try $0.decode(String.self) }
    }

    public func end(_ s: PostgresSession) throws -> [String] {
        let tokens = lock.withLock { held.values.map(\.token) }
        guard !tokens.isEmpty else { return [] }
        let rows = try s.query("""
            DELETE FROM drop_claim c USING drop_file d
            WHERE c.node = \(node.name) AND c.token = ANY(\(tokens)) AND d.id = c.drop_id AND d.state = 'done'
            RETURNING c.drop_id
            """)
        return try rows.map { try $0.decode(String.self) }
    }

    public func committed(finished: [String]) {
        guard !finished.isEmpty else { return }
        lock.withLock { for id in finished { held.removeValue(forKey: id) } }
    }

    /// A clean stop: the heartbeat ends, the node is marked stopped and its unfinished claims released.
    public func leave() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        if heartbeatStarted { heartbeatDone.wait() }
        try? node.stop(control)
        control.close()
    }
}
