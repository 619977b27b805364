import Foundation
import PostroomConfig
import PostroomPostgres
import PostroomPostgresTestSupport
import Testing

/// Why the PostgreSQL tests are skipped here, for their `.enabled(if:)` trait.
let postgresSkipReason: Comment = "needs a throwaway PostgreSQL server: \(ThrowawayPostgres.unavailable ?? "")"

/// A fresh database on the process's throwaway server, reached through its socket (or TCP with the password).
func freshDatabase(_ prefix: String = "t", tcp: Bool = false) throws -> PostgresLocation {
    let server = try ThrowawayPostgres.shared()
    let db = try server.createDatabase(prefix)
    return location(server, database: db, tcp: tcp)
}

func location(_ server: ThrowawayPostgres, database: String, tcp: Bool = false) -> PostgresLocation {
    tcp ? PostgresLocation(endpoint: .tcp(host: "127.0.0.1", port: server.port), user: server.user, database: database,
                           tls: .prefer, password: Secret(server.password), passwordSource: "test")
        : PostgresLocation(endpoint: .socket(directory: server.socketDirectory, port: server.port), user: server.user,
                           database: database)
}

/// A fresh, migrated database and a session on it.
func migratedDatabase(_ prefix: String = "t") throws -> (PostgresLocation, PostgresSession) {
    let loc = try freshDatabase(prefix)
    let s = try PostgresSession(loc)
    try PostgresSchema.migrate(s)
    return (loc, s)
}

/// Runs `body(i)` on `count` threads at once (each its own thread, not the cooperative pool, since
/// sessions block), released together; returns their results in index order.
func onThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
    let results = ResultBox<T>(count)
    let start = DispatchSemaphore(value: 0)
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        Thread.detachNewThread {
            start.wait()
            results.set(i, Result { try body(i) })
            group.leave()
        }
    }
    for _ in 0..<count { start.signal() }
    group.wait()
    return try results.all()
}

final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Result<T, any Error>?]
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ r: Result<T, any Error>) { lock.lock(); values[i] = r; lock.unlock() }
    func all() throws -> [T] { lock.lock(); defer { lock.unlock() }; return try values.map { try $0!.get() } }
}
