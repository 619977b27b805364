import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Programs started with posix_spawn and reaped with waitpid. Foundation's `Process` is not used here: its
/// `waitUntilExit` was seen never to return for a `pg_ctl start` that had already exited (the child a
/// zombie, the SIGCHLD it waits for lost), which hung every PostgreSQL test.
enum ChildProcess {
    /// Runs `argv` to its end in `directory`, standard input from /dev/null and both outputs appended to
    /// `output`; returns the exit status (128 + signal when killed).
    static func run(_ argv: [String], directory: String, output: String) throws(ServerFailure) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // posix_spawn_file_actions_addchdir_np is not in Swift's Glibc module: `env -C` changes the folder.
        let pid = try spawn(["/usr/bin/env", "-C", directory] + argv, &actions)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ServerFailure("waitpid: errno \(errno)") }
        }
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Starts `argv` in its own session with no output, reading its standard input from a pipe whose only
    /// writer is this process: it sees end of file when this process is gone, however it ended (a zombie
    /// included), and never earlier. Not waited for.
    static func startWatching(_ argv: [String]) throws(ServerFailure) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ServerFailure("pipe: errno \(errno)") }
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)  // the write end stays here, in no child
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        defer { close(fds[0]) }
        _ = try spawn(["/usr/bin/setsid"] + argv, &actions)
    }

    private static func spawn(_ argv: [String], _ actions: inout posix_spawn_file_actions_t) throws(ServerFailure) -> pid_t {
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ)
        guard rc == 0 else { throw ServerFailure("cannot start \(argv[0]): errno \(rc)") }
        return pid
    }
}
