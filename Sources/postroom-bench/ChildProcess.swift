import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One program run to completion: spawned with `posix_spawnp`, reaped with `wait4` for its own
/// resource usage (user and system CPU, peak RSS), its output sent to files.
struct ChildProcess: Sendable {
    /// How the child ended and what it used.
    struct Outcome: Sendable {
        /// The exit status when it exited, nil when a signal ended it.
        var exitCode: Int32?
        /// The signal that ended it, if one did.
        var signal: Int32?
        var wallSeconds: Double
        var userSeconds: Double
        var systemSeconds: Double
        /// Peak resident set size in bytes (the largest of the child and the children it reaped).
        var peakRSSBytes: Int64

        /// User plus system CPU seconds.
        var cpuSeconds: Double { userSeconds + systemSeconds }

        /// "exit 0", "exit 65", "signal 9".
        var statusText: String { exitCode.map { "exit \($0)" } ?? "signal \(signal ?? 0)" }
    }

    /// The program (a path, or a name looked up in `PATH`).
    var executable: String
    var arguments: [String]
    /// Where standard output goes (created or truncated).
    var stdoutPath: String
    /// Where standard error goes (created or truncated).
    var stderrPath: String

    /// Runs the child and waits for it.
    func run() throws(BenchError) -> Outcome {
        try Self.runTogether([self])
    }

    /// Starts every child at once and waits for all of them: the wall time is until the last one ends,
    /// the CPU the sum of theirs, the peak RSS the largest, the status the first that is not a clean exit.
    static func runTogether(_ children: [ChildProcess]) throws(BenchError) -> Outcome {
        let start = ContinuousClock.now
        var pids: [pid_t] = []
        for child in children {
            do { pids.append(try child.spawn()) } catch {
                for pid in pids { kill(pid, SIGKILL) }
                for (pid, child) in zip(pids, children) { _ = try? child.wait(pid) }
                throw error
            }
        }
        var outcomes: [Outcome] = []
        for (pid, child) in zip(pids, children) { outcomes.append(try child.wait(pid)) }
        let wall = Format.seconds(of: start.duration(to: .now))
        let failed = outcomes.first { $0.exitCode != 0 } ?? outcomes[0]
        return Outcome(exitCode: failed.exitCode, signal: failed.signal, wallSeconds: wall,
                       userSeconds: outcomes.map(\.userSeconds).reduce(0, +), systemSeconds: outcomes.map(\.systemSeconds).reduce(0, +),
                       peakRSSBytes: outcomes.map(\.peakRSSBytes).max() ?? 0)
    }

    /// Starts the child; returns its process id.
    private func spawn() throws(BenchError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else {
            throw BenchError(.setup, "cannot start \(executable)", cause: String(cString: strerror(rc)))
        }
        return pid
    }

    /// Waits for the child started as `pid`; its exit status and resource usage (the wall time is set by the caller).
    private func wait(_ pid: pid_t) throws(BenchError) -> Outcome {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError(.setup, "cannot wait for \(executable)", cause: FileOutput.errnoText()) }
        }
        let termination = status & 0x7F
        return Outcome(
            exitCode: termination == 0 ? (status >> 8) & 0xFF : nil, signal: termination == 0 ? nil : termination,
            wallSeconds: 0, userSeconds: Self.seconds(usage.ru_utime), systemSeconds: Self.seconds(usage.ru_stime),
            peakRSSBytes: Int64(usage.ru_maxrss) * 1024)  // KiB on Linux
    }

    /// Runs a short helper command and returns its standard output (trimmed), or nil when it fails.
    static func output(_ executable: String, _ arguments: [String], scratch: String) -> String? {
        let child = ChildProcess(executable: executable, arguments: arguments, stdoutPath: scratch + ".out", stderrPath: scratch + ".err")
        defer {
            try? FileManager.default.removeItem(atPath: scratch + ".out")
            try? FileManager.default.removeItem(atPath: scratch + ".err")
        }
        guard let outcome = try? child.run(), outcome.exitCode == 0,
              let data = FileManager.default.contents(atPath: scratch + ".out") else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A `timeval` in seconds.
    static func seconds(_ t: timeval) -> Double {
        Double(t.tv_sec) + Double(t.tv_usec) / 1e6
    }
}
