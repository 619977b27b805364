import Foundation
import PostroomCore

/// Checks that a program did the whole job on a load before its numbers are used: every drop
/// accepted (none rejected, partial or duplicate), every message counted, every drop answered,
/// the inbox emptied. Any difference is an error: a throughput of unfinished work means nothing.
struct RunVerifier: Sendable {
    var folder: RunFolder
    /// The `postroom` executable (for `postroom status` after a Postroom run).
    var postroom: String
    /// The load's files per channel.
    var counts: [String: Int]

    /// The verified counts of a finished run.
    func verify(_ outcome: ChildProcess.Outcome, run: Int) throws(BenchError) -> RunSample {
        let where_ = " (see \(folder.path))"
        guard outcome.exitCode == 0 else {
            throw BenchError(.untrusted, "\(folder.program.rawValue) ended with \(outcome.statusText) on load \(folder.load.kind.rawValue)" + where_)
        }
        var summaries: [JSONValue] = []
        for path in folder.stdoutPaths {
            let stdout = FileManager.default.contents(atPath: path) ?? Data()
            guard let json = Self.lastJSON([UInt8](stdout)) else {
                throw BenchError(.untrusted, "\(folder.program.rawValue) printed no JSON summary in \(path)" + where_)
            }
            summaries.append(json)
        }
        let json = summaries[0]
        var sample = RunSample(run: run, outcome: outcome, files: 0, messages: 0)
        switch folder.program {
        case .postroom, .postroomAfterRun, .postroomPostgres, .postroomPostgresTwoNodes:
            var rejected = 0, partial = 0, duplicates = 0, held = 0
            for member in summaries.flatMap({ $0["channels"]?.object?.members ?? [] }) {
                let c = member.value
                sample.files += Self.int(c["accepted"])
                rejected += Self.int(c["rejected"])
                partial += Self.int(c["partial"])
                duplicates += Self.int(c["duplicates"])
                held += Self.int(c["held"])
                sample.messages += Self.int(c["messages"])
            }
            sample.held = held
            sample.reportedSeconds = summaries.compactMap { Self.double($0["seconds"]) }.max()
            guard rejected == 0, partial == 0, duplicates == 0 else {
                throw BenchError(.untrusted, "postroom did not accept every drop of load \(folder.load.kind.rawValue): "
                    + "\(rejected) rejected, \(partial) partial, \(duplicates) duplicate(s)" + where_)
            }
        case .floor, .floorFsync:
            sample.files = Self.int(json["files"])
            sample.messages = sample.files == folder.load.files ? folder.load.messages : 0
            sample.reportedSeconds = Self.double(json["seconds"])
        case .peer, .peerFsync:
            sample.files = Self.int(json["accepted"])
            sample.messages = Self.int(json["messages"])
            sample.reportedSeconds = Self.double(json["seconds"])
            let rejected = Self.int(json["rejected"]), duplicates = Self.int(json["duplicates"])
            guard rejected == 0, duplicates == 0 else {
                throw BenchError(.untrusted, "peer did not accept every drop of load \(folder.load.kind.rawValue): "
                    + "\(rejected) rejected, \(duplicates) duplicate(s)" + where_)
            }
        }
        guard sample.files == folder.load.files, sample.messages == folder.load.messages else {
            throw BenchError(.untrusted, "\(folder.program.rawValue) processed \(sample.files) file(s) and \(sample.messages) message(s) "
                + "of load \(folder.load.kind.rawValue), which has \(folder.load.files) and \(folder.load.messages)" + where_)
        }
        try checkFolders(where_)
        if folder.program.isPostroom { try checkState(&sample, where_) }
        return sample
    }

    /// Postroom's state after the run (`postroom status --json`, not timed): on the mixed load every
    /// result must be linked to its order and every order's Task completed, or correlation was not exercised.
    private func checkState(_ sample: inout RunSample, _ where_: String) throws(BenchError) {
        let status = try ChildProcess(executable: postroom, arguments: ["status", "--json", "--config", folder.path + "/pipeline.json"],
                                      stdoutPath: folder.path + "/status.json", stderrPath: folder.path + "/status.err").run()
        let data = FileManager.default.contents(atPath: folder.path + "/status.json") ?? Data()
        guard status.exitCode == 0, let json = try? JSONParser().parse([UInt8](data)) else {
            throw BenchError(.untrusted, "postroom status failed after the run (\(status.statusText))" + where_)
        }
        sample.linked = Self.int(json["reports"]?["linked"])
        sample.tasksCompleted = Self.int(json["tasks"]?["completed"])
        if folder.load.kind == .mixed {
            let pairs = folder.load.count
            guard sample.linked == pairs, sample.tasksCompleted == pairs else {
                throw BenchError(.untrusted, "mixed load: \(sample.linked ?? 0) report(s) linked and \(sample.tasksCompleted ?? 0) Task(s) "
                    + "completed for \(pairs) order/result pair(s)" + where_)
            }
        }
    }

    /// Every inbox empty, and one answer per drop in the outboxes.
    private func checkFolders(_ where_: String) throws(BenchError) {
        var answers: [String: Int] = [:]
        var expected: [String: Int] = [:]
        for (channel, files) in counts {
            let left = try FileOutput.fileNames(in: folder.inbox(channel))
            guard left.isEmpty else {
                throw BenchError(.untrusted, "\(left.count) file(s) left in \(folder.inbox(channel))" + where_)
            }
            expected[folder.outbox(channel), default: 0] += files
        }
        for outbox in expected.keys { answers[outbox] = (try? FileOutput.fileNames(in: outbox).count) ?? 0 }
        for (outbox, files) in expected where answers[outbox] != files {
            throw BenchError(.untrusted, "\(answers[outbox] ?? 0) acknowledgement file(s) in \(outbox) for \(files) drop(s)" + where_)
        }
        let archive = folder.dataFolder + "/archive"
        let archived = FileManager.default.enumerator(atPath: archive)?.contains { ($0 as? String)?.contains(".tar") == true } ?? false
        guard archived else { throw BenchError(.untrusted, "no run archive in \(archive)" + where_) }
    }

    /// The last JSON object printed (the programs print one summary, possibly after other lines).
    static func lastJSON(_ bytes: [UInt8]) -> JSONValue? {
        if let whole = try? JSONParser().parse(bytes), whole.object != nil { return whole }
        let lines = bytes.split(separator: UInt8(ascii: "\n"))
        for line in lines.reversed() {
            if let value = try? JSONParser().parse(Array(line)), value.object != nil { return value }
        }
        return nil
    }

    /// An integer member (0 when missing).
    static func int(_ value: JSONValue?) -> Int {
        if case .number(let text)? = value { return Int(text) ?? Int(Double(text) ?? 0) }
        return 0
    }

    /// A number member, nil when missing.
    static func double(_ value: JSONValue?) -> Double? {
        if case .number(let text)? = value { return Double(text) }
        return nil
    }
}
