import Foundation
import PostroomCore

/// `postroom-bench --check`: proves the generator's output is what the benchmark claims — the same
/// bytes from the same seed, valid for Postroom (`postroom validate`), and accepted whole by a real
/// `postroom run --once` — on tiny loads, in seconds.
struct GeneratorCheck: Sendable {
    /// Where the tiny loads and runs go (`<out>/check`).
    var root: String
    var paths: ProgramPaths
    var seed: UInt64
    var kinds: [LoadKind]

    /// Items per load in the check (the batch gets more: it is one file).
    static func count(_ kind: LoadKind) -> Int { kind == .batch ? 25 : 6 }

    /// Runs every step; throws at the first failure, saying what and where.
    func run() throws(BenchError) {
        try checkDeterminism()
        let generator = LoadGenerator(root: root + "/loads", seed: seed)
        var validated = 0
        for kind in kinds {
            let manifest = try generator.prepare(kind, count: Self.count(kind), log: Console.note)
            validated += try validate(manifest)
            let runner = BenchRunner(root: root + "/runs", paths: ProgramPaths(postroom: paths.postroom, compression: paths.compression,
                                                                             level: paths.level, groupSize: paths.groupSize),
                                     runs: 1, keep: false)
            _ = try runner.measure(manifest)
        }
        Console.note("generator check passed: same bytes from the same seed, \(validated) file(s) valid for postroom validate, "
            + "\(kinds.count) load(s) accepted whole by postroom run --once")
    }

    /// The same seed gives the same bytes; another seed gives other bytes.
    func checkDeterminism() throws(BenchError) {
        for kind in kinds {
            let a = Self.sample(LoadContent(kind: kind, runSeed: seed, count: 4))
            let b = Self.sample(LoadContent(kind: kind, runSeed: seed, count: 4))
            let c = Self.sample(LoadContent(kind: kind, runSeed: seed &+ 1, count: 4))
            guard a == b else { throw BenchError(.generation, "load \(kind.rawValue): the same seed gave different bytes") }
            guard a != c else { throw BenchError(.generation, "load \(kind.rawValue): another seed gave the same bytes") }
        }
    }

    /// The bytes of every item of a small content.
    static func sample(_ content: LoadContent) -> [[UInt8]] {
        if content.kind == .batch { return (0..<content.count).map { Array(content.batchMessage($0).utf8) } }
        return (0..<content.fileCount).map { content.file($0).bytes }
    }

    /// Runs `postroom validate --json` on every file of the load; returns how many were valid.
    func validate(_ manifest: LoadManifest) throws(BenchError) -> Int {
        var files: [String] = []
        for channel in manifest.kind.channels {
            let dir = manifest.folder + "/" + channel
            files += try FileOutput.fileNames(in: dir).map { dir + "/" + $0 }
        }
        let scratch = root + "/validate-\(manifest.kind.rawValue)"
        let outcome = try ChildProcess(executable: paths.postroom, arguments: ["validate", "--json"] + files,
                                       stdoutPath: scratch + ".json", stderrPath: scratch + ".err").run()
        let data = FileManager.default.contents(atPath: scratch + ".json") ?? Data()
        guard let list = try? JSONParser().parse([UInt8](data)), let items = list.array else {
            throw BenchError(.generation, "postroom validate printed no JSON for load \(manifest.kind.rawValue) (\(outcome.statusText); see \(scratch).err)")
        }
        let invalid = items.filter { $0["valid"]?.bool != true }
        guard outcome.exitCode == 0, invalid.isEmpty, items.count == files.count else {
            let first = invalid.first.map { JSONWriter().string($0) } ?? ""
            throw BenchError(.generation, "load \(manifest.kind.rawValue): \(invalid.count) of \(files.count) generated file(s) invalid "
                + "(\(outcome.statusText)); first: \(first.prefix(1500))")
        }
        return items.count
    }
}
