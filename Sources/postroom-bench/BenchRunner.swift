import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs every program on every load, `runs` times, interleaved (run 1 of each program, then run 2, …,
/// rotating who goes first) so that cache and writeback effects hit all programs alike.
struct BenchRunner: Sendable {
    /// Where run folders go (`<out>/runs`).
    var root: String
    var paths: ProgramPaths
    var runs: Int
    /// Keep the last run folder of each program and load (otherwise removed once verified).
    var keep: Bool

    /// Measures one load with every program; a failure of Postroom stops the benchmark, a failure
    /// of a reference program is recorded and that program skips the rest of the load.
    func measure(_ load: LoadManifest) throws(BenchError) -> [BenchResult] {
        let programs = paths.programs
        var results = programs.map { BenchResult(load: load, program: $0) }
        for run in 1...runs {
            for k in 0..<programs.count {
                let i = (k + run - 1) % programs.count
                guard results[i].failure == nil else { continue }
                let program = programs[i]
                do {
                    let sample = try measureOnce(program, load, run: run, last: run == runs)
                    results[i].samples.append(sample)
                    log(load, program, sample)
                } catch {
                    if program.isPostroom { throw error }
                    results[i].failure = error.description
                    Console.note("\(program.rawValue) failed on load \(load.kind.rawValue), skipped for the rest of it: \(error)")
                }
            }
        }
        removeRunFolders(of: load)
        return results
    }

    /// One fresh folder, one measured run, its numbers verified. Every run has a folder of its own and
    /// none is deleted until the load is done: deleting a tree right before the next program runs slows
    /// that program's inode allocation on ext4, so no program runs just after another's deletion.
    func measureOnce(_ program: Program, _ load: LoadManifest, run: Int, last: Bool = true) throws(BenchError) -> RunSample {
        let folder = RunFolder(path: "\(root)/\(load.kind.rawValue)/\(program.rawValue)-\(run)", program: program, load: load)
        let counts = try folder.prepare(paths: paths)
        sync()  // the links and the previous run's writes reach the disk before the clock starts
        let server = program.usesPostgres ? paths.postgres : nil
        let serverBefore = server?.cpuSeconds()
        let outcome = try ChildProcess.runTogether(folder.processes(paths: paths))
        var sample = try RunVerifier(folder: folder, postroom: paths.postroom, counts: counts).verify(outcome, run: run)
        if let server, let serverBefore { sample.serverCPUSeconds = server.cpuSeconds() - serverBefore }
        if keep && last {
            // The last run of each program stays where --keep promises it: <runs>/<load>/<program>.
            let kept = "\(root)/\(load.kind.rawValue)/\(program.rawValue)"
            try? FileManager.default.removeItem(atPath: kept)
            try? FileManager.default.moveItem(atPath: folder.path, toPath: kept)
        }
        return sample
    }

    /// Removes a load's run folders once every program has run on it (the kept ones stay), then lets
    /// the file system settle (sync and a pause) before anything else is measured.
    func removeRunFolders(of load: LoadManifest) {
        let dir = "\(root)/\(load.kind.rawValue)"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            guard let dash = name.lastIndex(of: "-"), Int(name[name.index(after: dash)...]) != nil else { continue }
            try? FileManager.default.removeItem(atPath: dir + "/" + name)
        }
        sync()
        usleep(2_000_000)
    }

    private func log(_ load: LoadManifest, _ program: Program, _ s: RunSample) {
        let wall = s.outcome.wallSeconds
        var line = "\(load.kind.rawValue) run \(s.run)/\(runs) \(program.rawValue): \(Format.fixed(wall, 2)) s, "
            + "\(Format.rate(Double(load.files) / wall)) files/s, \(Format.rate(Double(load.messages) / wall)) messages/s, "
            + "CPU \(Format.fixed(s.outcome.cpuSeconds, 2)) s, RSS \(Format.fixed(Double(s.outcome.peakRSSBytes) / 1_048_576, 1)) MiB"
        if let server = s.serverCPUSeconds { line += ", server CPU \(Format.fixed(server, 2)) s" }
        if let held = s.held, held > 0 { line += ", \(held) result(s) held" }
        if load.kind == .mixed, let linked = s.linked, let tasks = s.tasksCompleted { line += ", \(linked) linked, \(tasks) Task(s) completed" }
        Console.note(line)
    }
}
