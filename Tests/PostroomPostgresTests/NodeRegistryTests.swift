import Foundation
import PostroomPostgres
import PostroomPostgresTestSupport
import Testing

@Suite(.enabled(if: ThrowawayPostgres.isAvailable, postgresSkipReason))
struct NodeRegistryTests {
    @Test func aNodeRegistersBeatsAndIsListedWithItsHeartbeat() throws {
        let (_, s) = try migratedDatabase("nodes")
        let a = try PostgresNode.register(s, name: "node-a", staleAfter: 30, version: "1.0", host: "host-a", pid: 101)
        let b = try PostgresNode.register(s, name: "node-b", staleAfter: 30, version: "1.0", host: "host-b", pid: 202)
        #expect(a.incarnation == 1 && b.incarnation == 1)
        let before = try PostgresNode.list(s, staleAfter: 30)
        #expect(before.map(\.name) == ["node-a", "node-b"] && before.allSatisfy { $0.alive && $0.claims == 0 })
        #expect(before[1].host == "host-b" && before[1].pid == 202 && before[1].version == "1.0")
        Thread.sleep(forTimeInterval: 0.05)
        try a.heartbeat(s)
        let after = try PostgresNode.list(s, staleAfter: 30)
        #expect(after[0].heartbeatAt > before[0].heartbeatAt && after[1].heartbeatAt == before[1].heartbeatAt)
        #expect(after[0].secondsSinceHeartbeat < after[1].secondsSinceHeartbeat)
        // Heard from too long ago: not alive (the limit is the caller's).
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try PostgresNode.list(s, staleAfter: 0.2).allSatisfy { !$0.alive })
        try b.stop(s)
        let stopped = try PostgresNode.list(s, staleAfter: 30)
        #expect(stopped[1].stoppedAt != nil && !stopped[1].alive && stopped[0].alive)
        #expect(throws: NodeFailure.replaced(name: "node-b", incarnation: 1)) { try b.heartbeat(s) }
    }

    @Test func aLiveNodesNameIsRefusedAndADeadOnesIsTakenWithTheNextIncarnation() throws {
        let (_, s) = try migratedDatabase("names")
        let first = try PostgresNode.register(s, name: "hub-1", staleAfter: 30, host: "h", pid: 1)
        do {
            _ = try PostgresNode.register(s, name: "hub-1", staleAfter: 30, host: "h", pid: 2)
            Issue.record("two live processes got one node name")
        } catch let NodeFailure.nameInUse(name, host, pid, _) {
            #expect(name == "hub-1" && host == "h" && pid == 1)
        }
        // The first process hangs (no heartbeat); past the stale limit a new process takes the name, and
        // the old one learns at its next heartbeat that it was replaced.
        Thread.sleep(forTimeInterval: 0.3)
        let second = try PostgresNode.register(s, name: "hub-1", staleAfter: 0.2, host: "h", pid: 2)
        #expect(second.incarnation == 2)
        #expect(throws: NodeFailure.replaced(name: "hub-1", incarnation: 1)) { try first.heartbeat(s) }
        try second.heartbeat(s)
        #expect(throws: NodeFailure.badName("no spaces")) { try PostgresNode.register(s, name: "no spaces", staleAfter: 1) }
    }
}
