import ArgumentParser
import Foundation
import PostroomCore

/// `postroom-bench`: generates seeded loads, runs `postroom run --once` on each from a fresh data
/// folder (and, with `--compare`, the floor and the Python peer of `../shared/bench`), and prints
/// files/s, messages/s, MB/s, CPU seconds and peak RSS as a table and as `<out>/bench.json`.
@main
struct PostroomBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postroom-bench",
        abstract: "Measure Postroom's throughput on generated loads (and compare it with the floor and the Python peer).",
        discussion: """
            --store postgres runs Postroom with its state in PostgreSQL (a throwaway durable server of its own), \
            one node and two nodes started together, beside the SQLite store, on the one-message v2 load unless \
            --loads says otherwise, and prints the CPU per message of Postroom and of the server. \
            Loads (sizes at --scale 1): v2 = 20,000 one-message ORU^R01 files; fhir = 20,000 FHIR message Bundles; \
            cda = 5,000 CDA documents; batch = one v2 batch file of 200,000 messages; mixed = 10,000 ORM^O01 orders \
            then the 10,000 ORU^R01 results answering them. Loads are generated once per seed and scale under \
            <out>/loads and reused. Every run must accept every drop, or the benchmark stops.
            """)

    @Option(help: "Loads to run, comma-separated: v2, fhir, cda, batch, mixed (or all). Default: all five; v2 with --store postgres.")
    var loads: String?

    @Option(help: "Where Postroom keeps its state: sqlite (both view timings), or postgres (one and two nodes beside SQLite).")
    var store = "sqlite"

    @Option(help: "Multiplies every load's size (e.g. 0.02 for a quick run).")
    var scale = 1.0

    @Option(help: "Measured runs per program and load; the table shows medians.")
    var runs = 3

    @Flag(help: "Also run the floor and the Python peer of --shared on the same loads and print Postroom's ratio to each.")
    var compare = false

    @Option(help: "Output folder: loads, run folders, bench.json.")
    var out = "bench-out"

    @Option(help: "The postroom executable (default: the one beside this program).")
    var postroom: String?

    @Option(help: "Seed of the load generator.")
    var seed: UInt64 = 42

    @Option(help: "Archive compression of Postroom's runs: gzip, zstd or none.")
    var compression = "gzip"

    @Option(help: "Archive compression level (default 6 for gzip, 3 for zstd).")
    var level: Int?

    @Option(help: "groupSize of Postroom's runs (default: Postroom's own).")
    var groupSize: Int?

    @Option(help: "Folder of the reference programs (floor.c, Makefile, peer_python.py, requirements.txt).")
    var shared = "../shared/bench"

    @Flag(help: "Keep the last run folder of each program and load (they are removed once verified otherwise).")
    var keep = false

    @Option(help: "Where loads and runs live: loop (a fresh ext4 of the benchmark's own, loop-mounted, when it may mount one) or none (the output folder).")
    var scratchFs = "loop"

    @Flag(help: "Check the generator only: same bytes per seed, tiny loads valid for postroom validate and accepted by postroom run --once.")
    var check = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard scale > 0, scale <= 100 else { throw ValidationError("--scale must be above 0 and at most 100") }
        guard ["gzip", "zstd", "none"].contains(compression) else { throw ValidationError("--compression must be gzip, zstd or none") }
        if let level, !(1...19).contains(level) { throw ValidationError("--level must be between 1 and 19") }
        guard ["loop", "none"].contains(scratchFs) else { throw ValidationError("--scratch-fs must be loop or none") }
        guard ["sqlite", "postgres"].contains(store) else { throw ValidationError("--store must be sqlite or postgres") }
        _ = try LoadKind.parseList(loadList)
    }

    /// The loads to run: `--loads`, or every load (the one-message v2 load with `--store postgres`).
    var loadList: String { loads ?? (store == "postgres" ? "v2" : "v2,fhir,cda,batch,mixed") }

    func run() throws {
        do {
            try bench()
        } catch {
            Console.note("postroom-bench: \(error)")
            throw ExitCode(error.code == .usage ? 64 : 1)
        }
    }

    func bench() throws(BenchError) {
        let kinds = try LoadKind.parseList(loadList)
        let outDir = Self.absolute(out)
        try FileOutput.makeDirectories(outDir)
        var paths = ProgramPaths(postroom: try postroomPath(), compression: compression,
                                 level: compression == "none" ? nil : level ?? (compression == "gzip" ? 6 : 3), groupSize: groupSize)
        if check {
            try GeneratorCheck(root: outDir + "/check", paths: paths, seed: seed, kinds: kinds).run()
            return
        }
        let machine = MachineFacts.current(scratch: outDir + "/.probe")
        var notes: [String] = []
        if scale != 1 { notes.append("--scale \(scale): the loads are not the issue's sizes, so the targets are indicative only") }
        if store == "postgres" {
            Console.note("starting a PostgreSQL server for --store postgres")
            let postgres = try BenchPostgres.start()
            paths.postgres = postgres
            notes.append(postgres.description)
        }
        if compare {
            let reference = ReferencePrograms(shared: Self.absolute(shared), out: outDir).prepare()
            paths.floor = reference.floor
            paths.peer = reference.peer
            notes += reference.notes
            for note in reference.notes { Console.note(note) }
        }
        let executables = [paths.postroom] + (paths.floor.map { [$0] } ?? [])
        let kept = ExecutableCache.evict(executables)
        notes.append("the executables (\(executables.count)) were dropped from the page cache before the runs, as an installed program is"
                     + (kept.isEmpty ? "" : " (not: \(kept.joined(separator: ", ")))"))
        let results = try measure(kinds, paths, outDir, notes: &notes)
        let report = BenchReport(machine: machine, settings: settings(paths), results: results, notes: notes, scale: scale)
        print(report.table)
        try FileOutput.write(JSONWriter(pretty: true).bytes(report.json), to: outDir + "/bench.json")
        Console.note("wrote \(outDir)/bench.json")
    }

    /// Generates the loads and runs every program on them, on the benchmark's own file system.
    func measure(_ kinds: [LoadKind], _ paths: ProgramPaths, _ outDir: String, notes: inout [String]) throws(BenchError) -> [BenchResult] {
        var fs = BenchFileSystem.prepare(out: outDir, mode: keep ? "none" : scratchFs, log: Console.note)
        defer { fs.finish(out: outDir) }
        if keep { fs.note = "runs on the output folder's own file system (--keep: the kept run folders stay there)" }
        notes.append(fs.note)
        let generator = LoadGenerator(root: fs.root + "/loads", seed: seed)
        var manifests: [LoadManifest] = []
        for kind in kinds { manifests.append(try generator.prepare(kind, count: kind.count(scale: scale), log: Console.note)) }
        let runner = BenchRunner(root: fs.root + "/runs", paths: paths, runs: runs, keep: keep)
        var results: [BenchResult] = []
        for manifest in manifests { results += try runner.measure(manifest) }
        return results
    }

    /// The settings of this benchmark, for the JSON.
    func settings(_ paths: ProgramPaths) -> JSONObject {
        JSONObject([
            "loads": .string(loadList), "store": .string(store), "scale": .number(String(scale)), "runs": .number(String(runs)), "seed": .string(String(seed)),
            "compression": .string(compression), "scratchFs": .string(scratchFs), "level": paths.level.map { .number(String($0)) } ?? .null,
            "groupSize": groupSize.map { .number(String($0)) } ?? .null, "compare": .bool(compare),
            "postroom": .string(paths.postroom), "floor": paths.floor.map { .string($0) } ?? .null,
            "peer": paths.peer.map { .string($0.script) } ?? .null,
        ])
    }

    /// The postroom executable: `--postroom`, or the one built beside this program.
    func postroomPath() throws(BenchError) -> String {
        let candidate: String
        if let postroom {
            candidate = Self.absolute(postroom)
        } else {
            let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            candidate = URL(fileURLWithPath: Self.absolute(me)).deletingLastPathComponent().appendingPathComponent("postroom").path
        }
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw BenchError(.usage, "no postroom executable at \(candidate): build it (swift build -c release --product postroom) or pass --postroom")
        }
        return candidate
    }

    /// `path` made absolute against the current folder.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path).standardizedFileURL.path
    }
}
