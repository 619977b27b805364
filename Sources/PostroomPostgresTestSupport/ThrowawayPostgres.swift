import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server for tests, started once per test process and shared by every test that
/// needs one: `initdb` into a new temporary folder, listening on a Unix socket in that folder and on
/// 127.0.0.1 at a free port, with tuning that only a throwaway server may have (no fsync; the
/// benchmark's `startDurable()` server keeps PostgreSQL's durable defaults). Each test
/// takes its own database (`createDatabase`). A watchdog started with it stops the server and deletes the
/// folder as soon as the test process is gone, however it ended.
///
/// initdb and the server refuse to run as root: under root they run as the `postgres` user Debian's
/// package creates (`nobody` when there is none), through `setpriv`, and the folder is given to it.
///
/// `ThrowawayPostgres.unavailable` says, cheaply and without starting anything, why there can be no
/// server (no PostgreSQL installed): tests use it with `.enabled(if:)` and say so. Once PostgreSQL is
/// there, a server that fails to start fails the tests, never skips them.
public final class ThrowawayPostgres: @unchecked Sendable {
    /// The temporary folder: the data directory, the socket, the log.
    public let folder: String
    /// The folder holding the socket `.s.PGSQL.<port>`.
    public var socketDirectory: String { folder }
    public let port: Int
    /// The superuser the tests connect as (trusted on the socket, by password over TCP).
    public let user = "postroom"
    /// Its password (over TCP loopback; the socket needs none).
    public let password: String
    /// The server's major version and how long initdb + start took.
    public let version: String
    public private(set) var startSeconds: Double = 0
    /// Whether the server keeps PostgreSQL's durable defaults (fsync, synchronous commit), as a real
    /// deployment does: the benchmark's server. The tests' shared server is not durable (faster tests).
    public let durable: Bool
    let bin: String
    let runAs: (uid: uid_t, gid: gid_t)?

    /// Why no server can be had here, or nil when PostgreSQL is installed (Debian's `postgresql`, which
    /// `make test` installs through `make deps`). Finding the programs starts nothing.
    public static let unavailable: String? = {
        guard binFolder() != nil else {
            return "PostgreSQL is not installed (no initdb and pg_ctl under /usr/lib/postgresql/*/bin): "
                + "`make deps` installs Debian's postgresql package"
        }
        if geteuid() == 0, getpwnam("postgres") == nil, getpwnam("nobody") == nil {
            return "running as root with neither a postgres nor a nobody user to run the server as"
        }
        return nil
    }()

    public static var isAvailable: Bool { unavailable == nil }

    nonisolated(unsafe) private static var started: Result<ThrowawayPostgres, ServerFailure>?
    private static let lock = NSLock()

    /// The process's server, started at the first call (about a second or two), the same one after.
    public static func shared() throws -> ThrowawayPostgres {
        lock.lock()
        defer { lock.unlock() }
        if started == nil {
            started = Result { () throws(ServerFailure) in try ThrowawayPostgres() }
        }
        return try started!.get()
    }

    /// A server of its own (not the shared one) with PostgreSQL's durable defaults: commits are flushed
    /// to disk as in a real deployment. For measurements (`postroom-bench --store postgres`).
    public static func startDurable() throws -> ThrowawayPostgres {
        try ThrowawayPostgres(durable: true)
    }

    /// The data directory (its `postmaster.pid` names the server's process).
    public var dataDirectory: String { folder + "/data" }

