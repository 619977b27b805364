import Foundation

/// Sets up the reference programs of `../shared/bench`: the C floor is built from a copy in
/// `<out>/floor` (the shared folder is read-only), the Python peer gets a venv in `<out>/venv`.
/// Whatever cannot be set up is skipped with a note; the benchmark itself goes on.
struct ReferencePrograms: Sendable {
    /// The shared bench folder (`floor.c`, `Makefile`, `peer_python.py`, `requirements.txt`).
    var shared: String
    /// The benchmark's output folder.
    var out: String

    /// The floor executable and the peer's interpreter and script; nil for what is unavailable, with notes saying why.
    func prepare() -> (floor: String?, peer: (python: String, script: String)?, notes: [String]) {
        var notes: [String] = []
        let fm = FileManager.default
        guard fm.fileExists(atPath: shared + "/floor.c") || fm.fileExists(atPath: shared + "/peer_python.py") else {
            return (nil, nil, ["\(shared) not found on this machine: the comparison with the floor and the Python peer is skipped"])
        }
        var floor: String?
        do { floor = try buildFloor() } catch { notes.append("floor skipped: \(error)") }
        var peer: (python: String, script: String)?
        do { peer = try preparePeer() } catch { notes.append("Python peer skipped: \(error)") }
        return (floor, peer, notes)
    }

    /// Copies `floor.c` and `Makefile` to `<out>/floor` and runs `make floor` there (needs libssl-dev, libsqlite3-dev, libarchive-dev).
    func buildFloor() throws(BenchError) -> String {
        let dir = out + "/floor"
        try FileOutput.makeDirectories(dir)
        for name in ["floor.c", "Makefile"] {
            guard let data = FileManager.default.contents(atPath: "\(shared)/\(name)") else {
                throw BenchError(.setup, "\(shared)/\(name) not found")
            }
            if FileManager.default.contents(atPath: "\(dir)/\(name)") != data {
                try FileOutput.write([UInt8](data), to: "\(dir)/\(name)")
            }
        }
        Console.note("building the floor program in \(dir)")
        let make = ChildProcess(executable: "make", arguments: ["-C", dir, "floor"], stdoutPath: dir + "/build.log", stderrPath: dir + "/build.err")
        let outcome = try make.run()
        guard outcome.exitCode == 0, FileManager.default.isExecutableFile(atPath: dir + "/floor") else {
            throw BenchError(.setup, "make floor failed (\(outcome.statusText)); see \(dir)/build.err — it needs libssl-dev, libsqlite3-dev and libarchive-dev")
        }
        return dir + "/floor"
    }

    /// Creates `<out>/venv` and installs the peer's pinned requirements, unless that was done for the same requirements.
    func preparePeer() throws(BenchError) -> (python: String, script: String) {
        let script = shared + "/peer_python.py", requirements = shared + "/requirements.txt"
        guard FileManager.default.fileExists(atPath: script), let wanted = FileManager.default.contents(atPath: requirements) else {
            throw BenchError(.setup, "\(script) or \(requirements) not found")
        }
        let venv = out + "/venv", python = venv + "/bin/python", stamp = venv + "/postroom-bench-requirements.txt"
        if FileManager.default.contents(atPath: stamp) == wanted, FileManager.default.isExecutableFile(atPath: python) {
            return (python, script)
        }
        Console.note("setting up the Python peer in \(venv) (python3 -m venv, pip install -r \(requirements))")
        try? FileManager.default.removeItem(atPath: venv)
        let created = try ChildProcess(executable: "python3", arguments: ["-m", "venv", venv],
                                       stdoutPath: out + "/venv-create.log", stderrPath: out + "/venv-create.err").run()
        guard created.exitCode == 0 else {
            throw BenchError(.setup, "python3 -m venv failed (\(created.statusText)); see \(out)/venv-create.err — Debian needs python3-venv")
        }
        let installed = try ChildProcess(executable: venv + "/bin/pip", arguments: ["install", "--quiet", "-r", requirements],
                                         stdoutPath: out + "/venv-install.log", stderrPath: out + "/venv-install.err").run()
        guard installed.exitCode == 0 else {
            throw BenchError(.setup, "pip install failed (\(installed.statusText)); see \(out)/venv-install.err")
        }
        try FileOutput.write([UInt8](wanted), to: stamp)
        return (python, script)
    }
}
