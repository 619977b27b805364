import Foundation
import PostroomConfig
import PostroomPostgres
import PostroomPostgresTestSupport
import PostroomStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Several `postroom` processes (`--node NAME`) on one inbox with one PostgreSQL database (issue 15):
/// every drop is claimed by one node, a node killed with SIGKILL or paused past its lease leaves its
/// drops to the others, and afterwards every drop is in exactly one place, applied, answered and
/// archived exactly once, with every link made and every Task's full history.
@Suite(.serialized) struct MultiNodeTests {
    static let enabled = ThrowawayPostgres.isAvailable

    /// A workspace on a new database of the throwaway server: one hl7v2 inbox `lab` taking orders and
    /// results, small groups (many commits), and `pairs` order/result pairs plus `rejects` rejected
    /// drops written in a shuffled order, so the two halves of a pair land apart (and often on two nodes).
    static func workspace(pairs: Int, rejects: Int, seed: UInt64 = 15) throws -> (Workspace, [String: [UInt8]]) {
        let ws = try Workspace()
        let (entry, _) = try EndToEndStore.newDatabase()
        try """
            { "store": \(entry), "data": "data", "groupSize": 8,
              "channels": [ { "name": "lab", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        var files: [(String, [UInt8])] = []
        for n in 0..<pairs {
            files.append((String(format: "order-%05d.hl7", n), Loads.order(n)))
            files.append((String(format: "result-%05d.hl7", n), Loads.result(n)))
        }
        for n in 0..<rejects { files.append((String(format: "bad-%05d.hl7", n), Loads.reject(n))) }
        var rng = SeededRandom(seed)
        files.shuffle(using: &rng)
        for (name, bytes) in files { try ws.drop(bytes, as: name, channel: "lab") }
        return (ws, Dictionary(uniqueKeysWithValues: files))
    }

    /// Starts `postroom` in the background (output to files in the workspace).
    static func start(_ ws: Workspace, _ args: [String], log: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: postroomBinary)
        p.arguments = args + ["--config", ws.config]
        p.currentDirectoryURL = URL(fileURLWithPath: ws.root)
        FileManager.default.createFile(atPath: ws.root + "/" + log, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: ws.root + "/" + log))
        p.standardOutput = out
        p.standardError = out
        try p.run()
        return p
    }

    /// A node's log without the routine notes of renames another node won.
    static func log(_ ws: Workspace, _ name: String) -> String {
        let text = (try? String(contentsOfFile: ws.root + "/" + name, encoding: .utf8)) ?? ""
        return String(text.split(separator: "\n").filter { !$0.contains("\"claim failed\"") }.joined(separator: "\n").suffix(3000))
    }

    /// Drops recorded, drops done, and claims still in flight, read from the database.
    static func progress(_ ws: Workspace) throws -> (recorded: Int, done: Int, claims: Int) {
        guard case .postgres(let location) = try PipelineConfig.load(path: ws.config).store else { return (0, 0, 0) }
        let s = try PostgresSession(location)
        defer { s.close() }
        let recorded = try #require(try s.execute("SELECT count(*) FROM drop_file").rows.first).decode(Int.self)
        let done = try #require(try s.execute("SELECT count(*) FROM drop_file WHERE state = 'done'").rows.first).decode(Int.self)
        let claims = try #require(try s.execute("SELECT count(*) FROM drop_claim").rows.first).decode(Int.self)
        return (recorded, done, claims)
    }

    /// The node whose work folder a drop was taken into.
    static func node(of workPath: String) -> String? {
        guard let r = workPath.range(of: "/nodes/") else { return nil }
        return workPath[r.upperBound...].split(separator: "/").first.map(String.init)
    }

    /// Every drop in exactly one place, applied once, answered once; every link and Task history.
    static func checkInvariants(_ ws: Workspace, originals: [String: [UInt8]], pairs: Int, context: String) throws {
        #expect(ws.files(in: "inbox/lab").isEmpty, "\(context): inbox")
        for n in ws.files(in: "nodes") {
            #expect(ws.files(in: "nodes/\(n)/work/lab").isEmpty, "\(context): work folder of \(n): \(ws.files(in: "nodes/\(n)/work/lab").prefix(5))")
        }
        var places = try ws.archivedPlaces(of: originals, context: context)
        for f in ws.files(in: "error/lab") where !f.hasSuffix(".error.json") {
            #expect(ws.files(in: "error/lab").contains(f + ".error.json"), "\(context): sidecar of \(f)")
            let original = f.split(separator: ".").prefix(2).joined(separator: ".")
            #expect(originals[original] == ws.read("error/lab/\(f)"), "\(context): error bytes of \(f)")
            places[original, default: 0] += 1
        }
        let misplaced = originals.keys.filter { places[$0] != 1 }.sorted()
        #expect(misplaced.isEmpty, "\(context): \(misplaced.count) files not in exactly one place: \(misplaced.prefix(5).map { "\($0) ×\(places[$0] ?? 0)" })")
        let store = try ws.store()
        let drops = try store.read { try $0.drops(limit: 100_000) }
        #expect(drops.count == originals.count, "\(context): \(drops.count) drops for \(originals.count) files")
        #expect(drops.allSatisfy { $0.state == .done }, "\(context): \(drops.filter { $0.state != .done }.count) unfinished drops")
        let acks = ws.files(in: "outbox/lab")
        #expect(!acks.contains { $0.hasPrefix(".") }, "\(context): temp files left in the outbox")
        #expect(acks.count == originals.count, "\(context): \(acks.count) acknowledgements for \(originals.count) drops")
        var acksPerDrop: [String: Int] = [:]
        for a in acks {
            for part in a.split(separator: ".") where part.count == 26 { acksPerDrop[String(part), default: 0] += 1 }
        }
        for d in drops {
            #expect(acksPerDrop[d.id] == 1, "\(context): \(acksPerDrop[d.id] ?? 0) acknowledgements of \(d.name)")
            #expect(d.outcome == (d.name.hasPrefix("bad") ? .rejected : .accepted), "\(context): outcome of \(d.name)")
        }
        let (requests, reports, tasks) = try store.read { r in (try r.requests(openOnly: false, limit: 100_000), try r.reports(), try r.tasks(limit: 100_000)) }
        #expect(requests.count == pairs, "\(context): \(requests.count) requests")
        #expect(reports.count == pairs && reports.allSatisfy { $0.state == .linked },
                "\(context): \(reports.count) reports, \(reports.filter { $0.state != .linked }.count) not linked")
        #expect(tasks.count == pairs && tasks.allSatisfy { $0.status == .completed }, "\(context): \(tasks.count) tasks")
        var badHistories = 0
        for t in tasks where try store.read({ try $0.taskHistory(taskID: t.id) }).map(\.to) != ["requested", "accepted", "in-progress", "completed"] {
            badHistories += 1
        }
        #expect(badHistories == 0, "\(context): \(badHistories) Tasks without their full history")
    }

    /// How many pairs had their order and result taken by two different nodes.
    static func splitPairs(_ ws: Workspace) throws -> (split: Int, nodes: Set<String>) {
        let drops = try ws.store().read { try $0.drops(limit: 100_000) }
        var byName: [String: String] = [:]
        for d in drops { byName[d.name] = node(of: d.workPath) ?? "?" }
        var split = 0
        for (name, node) in byName where name.hasPrefix("order-") {
            if let other = byName["result-" + name.dropFirst("order-".count)], other != node { split += 1 }
        }
        return (split, Set(byName.values))
    }

    @Test func nodeNeedsPostgres() throws {
        let ws = try Workspace()
        try #"{ "data": "data", "channels": [ { "name": "lab", "formats": ["hl7v2"], "role": "placer" } ] }"#
            .write(toFile: ws.config, atomically: true, encoding: .utf8)
        if EndToEndStore.postgres {
            // The suite's own store would be put back; this test is about SQLite.
            try String(contentsOfFile: ws.config, encoding: .utf8).replacingOccurrences(of: "{ \"data\"", with: "{ \"store\": { \"kind\": \"sqlite\" }, \"data\"")
                .write(toFile: ws.config, atomically: true, encoding: .utf8)
        }
        try ws.drop(Loads.order(1), as: "order.hl7", channel: "lab")
        let r = try ws.postroom(["run", "--once", "--node", "a", "--config", ws.config])
        #expect(r.code == 78, "exit \(r.code): \(r.stderr)")
        #expect(r.stderr.contains("--node needs"), "\(r.stderr)")
        #expect(ws.files(in: "inbox/lab") == ["order.hl7"], "nothing was taken")
    }

    @Test(.enabled(if: enabled, "needs a throwaway PostgreSQL server: \(ThrowawayPostgres.unavailable ?? "")"))
    func twoNodesShareOneInbox() throws {
        let pairs = 100
        let (ws, originals) = try Self.workspace(pairs: pairs, rejects: 10)
        let a = try Self.start(ws, ["run", "--once", "--node", "a", "--quiet"], log: "a.log")
        let b = try Self.start(ws, ["run", "--once", "--node", "b", "--quiet"], log: "b.log")
        a.waitUntilExit()
        b.waitUntilExit()
        // 65: the rejected drops.
        #expect(a.terminationStatus == 65 || a.terminationStatus == 0, "a: exit \(a.terminationStatus) \(Self.log(ws, "a.log"))")
        #expect(b.terminationStatus == 65 || b.terminationStatus == 0, "b: exit \(b.terminationStatus) \(Self.log(ws, "b.log"))")
        try Self.checkInvariants(ws, originals: originals, pairs: pairs, context: "two nodes")
        let (split, nodes) = try Self.splitPairs(ws)
        #expect(nodes == ["a", "b"], "both nodes took drops: \(nodes)")
        #expect(split > 0, "pairs split between the nodes: \(split)")
        #expect(try Self.progress(ws).claims == 0, "no claim left")
        // `status` names the nodes, stopped, with no claims.
        let status = try ws.postroom(["status", "--config", ws.config])
        #expect(status.code == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Nodes") && status.stdout.contains("  a  stopped") && status.stdout.contains("  b  stopped"), "\(status.stdout)")
        #expect(status.stdout.contains("In-flight claims: 0"), "\(status.stdout)")
        // A second run under a name is a new incarnation of the same node.
        let again = try ws.postroom(["run", "--once", "--node", "a", "--config", ws.config])
        #expect(again.code == 0, "\(again.stderr)")
    }

    /// A node killed at each step of placing its archive part (closed, placed, recorded as done but its
    /// work files not yet removed) and never started again: another node finishes its drops, and the
    /// dead node's work folder (`work/lab`) is left empty. The `archive-recorded` case is the one that
    /// left copies of done drops there before they were removed; the other two guard the takeover.
    @Test(.enabled(if: enabled, "needs a throwaway PostgreSQL server: \(ThrowawayPostgres.unavailable ?? "")"),
          arguments: ["archive-closed", "archive-placed", "archive-recorded"])
    func aNodeKilledWhilePlacingItsArchiveIsFinishedByAnother(_ point: String) throws {
        let pairs = 12, lease = 1.0
        let (ws, originals) = try Self.workspace(pairs: pairs, rejects: 2)
        let node = { (name: String) in ["run", "--once", "--node", name, "--lease", "\(lease)", "--quiet", "--config", ws.config] }
        let crashed = try ws.postroom(node("a"), environment: ["POSTROOM_CRASH_AT": "\(point):1"])
        #expect(crashed.code == 137, "\(point): exit \(crashed.code) \(crashed.stderr)")
        #expect(ws.files(in: "nodes/a/work/lab").count == 2 * pairs, "\(point): a died with its accepted drops in its work folder")
        // a is silent past the lease: b takes its claims over (or finds its drops done).
        Thread.sleep(forTimeInterval: lease * 2)
        let again = try ws.postroom(node("b"))
        #expect([0, 65].contains(again.code), "\(point): b exit \(again.code) \(again.stderr)")
        if point == "archive-recorded" {
            #expect(again.stderr.contains("removed copies of finished drops from a silent node's work folder"), "\(again.stderr.suffix(2000))")
        }
        try Self.checkInvariants(ws, originals: originals, pairs: pairs, context: point)
        #expect(try Self.progress(ws).claims == 0, "\(point): no claim left")
    }

    /// A node killed after placing an archive part and before marking its drops archived, whose
    /// drops another node takes over in the middle of a long run (not at the start of a run): the
    /// placed part is adopted from its manifest, and no original is archived a second time.
    @Test(.enabled(if: enabled, "needs a throwaway PostgreSQL server: \(ThrowawayPostgres.unavailable ?? "")"))
    func aPlacedPartOfANodeTakenOverDuringARunIsAdopted() throws {
        // A lease of 5 s: b starts well within it (a's drops are still a's at b's first poll, however
        // slowly b starts), and b's run of ~2,000 drops outlasts it many times over.
        let pairs = 1_000, lease = 5.0
        let (ws, originals) = try Self.workspace(pairs: pairs, rejects: 0)
        let node = { (name: String) in ["run", "--once", "--node", name, "--lease", "\(lease)", "--quiet", "--config", ws.config] }
        let crashed = try ws.postroom(node("a"), environment: ["POSTROOM_CRASH_AT": "archive-placed:1"])
        #expect(crashed.code == 137, "exit \(crashed.code) \(crashed.stderr)")
        #expect(!ws.files(in: "nodes/a/work/lab").isEmpty, "a died with its drops not done")
        // Started within a's lease: its drops are still a's when b starts, and are taken over mid-run.
        let b = try Self.runTakingOverMidRun(ws, node("b"), lease: lease)
        #expect(b.stderr.contains("adopted the archive of an interrupted run"), "\(b.stderr.suffix(2000))")
        try Self.checkInvariants(ws, originals: originals, pairs: pairs, context: "taken over during a run")
        #expect(try Self.progress(ws).claims == 0, "no claim left")
    }

    /// Runs a node started within a dead node's lease, whose run outlasts that lease: it takes the dead
    /// node's drops over between its own groups, not in the recovery its run starts with.
    static func runTakingOverMidRun(_ ws: Workspace, _ args: [String], lease: Double) throws -> (code: Int32, stdout: String, stderr: String) {
        let started = Date()
        let b = try ws.postroom(args)
        #expect([0, 65].contains(b.code), "exit \(b.code) \(b.stderr.suffix(2000))")
        #expect(Date().timeIntervalSince(started) > lease * 1.5, "the run outlasted the dead node's lease")
        #expect(b.stderr.contains("took over drops of another node"), "\(b.stderr.suffix(2000))")
        #expect(!b.stderr.contains("recovering unfinished work"), "taken over between groups, not by the recovery a run starts with")
        return b
    }

    /// A node killed after committing a group of brokered Tasks and before writing the Tasks it routes to
    /// another channel (Option H): the node that takes its drops over between groups of its own long run
    /// answers them and writes what they route, each file once.
    @Test(.enabled(if: enabled, "needs a throwaway PostgreSQL server: \(ThrowawayPostgres.unavailable ?? "")"))
    func theRoutedFilesOfDropsTakenOverDuringARunAreWritten() throws {
        let lease = 5.0, tasks = 8, orders = 1_500
        let ws = try Workspace()
        let (entry, _) = try EndToEndStore.newDatabase()
        try """
            { "store": \(entry), "data": "data", "groupSize": 8,
              "channels": [
                { "name": "broker", "formats": ["fhir"], "role": "broker", "completion": { "mode": "rename" }, "taskStateMachine": "nhs",
                  "routes": { "RX1": "lab-rx1", "A83008": "gp" } },
                { "name": "lab-rx1", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } },
                { "name": "gp", "formats": ["fhir"], "role": "placer", "completion": { "mode": "rename" } },
                { "name": "lab", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        for k in 0..<tasks {
            let id = String(format: "33333333-3333-4333-8333-%012d", k)
            try ws.drop(WorkflowOptionsTests.task(id: id, status: "requested", owner: "RX1"), as: "task-\(k).json", channel: "broker")
        }
        for n in 0..<orders { try ws.drop(Loads.order(n), as: String(format: "order-%05d.hl7", n), channel: "lab") }
        let node = { (name: String) in ["run", "--once", "--node", name, "--lease", "\(lease)", "--quiet", "--config", ws.config] }
        // a commits its first group (the broker's Tasks, first in the configuration) and dies before placing it.
        let crashed = try ws.postroom(node("a"), environment: ["POSTROOM_CRASH_AT": "processed:1"])
        #expect(crashed.code == 137, "exit \(crashed.code) \(crashed.stderr)")
        #expect(ws.files(in: "outbox/lab-rx1").isEmpty && ws.files(in: "outbox/broker").isEmpty, "a died before placing anything")
        _ = try Self.runTakingOverMidRun(ws, node("b"), lease: lease)
        let routed = ws.files(in: "outbox/lab-rx1")
        #expect(routed.count == tasks && routed.allSatisfy { $0.hasPrefix("Task-") }, "\(routed)")
        #expect(ws.files(in: "outbox/broker").count == tasks, "\(ws.files(in: "outbox/broker"))")
        #expect(ws.files(in: "outbox/lab").count == orders)
        #expect(ws.files(in: "inbox/broker").isEmpty && ws.files(in: "inbox/lab").isEmpty)
        #expect(try Self.progress(ws) == (recorded: tasks + orders, done: tasks + orders, claims: 0))
    }

    /// The issue's test: three nodes on 3,000 mixed drops; one is killed with SIGKILL mid-run and
    /// another paused (SIGSTOP) past its lease, then let go on (SIGCONT).
    @Test(.enabled(if: enabled, "needs a throwaway PostgreSQL server: \(ThrowawayPostgres.unavailable ?? "")"))
    func threeNodesOneKilledOnePausedPastItsLease() throws {
        let pairs = 1_400
        let (ws, originals) = try Self.workspace(pairs: pairs, rejects: 200)
        #expect(originals.count == 3_000)
        let lease = 3.0
        let args = { (name: String) in ["watch", "--node", name, "--interval", "0.2", "--lease", "\(lease)", "--quiet"] }
        let a = try Self.start(ws, args("a"), log: "a.log")
        let b = try Self.start(ws, args("b"), log: "b.log")
        let c = try Self.start(ws, args("c"), log: "c.log")
        defer { for p in [a, b, c] where p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        // Mid-run: a sixth of the drops taken (the nodes make the tables: until then there is nothing to count).
        let started = Date()
        while ((try? Self.progress(ws))?.recorded ?? 0) < 500, Date().timeIntervalSince(started) < 300 { Thread.sleep(forTimeInterval: 0.05) }
        let before = try Self.progress(ws)
        #expect(before.done < originals.count && !ws.files(in: "inbox/lab").isEmpty, "still running when the node is killed: \(before)")
        let killedClaims = try Self.claims(ws, node: "a")
        kill(a.processIdentifier, SIGKILL)
        a.waitUntilExit()
        // Paused past its lease until the others take its drops over and it is refused a commit (a
        // node paused while it holds the nodes' write lock keeps its drops, and one paused between its
        // groups holds none: then it is let go on and paused again).
        var pausedClaims = 0, pauses = 0, fenced = false, tries = 0
        while !fenced && pauses < 12 && tries < 200 {
            tries += 1
            kill(b.processIdentifier, SIGSTOP)
            Thread.sleep(forTimeInterval: 0.5)
            if try Self.writeLockHeldByAPausedSession(ws) {
                // b is stopped holding (or was just granted) the nodes' write lock: let it go on, try again.
                kill(b.processIdentifier, SIGCONT)
                Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.3))
                continue
            }
            // b is stopped between its groups, holding no drops: nothing of its can be taken over.
            let held = try Self.claims(ws, node: "b")
            if held == 0 {
                kill(b.processIdentifier, SIGCONT)
                Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.3))
                continue
            }
            pauses += 1
            pausedClaims = max(pausedClaims, held)
            Thread.sleep(forTimeInterval: lease * 2.5)
            kill(b.processIdentifier, SIGCONT)
            for _ in 0..<50 where !fenced {
                Thread.sleep(forTimeInterval: 0.1)
                fenced = Self.log(ws, "b.log").contains("drops taken over by other nodes")
            }
            if try Self.progress(ws).recorded == originals.count && ws.files(in: "inbox/lab").isEmpty { break }
        }
        #expect(fenced, "b lost drops to a takeover while paused and was refused their commit (\(pauses) pauses)")
        print("three nodes: a killed and b paused at \(before) after \(Int(Date().timeIntervalSince(started))) s")
        // Until every drop is done and no claim is left.
        while Date().timeIntervalSince(started) < 600 {
            let p = try Self.progress(ws)
            // a's work folder too: a node that polls after a fell silent removes copies of a's done drops.
            if p.done == originals.count && p.claims == 0 && ws.files(in: "inbox/lab").isEmpty && ws.files(in: "nodes/a/work/lab").isEmpty { break }
            Thread.sleep(forTimeInterval: 0.25)
        }
        for p in [b, c] { kill(p.processIdentifier, SIGTERM) }
        b.waitUntilExit()
        c.waitUntilExit()
        #expect(b.terminationStatus == 0, "b: exit \(b.terminationStatus) \(Self.log(ws, "b.log"))")
        #expect(c.terminationStatus == 0, "c: exit \(c.terminationStatus) \(Self.log(ws, "c.log"))")
        try Self.checkInvariants(ws, originals: originals, pairs: pairs, context: "three nodes")
        let (split, nodes) = try Self.splitPairs(ws)
        #expect(nodes == ["a", "b", "c"], "every node took drops: \(nodes)")
        #expect(split > pairs / 3, "pairs split between nodes: \(split)")
        #expect(killedClaims > 0 && pausedClaims > 0, "a held \(killedClaims) drops when it was killed, b \(pausedClaims) when it was paused")
        let logs = ["b.log", "c.log"].map { Self.log(ws, $0) }.joined()
        #expect(logs.contains("took over drops of another node"), "a's drops were taken over")
        print("three nodes: \(split) of \(pairs) pairs split; a held \(killedClaims), b \(pausedClaims); \(Int(Date().timeIntervalSince(started))) s; "
              + "b paused \(pauses) times past its lease (\(tries) stops)")
        let status = try ws.postroom(["status", "--config", ws.config, "--json"])
        let nodesJSON = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])["nodes"] as? [String: Any]
        let list = try #require(nodesJSON?["nodes"] as? [[String: Any]])
        #expect(list.map { $0["name"] as? String } == ["a", "b", "c"])
        #expect(list.map { $0["stopped"] as? Bool } == [false, true, true], "a was killed, b and c stopped")
    }

    /// Whether a session has held the nodes' write lock (an advisory lock) idle for a while: its
    /// process is stopped inside a transaction (the others' transactions are busy or short).
    static func writeLockHeldByAPausedSession(_ ws: Workspace) throws -> Bool {
        guard case .postgres(let location) = try PipelineConfig.load(path: ws.config).store else { return false }
        let s = try PostgresSession(location)
        defer { s.close() }
        let n = try #require(try s.execute("""
            SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND a.state = 'idle in transaction'
                AND a.state_change < clock_timestamp() - interval '0.3 seconds'
            """).rows.first).decode(Int.self)
        return n > 0
    }

    static func claims(_ ws: Workspace, node: String) throws -> Int {
        guard case .postgres(let location) = try PipelineConfig.load(path: ws.config).store else { return 0 }
        let s = try PostgresSession(location)
        defer { s.close() }
        return try #require(try s.query("SELECT count(*) FROM drop_claim WHERE node = \(node)").rows.first).decode(Int.self)
    }
}

/// A small deterministic generator (SplitMix64) for shuffles that are the same on every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
