#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `write(2)` (named apart from `FileOutput.write`).
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}

/// Plain POSIX file writing for the generator and the run folders (no Foundation on this path:
/// tens of thousands of small files).
enum FileOutput {
    /// Writes `bytes` to a new file at `path` and sets its modification time (seconds since 1970).
    static func write(_ bytes: [UInt8], to path: String, modified: Double? = nil) throws(BenchError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BenchError(.generation, "cannot create \(path)", cause: errnoText()) }
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
        if let modified { try setModified(fd, modified, path: path) }
    }

    /// Writes every byte of `bytes` to `fd` (retrying short writes).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(BenchError) {
        var failure: BenchError?
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = posixWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = BenchError(.generation, "cannot write \(path)", cause: errnoText())
                    return
                }
                offset += n
            }
        }
        if let failure { throw failure }
    }

    /// Sets the access and modification times of an open file.
    static func setModified(_ fd: Int32, _ seconds: Double, path: String) throws(BenchError) {
        let whole = seconds.rounded(.down)
        let ts = timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1e9))
        var times = (ts, ts)
        let rc = withUnsafePointer(to: &times) { p in
            p.withMemoryRebound(to: timespec.self, capacity: 2) { futimens(fd, $0) }
        }
        guard rc == 0 else { throw BenchError(.generation, "cannot set the time of \(path)", cause: errnoText()) }
    }

    /// Copies a file in 1 MiB chunks (never held whole), keeping its modification time.
    static func copy(_ source: String, to target: String) throws(BenchError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw BenchError(.setup, "cannot open \(source)", cause: errnoText()) }
        defer { close(input) }
        var st = stat()
        guard fstat(input, &st) == 0 else { throw BenchError(.setup, "cannot stat \(source)", cause: errnoText()) }
        let output = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw BenchError(.setup, "cannot create \(target)", cause: errnoText()) }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw BenchError(.setup, "cannot read \(source)", cause: errnoText()) }
            if n == 0 { break }
            try writeAll(output, Array(buffer[0..<n]), path: target)
        }
        try setModified(output, Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9, path: target)
    }

    /// Creates a folder and its parents (no error when it exists).
    static func makeDirectories(_ path: String) throws(BenchError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw BenchError(.setup, "cannot create \(prefix)", cause: errnoText())
            }
        }
    }

    /// The regular files in a folder, sorted by name (names starting with `.` left out).
    static func fileNames(in dir: String) throws(BenchError) -> [String] {
        guard let d = opendir(dir) else { throw BenchError(.setup, "cannot list \(dir)", cause: errnoText()) }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    /// The size of a file in bytes, or nil when it does not exist.
    static func size(of path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_size)
    }

    /// The last OS error as text.
    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
