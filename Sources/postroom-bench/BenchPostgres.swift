import Foundation
import PostroomCore
import PostroomPostgresTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The PostgreSQL server of `postroom-bench --store postgres`: a throwaway server of its own with
/// PostgreSQL's durable defaults (fsync and synchronous commit on, as a real deployment keeps them),
/// a fresh database per measured run, reached on its Unix socket. The server's CPU is counted too, so
/// that the cost per message is Postroom's and the server's together.
struct BenchPostgres: Sendable {
    let server: ThrowawayPostgres

    /// Starts the server (initdb into a temporary folder; stopped and deleted when this process ends).
    static func start() throws(BenchError) -> BenchPostgres {
        if let reason = ThrowawayPostgres.unavailable {
            throw BenchError(.setup, "--store postgres needs PostgreSQL: \(reason)")
        }
        do {
            return BenchPostgres(server: try ThrowawayPostgres.startDurable())
        } catch {
            throw BenchError(.setup, "cannot start a PostgreSQL server for --store postgres", cause: "\(error)")
        }
    }

    /// A new, empty database for one run.
    func createDatabase(_ prefix: String) throws(BenchError) -> String {
        do { return try server.createDatabase(prefix) } catch {
            throw BenchError(.setup, "cannot create a database for \(prefix)", cause: "\(error)")
        }
    }

    /// The `store` entry of `pipeline.json` for a database (the socket needs no password).
    func storeEntry(database: String) -> JSONValue {
        .object(JSONObject([
            "kind": "postgres",
            "url": .string("postgres://\(server.user)@/\(database)?host=\(server.socketDirectory)&port=\(server.port)"),
        ]))
    }

    /// What the notes say about the server.
    var description: String {
        "PostgreSQL \(server.version), a throwaway server of the benchmark's own with durable defaults (fsync, synchronous_commit on), "
            + "on a Unix socket; each run a fresh database"
    }

    /// CPU seconds the server has used so far: the postmaster, its live processes, and those it has
    /// reaped (the sessions of finished runs), from `/proc`.
    func cpuSeconds() -> Double {
        guard let text = try? String(contentsOfFile: server.dataDirectory + "/postmaster.pid", encoding: .utf8),
              let first = text.split(separator: "\n").first, let postmaster = Int(first) else { return 0 }
        var ticks = Self.stat(postmaster).map { $0.own + $0.reaped } ?? 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int(name), pid != postmaster, let s = Self.stat(pid), s.parent == postmaster else { continue }
            ticks += s.own + s.reaped
        }
        return Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A process's parent and its CPU ticks (its own user + system, and its reaped children's), from `/proc/PID/stat`.
    static func stat(_ pid: Int) -> (parent: Int, own: Int, reaped: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let parent = Int(fields[1]), let utime = Int(fields[11]), let stime = Int(fields[12]),
              let cutime = Int(fields[13]), let cstime = Int(fields[14]) else { return nil }
        return (parent, utime + stime, cutime + cstime)
    }
}
