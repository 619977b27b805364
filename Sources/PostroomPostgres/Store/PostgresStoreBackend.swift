import Foundation
import PostroomConfig
import PostroomStore

/// The `Store` on PostgreSQL (one node): `Store(backend: PostgresStoreBackend(location))`.
///
/// Making it connects and migrates the schema (`PostgresSchema.migrate`). Each `write` or `read` takes an
/// idle session (a connection is opened when none is idle) and runs in one transaction on it: writes at
/// READ COMMITTED, one at a time as with the SQLite store's single writer (a deadlock or serialization
/// failure runs the body again); reads at REPEATABLE READ, so a read sees one snapshot as SQLite's does,
/// beside a write in progress. A session whose transaction failed is closed rather than reused.
public final class PostgresStoreBackend: StoreBackend, @unchecked Sendable {
    public let server: PostgresLocation
    public var location: String { server.description }
    private let lock = NSLock()
    private let writer = NSLock()
    private var idle: [PostgresSession] = []
    /// The node's fencing of every write (several nodes: `NodeMember`); nil for one node.
    public var fence: (any WriteFence)?

    public init(_ server: PostgresLocation) throws {
        self.server = server
        let session = try PostgresSession(server)
        try PostgresSchema.migrate(session)
        idle.append(session)
    }

    deinit { for s in idle { s.close() } }

    public func write<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        writer.lock()
        defer { writer.unlock() }
        guard let fence else { return try withSession { s in try s.transaction { s in try body(PostgresExecutor(s)) } } }
        var finished: [String] = []
        let result = try withSession { s in
            try s.transaction { s in
                try fence.begin(s)
                let result = try body(PostgresExecutor(s))
                finished = try fence.end(s)
                return result
            }
        }
        fence.committed(finished: finished)
        return result
    }

    public func read<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        try withSession { s in try s.transaction(.repeatableRead) { s in try body(PostgresExecutor(s)) } }
    }

    public func vacuum() throws {
        try withSession { s in _ = try s.execute("VACUUM") }
    }

    func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        lock.lock()
        let taken = idle.popLast()
        lock.unlock()
        let session = try taken ?? PostgresSession(server)
        let result: T
        do {
            result = try body(session)
        } catch {
            session.close()
            throw error
        }
        lock.lock()
        idle.append(session)
        lock.unlock()
        return result
    }
}

extension PostgresFailure: StoreBackendError {
    /// 74 when the database cannot be written (disk full, out of memory, read-only, cannot connect),
    /// 75 when it is busy (serialization, deadlock, lock timeout, too many connections); nil otherwise.
    public var storeExitCode: Int32? {
        if kind == .connect { return 74 }
        switch sqlState {
        case "53100", "53200", "25006", "58030": return 74
        case "40001", "40P01", "55P03", "53300", "57P03": return 75
        default: return nil
        }
    }
}
