import Foundation
import PostgresNIO
import PostroomPostgres
import PostroomPostgresTestSupport
import Testing

/// The rule phase 2's correlation follows (docs/POSTGRES.md): a transaction that stores or looks up by
/// correlation keys first locks them. An order and its result committed on two nodes at the same moment
/// then run one after the other, and the second sees the first: the result links instead of being held
/// forever because each transaction missed the other.
@Suite(.enabled(if: ThrowawayPostgres.isAvailable, postgresSkipReason))
struct CorrelationLockTests {
    @Test func anOrderAndItsResultOnTwoNodesAtOnceStillLink() throws {
        let (loc, setup) = try migratedDatabase("link")
        let key = "PLAC|urn:oid:1.2.3|ORD-\(UUID().uuidString.prefix(6))"
        let orderInserted = DispatchSemaphore(value: 0)
        let outcome = try onThreads(2) { i -> String in
            let s = try PostgresSession(loc)
            defer { s.close() }
            if i == 0 {
                // The order's node: finds no held result, stores the order's key, and is slow to commit.
                return try s.transaction { s in
                    try s.lockKeys([key])
                    let held = try s.query("SELECT report_id FROM held_key WHERE key = \(key)")
                    try s.query("INSERT INTO request_key (key, request_id) VALUES (\(key), 'req-1')")
                    orderInserted.signal()
                    Thread.sleep(forTimeInterval: 0.4)
                    return held.isEmpty ? "stored" : "linked"
                }
            }
            // The result's node, starting while the order's transaction is still open.
            orderInserted.wait()
            let started = Date()
            return try s.transaction { s in
                try s.lockKeys([key, "PID|9434765919"])
                let waited = Date().timeIntervalSince(started)
                if let row = try s.query("SELECT request_id FROM request_key WHERE key = \(key)").first {
                    try s.query("""
                        INSERT INTO link (report_id, request_id, via_key, at, message_id)
                        VALUES ('rep-1', \(try row.decode(String.self)), \(key), '2026-01-01', 'm-2')
                        """)
                    return "linked after waiting \(waited >= 0.2 ? "for the order" : "not at all")"
                }
                try s.query("INSERT INTO held_key (key, report_id) VALUES (\(key), 'rep-1')")
                return "held"
            }
        }
        #expect(outcome == ["stored", "linked after waiting for the order"])
        #expect(try setup.execute("SELECT count(*) FROM link").first!.decode(Int.self) == 1)
        #expect(try setup.execute("SELECT count(*) FROM held_key").first!.decode(Int.self) == 0)
    }

    /// A deadlock between two transactions (each waiting for a row the other locked) is rolled back by
    /// the server in one of them; `transaction` runs that one again and both commit.
    @Test func aDeadlockedTransactionIsRunAgain() throws {
        let (loc, setup) = try migratedDatabase("deadlock")
        try setup.execute("INSERT INTO task (id, status, channel, created_at, updated_at) VALUES ('a', 'requested', 'c', 'x', 'x'), ('b', 'requested', 'c', 'x', 'x')")
        let bothLocked = DispatchGroup()
        bothLocked.enter()
        bothLocked.enter()
        let attempts = try onThreads(2) { i -> Int in
            let s = try PostgresSession(loc)
            defer { s.close() }
            var runs = 0
            let (first, second) = i == 0 ? ("a", "b") : ("b", "a")
            try s.transaction { s in
                runs += 1
                try s.query("SELECT status FROM task WHERE id = \(first) FOR UPDATE")
                if runs == 1 {
                    bothLocked.leave()
                    bothLocked.wait()
                }
                try s.query("UPDATE task SET status = 'accepted', updated_at = \(String(i)) WHERE id = \(second)")
                try s.query("INSERT INTO task_history (task_id, from_status, to_status, at, reason) VALUES (\(second), 'requested', 'accepted', 'x', \(String(i)))")
            }
            return runs
        }
        // At least one transaction was chosen as a deadlock victim and run again. A victim's re-run can
        // lock its first row again before the survivor, woken by the rollback, takes it, and so meet the
        // survivor in a second deadlock: more than one re-run is the server's choice, not a defect.
        #expect(attempts.reduce(0, +) >= 3 && attempts.allSatisfy { $0 >= 1 && $0 <= 5 },
                "one transaction was chosen as the deadlock victim and run again: \(attempts)")
        #expect(try setup.execute("SELECT count(*) FROM task_history").first!.decode(Int.self) == 2, "no transition was lost")
    }
}
