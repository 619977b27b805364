import Foundation
import PostroomCore
#if canImport(Glibc)
import Glibc
#endif

/// The facts a benchmark figure needs beside it: the machine, the date and the code measured.
struct MachineFacts: Sendable {
    var cores: Int
    var cpu: String
    var memoryGiB: Double
    var kernel: String
    /// UTC, ISO 8601.
    var date: String
    /// `git describe`-like commit of the working folder (with `-dirty` when it has changes), or "unknown".
    var commit: String

    /// Reads the facts of this machine and of the git checkout in the current folder.
    static func current(scratch: String) -> MachineFacts {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let kib = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
            .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Double($0) } ?? 0
        var names = utsname()
        uname(&names)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let kernel = "\(field(names.sysname)) \(field(names.release)) \(field(names.machine))"
        var commit = ChildProcess.output("git", ["rev-parse", "--short=12", "HEAD"], scratch: scratch) ?? "unknown"
        if commit != "unknown", let status = ChildProcess.output("git", ["status", "--porcelain", "--untracked-files=no"], scratch: scratch),
           !status.isEmpty {
            commit += "-dirty"
        }
        let formatter = ISO8601DateFormatter()
        return MachineFacts(cores: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), cpu: model, memoryGiB: kib / 1_048_576,
                            kernel: kernel, date: formatter.string(from: Date()), commit: commit)
    }

    /// One line for the top of the table.
    var line: String {
        "\(cores) cores, \(cpu), \(Format.fixed(memoryGiB, 1)) GiB, \(kernel); \(date); commit \(commit)"
    }

    /// The facts as JSON.
    var json: JSONValue {
        .object(JSONObject([
            "cores": .number(String(cores)), "cpu": .string(cpu), "memoryGiB": .number(Format.fixed(memoryGiB, 1)),
            "kernel": .string(kernel), "date": .string(date), "commit": .string(commit),
        ]))
    }
}
