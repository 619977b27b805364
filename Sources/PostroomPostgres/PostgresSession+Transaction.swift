#if canImport(Glibc)
import Glibc
#endif
import PostgresNIO

/// Transactions. Postroom's PostgreSQL transactions run at READ COMMITTED and take row locks
/// (`SELECT … FOR UPDATE`, `FOR UPDATE SKIP LOCKED` for work queues) or transaction-scoped advisory locks
/// on the keys they correlate by; a deadlock (40P01) or serialization failure (40001) rolls back and
/// runs the whole body again, a bounded number of times (docs/POSTGRES.md).
extension PostgresSession {
    public enum Isolation: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws. A
    /// retryable failure (deadlock, serialization) runs it again, up to `attempts` times in all, so the
    /// body must do nothing outside the database that it cannot do twice.
    public func transaction<T>(_ isolation: Isolation = .readCommitted, attempts: Int = 5,
                               _ body: (PostgresSession) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try transactionOnce(isolation, body)
            } catch let failure as PostgresFailure where failure.isRetryable && attempt < attempts {
                Self.pauseBeforeRetry(attempt)
                attempt += 1
            }
        }
    }

    /// A short random pause before a re-run (up to 5 ms times the attempts so far): a deadlock victim
    /// that re-runs at once can lock its first row again before the survivor, woken by the rollback,
    /// takes it, and so meet the survivor in the same deadlock again.
    static func pauseBeforeRetry(_ attempt: Int) {
        let microseconds = UInt32.random(in: 500...UInt32(5_000 * attempt))
        usleep(microseconds)
    }

    private func transactionOnce<T>(_ isolation: Isolation, _ body: (PostgresSession) throws -> T) throws -> T {
        send("BEGIN ISOLATION LEVEL \(isolation.rawValue)")  // answered before the body's first statement is
        do {
            let value = try body(self)
            try execute("COMMIT")
            return value
        } catch {
            discardSent()
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// Inside a transaction: waits for, then holds until commit or rollback, an advisory lock on each
    /// key, taken in sorted order so that two transactions locking overlapping keys cannot deadlock.
    /// Two transactions that correlate on a key (an order and its result arriving on two nodes at once)
    /// so run one after the other, and the second sees what the first committed.
    public func lockKeys(_ keys: some Sequence<String>) throws(PostgresFailure) {
        for key in Set(keys).sorted() {
            try query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))")
        }
    }
}
