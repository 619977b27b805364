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
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw PostgresFailure.statement(error)
        }
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
