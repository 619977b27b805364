import Foundation
import PostroomConfig
import PostroomCore
import PostroomPostgresTestSupport
import Testing

@testable import postroom_bench

/// `--store postgres`: processes started together, two nodes' summaries counted together, the
/// generated configuration, and a real two-node run on a real server measured and verified.
@Suite struct BenchPostgresTests {
    /// Two children that each wait for the other's file: they finish only if they run at the same time.
    @Test func childrenOfOneRunStartTogetherAndTheirUsageAdds() throws {
        let tmp = try TempFolder()
        func child(_ mine: String, _ theirs: String, exit code: Int) -> ChildProcess {
            let script = "touch \(tmp.path)/\(mine); i=0; while [ ! -e \(tmp.path)/\(theirs) ]; do i=$((i+1)); "
                + "[ $i -gt 500 ] && exit 9; sleep 0.01; done; exit \(code)"
            return ChildProcess(executable: "/bin/sh", arguments: ["-c", script], stdoutPath: tmp.path + "/\(mine).out",
                                stderrPath: tmp.path + "/\(mine).err")
        }
        let both = try ChildProcess.runTogether([child("a", "b", exit: 0), child("b", "a", exit: 0)])
        #expect(both.exitCode == 0, "the children did not see each other: \(both.statusText)")
        try FileManager.default.removeItem(atPath: tmp.path + "/a")
        try FileManager.default.removeItem(atPath: tmp.path + "/b")
        let oneFails = try ChildProcess.runTogether([child("a", "b", exit: 0), child("b", "a", exit: 3)])
        #expect(oneFails.exitCode == 3, "a failing child must fail the run: \(oneFails.statusText)")
    }

    @Test func twoNodesAreCountedTogether() throws {
        let tmp = try TempFolder()
        let folder = RunFolder(path: tmp.path + "/run", program: .postroomPostgresTwoNodes, load: BenchBookkeepingTests.manifest())
        try FileManager.default.createDirectory(atPath: folder.inbox("results"), withIntermediateDirectories: true)
        for i in 0..<3 { try tmp.write("MSA|AA|\(i)\r", to: "run/data/outbox/results/f\(i).ack") }
        try tmp.write("x", to: "run/data/archive/run-1.tar.gz")
        func summary(_ accepted: Int) -> String {
            #"{"channels": {"results": {"accepted": \#(accepted), "rejected": 0, "duplicates": 0, "partial": 0, "held": 0, "messages": \#(accepted)}}}"#
        }
        try tmp.write(summary(2), to: "run/stdout-a.txt")
        let verifier = RunVerifier(folder: folder, postroom: "/bin/false", counts: ["results": 3])
        // Node b's summary missing: untrusted.
        #expect(throws: BenchError.self) { try verifier.verify(BenchBookkeepingTests.ok, run: 1) }
        try tmp.write(summary(1), to: "run/stdout-b.txt")
        do {
            _ = try verifier.verify(BenchBookkeepingTests.ok, run: 1)
            Issue.record("postroom status (/bin/false) cannot succeed")
        } catch {
            // 2 + 1 drops make the load's 3: the counts pass, and only the state check (no real postroom here) fails.
            #expect(error.message.contains("postroom status failed"), "\(error)")
        }
    }

    @Test func thePostgresPipelineJSONNamesTheStore() throws {
        let folder = RunFolder(path: "/tmp/run", program: .postroomPostgres, load: BenchBookkeepingTests.manifest())
        let paths = ProgramPaths(postroom: "/bin/true", compression: "gzip", level: 6, groupSize: nil)
        let store: JSONValue = .object(JSONObject(["kind": "postgres", "url": "postgres://postroom@/bench_v2?host=/tmp/pg&port=5"]))
        let config = try PipelineConfig.parse(folder.pipelineJSON(paths, store: store), base: "/tmp/run", configPath: "/tmp/run/pipeline.json")
        guard case .postgres(let location) = config.store else {
            Issue.record("not a PostgreSQL store: \(config.store)")
            return
        }
        #expect(location.database == "bench_v2" && location.endpoint == .socket(directory: "/tmp/pg", port: 5))
        #expect(folder.processes(paths: paths).map(\.arguments.last) == ["a"])
        let two = RunFolder(path: "/tmp/run", program: .postroomPostgresTwoNodes, load: BenchBookkeepingTests.manifest())
        #expect(two.processes(paths: paths).map { $0.arguments.suffix(2) } == [["--node", "a"], ["--node", "b"]])
        #expect(Set(two.processes(paths: paths).map(\.stdoutPath)).count == 2)
    }

    /// The real `postroom` (debug build) on a real server: two nodes take a small v2 load between them,
    /// every drop is answered once, and the server's CPU is measured.
    @Test(.enabled(if: ThrowawayPostgres.isAvailable && FileManager.default.isExecutableFile(atPath: Self.postroom),
                   "needs PostgreSQL (\(ThrowawayPostgres.unavailable ?? "installed")) and a built postroom at \(Self.postroom)"))
    func twoNodesOnARealServer() throws {
        let tmp = try TempFolder()
        let manifest = try LoadGenerator(root: tmp.path + "/loads", seed: 7).prepare(.v2, count: 40, log: { _ in })
        var paths = ProgramPaths(postroom: Self.postroom, compression: "gzip", level: 6, groupSize: 4)
        paths.postgres = BenchPostgres(server: try ThrowawayPostgres.shared())
        let runner = BenchRunner(root: tmp.path + "/runs", paths: paths, runs: 1, keep: true)
        let sample = try runner.measureOnce(.postroomPostgresTwoNodes, manifest, run: 1)
        #expect(sample.files == 40 && sample.messages == 40)
        #expect((sample.serverCPUSeconds ?? 0) > 0, "the server's CPU was not measured")
        let kept = tmp.path + "/runs/v2/postroom-pg-2nodes"
        let summaries = ["a", "b"].compactMap { FileManager.default.contents(atPath: "\(kept)/stdout-\($0).txt") }
        #expect(summaries.count == 2)
    }

    /// The debug `postroom` of this checkout (POSTROOM_BIN overrides).
    static let postroom: String = {
        if let b = ProcessInfo.processInfo.environment["POSTROOM_BIN"] { return b }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        return [".build/debug/postroom", ".build/x86_64-unknown-linux-gnu/debug/postroom"].map { root + "/" + $0 }
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? root + "/.build/debug/postroom"
    }()
}
