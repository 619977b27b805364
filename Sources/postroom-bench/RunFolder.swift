import Foundation
import PostroomCore
#if canImport(Glibc)
import Glibc
#endif

/// A fresh folder for one measured run of one program on one load: inboxes filled with the load's
/// files (hard links, or copies across file systems), and the command that processes them.
struct RunFolder: Sendable {
    var path: String
    var program: Program
    var load: LoadManifest

    /// Postroom's data folder (inside the run folder), or the reference programs' folder.
    var dataFolder: String { program.isPostroom ? path + "/data" : path }

    /// The inbox a load channel's files go to (the reference programs take a single inbox).
    func inbox(_ channel: String) -> String {
        program.isPostroom ? "\(dataFolder)/inbox/\(channel)" : "\(path)/inbox"
    }

    /// The outbox where the answers to a load channel's drops appear.
    func outbox(_ channel: String) -> String {
        program.isPostroom ? "\(dataFolder)/outbox/\(channel)" : "\(path)/outbox"
    }

    /// Empties the folder, then links every file of the load into the inboxes; returns the files per channel.
    func prepare(paths: ProgramPaths) throws(BenchError) -> [String: Int] {
        try? FileManager.default.removeItem(atPath: path)
        try FileOutput.makeDirectories(path)
        var counts: [String: Int] = [:]
        for channel in load.kind.channels {
            let source = load.folder + "/" + channel
            let target = inbox(channel)
            try FileOutput.makeDirectories(target)
            let names = try FileOutput.fileNames(in: source)
            for name in names { try Self.linkOrCopy(source + "/" + name, target + "/" + name) }
            counts[channel] = names.count
        }
        if program.isPostroom {
            var store: JSONValue?
            if program.usesPostgres {
                guard let postgres = paths.postgres else { throw BenchError(.setup, "\(program.rawValue) needs --store postgres") }
                store = postgres.storeEntry(database: try postgres.createDatabase("bench_\(load.kind.rawValue)"))
            }
            try FileOutput.write(JSONWriter(pretty: true).bytes(pipelineJSON(paths, store: store)), to: path + "/pipeline.json")
        }
        return counts
    }

    /// Where each of the program's processes prints its summary (one per node with several nodes).
    var stdoutPaths: [String] {
        program.nodes.count > 1 ? program.nodes.map { "\(path)/stdout-\($0).txt" } : [path + "/stdout.txt"]
    }

    /// The processes of one measured run, started together (two for two nodes, one otherwise).
    func processes(paths: ProgramPaths) -> [ChildProcess] {
        guard program.nodes.count > 1 else { return [command(paths: paths)] }
        return zip(program.nodes, stdoutPaths).map { node, out in
            ChildProcess(executable: paths.postroom, arguments: postroomArguments(node: node), stdoutPath: out,
                         stderrPath: "\(path)/stderr-\(node).txt")
        }
    }

    /// `postroom run --once` on this folder's configuration, as the named node when there is one.
    func postroomArguments(node: String?) -> [String] {
        ["run", "--once", "--config", path + "/pipeline.json", "--json", "--quiet"] + (node.map { ["--node", $0] } ?? [])
    }

    /// The command that processes the inboxes (output to `stdout.txt` and `stderr.txt` in the folder).
    func command(paths: ProgramPaths) -> ChildProcess {
        let out = path + "/stdout.txt", err = path + "/stderr.txt"
        let folders = ["--inbox", path + "/inbox", "--work", path + "/work", "--outbox", path + "/outbox",
                       "--archive", path + "/archive", "--error", path + "/error", "--db", path + "/state.sqlite"]
        switch program {
        case .postroom, .postroomAfterRun, .postroomPostgres, .postroomPostgresTwoNodes:
            return ChildProcess(executable: paths.postroom, arguments: postroomArguments(node: program.nodes.first),
                                stdoutPath: out, stderrPath: err)
        case .floor, .floorFsync:
            return ChildProcess(executable: paths.floor ?? "floor", arguments: folders + (program.fsyncs ? ["--fsync"] : []),
                                stdoutPath: out, stderrPath: err)
        case .peer, .peerFsync:
            return ChildProcess(executable: paths.peer?.python ?? "python3",
                                arguments: [paths.peer?.script ?? "peer_python.py"] + folders + ["--workers", "2"] + (program.fsyncs ? ["--fsync"] : []),
                                stdoutPath: out, stderrPath: err)
        }
    }

    /// The `pipeline.json` of a Postroom run: one placer channel per load channel, `rename` completion,
    /// and the `store` entry when the state is in PostgreSQL.
    func pipelineJSON(_ paths: ProgramPaths, store: JSONValue? = nil) -> JSONValue {
        var archive = JSONObject(["compression": .string(paths.compression)])
        if let level = paths.level, paths.compression != "none" { archive["level"] = .number(String(level)) }
        let channels: [JSONValue] = load.kind.channels.map { name in
            var ch = JSONObject([
                "name": .string(name), "formats": ["hl7v2", "fhir", "cda"], "role": "placer",
                "completion": .object(JSONObject(["mode": "rename"])),
            ])
            // A batch file is one drop of hundreds of megabytes: above the default 64 MiB bound.
            if load.kind == .batch { ch["maxFileSize"] = .number(String(max(Int64(64 << 20), 2 * load.bytes))) }
            return .object(ch)
        }
        var config = JSONObject([
            "data": "data", "timeZone": "Europe/London", "application": "POSTROOM", "facility": "BENCH",
            "endpoint": "urn:postroom:bench", "archive": .object(archive),
        ])
        if let groupSize = paths.groupSize { config["groupSize"] = .number(String(groupSize)) }
        if program == .postroomAfterRun { config["view"] = "afterRun" }
        if let store { config["store"] = store }
        config["channels"] = .array(channels)
        return .object(config)
    }

    /// A hard link (the load is not copied: only the measured program's work counts), or a copy
    /// keeping the modification time when the load is on another file system.
    static func linkOrCopy(_ source: String, _ target: String) throws(BenchError) {
        if link(source, target) == 0 { return }
        guard errno == EXDEV || errno == EPERM || errno == EMLINK else {
            throw BenchError(.setup, "cannot link \(source) into \(target)", cause: FileOutput.errnoText())
        }
        try FileOutput.copy(source, to: target)
    }
}