    /// The newest PostgreSQL's bin folder holding initdb, pg_ctl and createdb.
    static func binFolder() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "\(root)/\($0)/bin" }.first { bin in
            ["initdb", "pg_ctl", "createdb", "postgres"].allSatisfy { FileManager.default.isExecutableFile(atPath: "\(bin)/\($0)") }
        }
    }

    private init(durable: Bool = false) throws(ServerFailure) {
        let clock = Date()
        self.durable = durable
        if let reason = Self.unavailable { throw ServerFailure(reason) }
        bin = Self.binFolder()!
        version = URL(fileURLWithPath: bin).deletingLastPathComponent().lastPathComponent
        runAs = geteuid() == 0 ? Self.unprivilegedUser() : nil
        var template = Array("/tmp/postroom-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ServerFailure("cannot make a temporary folder: errno \(errno)") }
        folder = String(cString: made)
        password = UUID().uuidString
        port = try Self.freePort()
        do {
            try setUp()
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        startSeconds = Date().timeIntervalSince(clock)
        FileHandle.standardError.write(Data(("throwaway PostgreSQL \(version) started in "
            + String(format: "%.2f", startSeconds) + " s: socket \(folder), 127.0.0.1:\(port)\n").utf8))
    }

    private func setUp() throws(ServerFailure) {
        let passwordFile = folder + "/password"
        _ = FileManager.default.createFile(atPath: passwordFile, contents: Data((password + "\n").utf8), attributes: [.posixPermissions: 0o600])
        if let runAs {
            for path in [folder, passwordFile] where chown(path, runAs.uid, runAs.gid) != 0 {
                throw ServerFailure("cannot give \(path) to uid \(runAs.uid): errno \(errno)")
            }
        }
        try runServerTool("initdb", ["-D", folder + "/data", "-U", user, "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C",
                                     "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"])
        let throwaway = durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                                        "-c", "shared_buffers=16MB"]
        let options = (["-k", folder, "-p", "\(port)", "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=60",
                        "-c", "unix_socket_permissions=0777",
                        // A test that waits on a lock forever fails after a minute instead of hanging the run.
                        "-c", "lock_timeout=60s"] + throwaway).joined(separator: " ")
        try startWatchdog()
        try runServerTool("pg_ctl", ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60", "-o", options, "start"])
    }

    /// Creates a new, empty database and returns its name.
    public func createDatabase(_ prefix: String = "t") throws -> String {
        let name = prefix.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "_" } + "_"
            + UUID().uuidString.prefix(8).lowercased()
        try run(bin + "/createdb", ["-h", folder, "-p", "\(port)", "-U", user, name], asServer: false)
        return name
    }

    /// The server's log so far (for a failing test's message).
    public func log() -> String {
        (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
    }

    private func runServerTool(_ tool: String, _ args: [String]) throws(ServerFailure) {
        try run(bin + "/" + tool, args, asServer: true)
    }

    /// Runs a program to its end; as the unprivileged user when `asServer` under root.
    private func run(_ program: String, _ args: [String], asServer: Bool) throws(ServerFailure) {
        let output = folder + "/tools.log"
        let before = (try? Data(contentsOf: URL(fileURLWithPath: output)).count) ?? 0
        let status = try ChildProcess.run(dropPrivileges(asServer) + [program] + args, directory: folder, output: output)
        guard status == 0 else {
            let text = (try? Data(contentsOf: URL(fileURLWithPath: output)).dropFirst(before)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            throw ServerFailure("\(URL(fileURLWithPath: program).lastPathComponent) exited \(status): \(text)\n\(log())")
        }
    }

    /// `setpriv` to the unprivileged user when this process is root and the program is the server's.
    private func dropPrivileges(_ asServer: Bool) -> [String] {
        guard asServer, let runAs else { return [] }
        return ["/usr/bin/setpriv", "--reuid=\(runAs.uid)", "--regid=\(runAs.gid)", "--clear-groups", "--"]
    }

    /// A shell that waits for this process to end, then stops the server and deletes the folder. It runs
    /// in its own session (a Ctrl-C to the tests does not stop it first) with its output on /dev/null.
    private func startWatchdog() throws(ServerFailure) {
        let stop = dropPrivileges(true).joined(separator: " ") + " \(bin)/pg_ctl -D \(folder)/data -m immediate -w stop"
        let script = "cat >/dev/null; \(stop) >/dev/null 2>&1; rm -rf \(folder)"
        try ChildProcess.startWatching(["/bin/sh", "-c", script])
    }

    static func unprivilegedUser() -> (uid: uid_t, gid: gid_t)? {
        for name in ["postgres", "nobody"] {
            if let pw = getpwnam(name) { return (pw.pointee.pw_uid, pw.pointee.pw_gid) }
        }
        return nil
    }

    /// A TCP port on 127.0.0.1 nobody listens on now.
    static func freePort() throws(ServerFailure) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerFailure("socket: errno \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw ServerFailure("cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// Why the throwaway server could not be started.
public struct ServerFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
