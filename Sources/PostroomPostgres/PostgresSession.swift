import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import PostroomConfig

/// One connection to PostgreSQL, used synchronously: every call blocks the calling thread on the
/// driver's future until the server answers, like the SQLite `Store`'s calls do.
///
/// Synchronous on purpose: the pipeline and the `Store` API are synchronous. Blocking on an
/// `EventLoopFuture` never touches Swift concurrency's cooperative pool (the I/O runs on the NIO event
/// loop threads), so it cannot starve it; the one rule is never to call a session from a NIO event
/// loop thread (NIO's `wait()` traps there). A session is used by one thread at a time; several
/// threads (or nodes) use several sessions.
public final class PostgresSession: @unchecked Sendable {
    public let location: PostgresLocation
    let connection: PostgresConnection
    let logger: Logger
    private var closed = false
    /// The named prepared statements of this connection (`PostgresSession+Prepared`).
    var statements = PreparedStatements()
    /// Runs the tasks of prepared statements on the connection's own event loop.
    let taskExecutor: EventLoopTaskExecutor
    /// Statements sent without waiting for their answer (`send`), oldest first.
    private var pending: [EventLoopFuture<PostgresQueryResult>] = []

    /// Connects; a failure names the server and the user (never the password).
    public init(_ location: PostgresLocation, logger: Logger = PostgresSession.quietLogger,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(PostgresFailure) {
        self.location = location
        self.logger = logger
        do {
            let configuration = try PostgresSettings.connection(location)
            connection = try PostgresConnection.connect(on: eventLoopGroup.next(), configuration: configuration,
                                                        id: PostgresSettings.nextID(), logger: logger).wait()
        } catch {
            throw PostgresFailure.cannotConnect(location: location, error)
        }
        taskExecutor = EventLoopTaskExecutor(connection.eventLoop)
    }

    deinit { close() }

    /// A logger that lets through only the driver's errors.
    public static var quietLogger: Logger {
        var l = Logger(label: "postroom.postgres")
        l.logLevel = .error
        return l
    }

    /// Runs one statement and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) throws(PostgresFailure) -> PostgresQueryResult {
        let answer = connection.query(query, logger: logger)
        try settle()
        do {
            return try answer.wait()
        } catch {
            throw PostgresFailure.statement(error)
        }
    }

    /// Sends one statement of fixed SQL without waiting for its answer: for `BEGIN`, `SAVEPOINT` and
    /// `RELEASE SAVEPOINT`, which fail only where the statement after them fails too. The connection
    /// runs statements in the order sent, so the next statement waited for (`query`, a prepared
    /// statement, `COMMIT`) finds them answered, and throws their failure first if one failed. It
    /// saves the calling thread one wait for the event loop per statement sent so.
    public func send(_ sql: String) {
        pending.append(connection.query(PostgresQuery(unsafeSQL: sql), logger: logger))
    }

    /// Waits for the statements sent (answered already once a later statement is); throws the first failure.
    func settle() throws(PostgresFailure) {
        guard !pending.isEmpty else { return }
        let sent = pending
        pending.removeAll(keepingCapacity: true)
        for answer in sent {
            do { _ = try answer.wait() } catch { throw PostgresFailure.statement(error) }
        }
    }

    /// Forgets the statements sent after waiting for them (a transaction being rolled back).
    func discardSent() {
        let sent = pending
        pending.removeAll(keepingCapacity: true)
        for answer in sent { _ = try? answer.wait() }
    }

    /// Runs one statement of fixed SQL (no parameters); for DDL and transaction control.
    @discardableResult
    public func execute(_ sql: String) throws(PostgresFailure) -> PostgresQueryResult {
        try query(PostgresQuery(unsafeSQL: sql))
    }

    /// Closes the connection; later calls fail.
    public func close() {
        guard !closed else { return }
        closed = true
        try? connection.close().wait()
    }
}
