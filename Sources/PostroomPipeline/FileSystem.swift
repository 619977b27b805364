import Foundation
import PostroomCore

#if canImport(Glibc)
import Glibc
#else
// The pipeline's durability rests on Linux calls (syncfs(2), O_TMPFILE + linkat via /proc/self/fd,
// flock) through Glibc; Package.swift claims no other platform. A port starts in this file.
#error("Postroom builds on Linux only: see the note at the top of Package.swift")
#endif

@_silgen_name("syncfs")
private func c_syncfs(_ fd: Int32) -> Int32

/// An I/O failure, naming the path and the system's reason.
public struct FileSystemError: Error, CustomStringConvertible, LogRedactable, Sendable {
    public var description: String
    /// The same with the file's name replaced by a hash of it (what a log may show).
    public var logSafeDescription: String
    /// The system's error number, when the failure came from a system call.
    public var code: Int32?
    init(_ what: String, _ path: String, to target: String? = nil, errno e: Int32 = errno) {
        let reason = String(cString: strerror(e))
        description = "\(what) \(path)" + (target.map { " to \($0)" } ?? "") + ": \(reason)"
        logSafeDescription = "\(what) \(LogRedaction.path(path))" + (target.map { " to \(LogRedaction.path($0))" } ?? "") + ": \(reason)"
        code = e
    }
    /// A failure that is not a system call's: its text built around the path, once as is and once redacted.
    init(path: String, _ text: (String) -> String) {
        description = text(path)
        logSafeDescription = text(LogRedaction.path(path))
    }
    init(_ description: String) {
        self.description = description
        logSafeDescription = description
    }
}

/// Thin POSIX helpers: no symlink following, atomic renames, grouped durability.
public enum FileSystem {
    /// What `lstat` says about a path (never follows symlinks).
    public struct Status: Equatable, Sendable {
        public enum Kind: Sendable { case regular, directory, symlink, fifo, other }
        public var kind: Kind
        public var size: Int64
        public var mtime: timespec
        public var ctime: timespec
        public var device: UInt64

        public static func == (a: Status, b: Status) -> Bool {
            a.kind == b.kind && a.size == b.size && a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec
                && a.ctime.tv_sec == b.ctime.tv_sec && a.ctime.tv_nsec == b.ctime.tv_nsec && a.device == b.device
        }

        /// mtime as seconds since the epoch.
        public var modified: Double { Double(mtime.tv_sec) + Double(mtime.tv_nsec) / 1e9 }
        /// ctime as seconds since the epoch: for a claimed file, when the claim's rename moved it into `work/`.
        public var changed: Double { Double(ctime.tv_sec) + Double(ctime.tv_nsec) / 1e9 }
    }

    /// `lstat(2)`: nil when the path does not exist.
    public static func status(_ path: String) -> Status? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return status(st)
    }

    /// `fstatat(2)` of a name in an open directory, without following a symlink (no path walk:
    /// what makes a scan of a million-entry inbox take seconds rather than many).
    public static func status(in directory: Int32, name: String) -> Status? {
        var st = stat()
        guard fstatat(directory, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return status(st)
    }

    /// The same for a raw NUL-terminated name (a directory batch's, without a `String`).
    static func status(in directory: Int32, name: UnsafePointer<CChar>) -> Status? {
        var st = stat()
        guard fstatat(directory, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return status(st)
    }

    private static func status(_ st: stat) -> Status {
        let kind: Status.Kind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        case S_IFIFO: kind = .fifo
        default: kind = .other
        }
        return Status(kind: kind, size: Int64(st.st_size), mtime: st.st_mtim, ctime: st.st_ctim, device: UInt64(st.st_dev))
    }

    /// Creates a directory and its parents.
    public static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FileSystemError("cannot create directory \(path): \(error.localizedDescription)")
        }
    }

    /// `rename(2)`: atomic within one file system.
    public static func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw FileSystemError("cannot rename", from, to: to) }
    }

    /// Removes a file; a missing file is not an error.
    public static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw FileSystemError("cannot remove", path) }
    }

    /// Reads a whole regular file, refusing (without reading) anything larger than `limit`.
    public static func read(_ path: String, limit: Int64) throws -> [UInt8] {
        try readRegular(path) { st, path in
            guard Int64(st.st_size) <= limit else { throw FileSystemError(path: path) { "\($0) is larger than \(limit) bytes" } }
            return true
        }.bytes ?? []
    }

    /// Reads a whole regular file if it is at most `limit` bytes, with what its one `fstat(2)` said: the
    /// claimed file's size, time and contents from one open (nil bytes when larger: nothing read).
    static func read(_ path: String, ifAtMost limit: Int64) throws -> (bytes: [UInt8]?, status: Status) {
        try readRegular(path) { st, _ in Int64(st.st_size) <= limit }
    }

    /// Opens a regular file (no symlink followed), `fstat`s it and reads it whole when `shouldRead` says so.
    private static func readRegular(_ path: String, _ shouldRead: (stat, String) throws -> Bool) throws -> (bytes: [UInt8]?, status: Status) {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw FileSystemError("cannot open", path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileSystemError("cannot stat", path) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw FileSystemError(path: path) { "not a regular file: \($0)" } }
        guard try shouldRead(st, path) else { return (nil, status(st)) }
        var out = [UInt8](repeating: 0, count: Int(st.st_size))
        var off = 0
        while off < out.count {
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + off, $0.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("cannot read", path)
            }
            if n == 0 { break }
            off += n
        }
        if off < out.count { out.removeLast(out.count - off) }
        return (out, status(st))
    }

    /// Writes `bytes` to a new file (truncating), without syncing.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw FileSystemError("cannot create", path) }
        defer { close(fd) }
        try bytes.withUnsafeBytes { try writeAll($0, to: fd, path: path) }
    }

    /// Writes all of `bytes` to `fd` (short writes and EINTR retried); `path` names it in errors.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("cannot write", path)
            }
            off += n
        }
    }

    /// `fsync(2)` of a file or directory.
    public static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("cannot open for sync", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileSystemError("fsync failed", path) }
    }

    /// Flushes the whole file system holding `path` (`syncfs(2)`): one call for a group of files.
    public static func syncFileSystem(of path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("cannot open for sync", path) }
        defer { close(fd) }
        guard c_syncfs(fd) == 0 else { throw FileSystemError("syncfs failed", path) }
    }

    /// Writes a group of files durably and atomically: each to a temp name, one `syncfs` per file
    /// system involved, then rename into place and one `fsync` per directory. A reader never sees a
    /// partial file, and once this returns every file survives a crash.
    ///
    /// - Parameters:
    ///   - copies: existing files placed the same way under new names (a hard link, or a copy across
    ///     file systems, to the temp name), in the same sync.
    ///   - durableFirst: paths (e.g. the database) whose file systems are synced too before
    ///     the renames, so what the files announce is on disk before they appear.
    public static func writeAtomically(_ files: [(directory: String, name: String, bytes: [UInt8])],
                                       copies: [(source: String, directory: String, name: String)] = [],
                                       durableFirst: [String] = []) throws {
        guard !files.isEmpty || !copies.isEmpty else { return }
        var temps: [(String, String)] = []
        var unnamed: [(fd: Int32, target: String, temp: String)] = []
        var named = 0  // unnamed files given their name (and closed) so far; the rest are closed here
        defer { for u in unnamed[named...] { close(u.fd) } }
        for f in files {
            let tmp = f.directory + "/." + f.name + ".tmp"
            if let fd = try AnonymousFile.write(f.bytes, in: f.directory) {
                unnamed.append((fd, f.directory + "/" + f.name, tmp))
                continue
            }
            try write(f.bytes, to: tmp)
            temps.append((tmp, f.directory + "/" + f.name))
        }
        for c in copies {
            let tmp = c.directory + "/." + c.name + ".tmp"
            try? remove(tmp)
            if link(c.source, tmp) != 0 {
                try copyFile(c.source, to: tmp)
            }
            temps.append((tmp, c.directory + "/" + c.name))
        }
        try publish(temps, directories: Set(files.map(\.directory) + copies.map(\.directory)), durableFirst: durableFirst) {
            while named < unnamed.count {
                let u = unnamed[named]
                named += 1
                try AnonymousFile.publish(u.fd, as: u.target, temp: u.temp)
            }
        }
    }

    /// The second half of an atomic, durable write: one `syncfs` per file system involved (the
    /// target directories and `durableFirst`), then each temp file renamed into place and each
    /// directory synced.
    static func publish(_ temps: [(temp: String, target: String)], directories: Set<String>, durableFirst: [String],
                        naming: () throws -> Void = {}) throws {
        var synced: Set<UInt64> = []
        for path in Array(directories) + durableFirst {
            guard let dev = status(path)?.device, synced.insert(dev).inserted else { continue }
            try syncFileSystem(of: path)
        }
        for (tmp, dst) in temps { try rename(tmp, dst) }
        try naming()
        for dir in directories { try sync(dir) }
    }

    /// Lists a directory's entry names (no `.`/`..`), streaming: `body` returns false to stop.
    public static func forEachEntry(in dir: String, _ body: (String) throws -> Bool) throws {
        try forEachEntry(in: dir) { name, _ in try body(name) }
    }

    /// The same, also handing over the open directory's descriptor (for `status(in:name:)`).
    public static func forEachEntry(in dir: String, _ body: (String, Int32) throws -> Bool) throws {
        guard let d = opendir(dir) else { throw FileSystemError("cannot list", dir) }
        defer { closedir(d) }
        let fd = dirfd(d)
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) { p in
                p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            if try !body(name, fd) { return }
        }
    }
}

extension FileSystem {
    /// Reads a file in chunks of `chunkSize` bytes without holding it, calling `body` with each.
    static func forEachChunk(of path: String, chunkSize: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let blocks = try FileBlockReader(path: path, blockSize: chunkSize)
        while try blocks.next(body) {}
    }

    /// Copies a file by chunks.
    static func copyFile(_ source: String, to target: String) throws {
        let out = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard out >= 0 else { throw FileSystemError("cannot create", target) }
        defer { close(out) }
        try forEachChunk(of: source) { chunk in try writeAll(chunk, to: out, path: target) }
    }
}

/// A file read a block at a time into one buffer, without holding the file: `forEachChunk`, and a
/// streamed batch's chunks (`BatchChunkReader`), which read a block only when they need one.
final class FileBlockReader {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8]

    init(path: String, blockSize: Int = 1 << 20) throws {
        precondition(blockSize > 0)
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("cannot open", path) }
        self.fd = fd
        self.path = path
        buffer = [UInt8](repeating: 0, count: blockSize)
    }

    deinit { close(fd) }

    /// Reads the next block and calls `body` with it; false (and no call) at the end of the file.
    func next(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("cannot read", path)
            }
            if n == 0 { return false }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            return true
        }
    }
}

/// An append-only file written with a buffer (a streamed acknowledgement).
final class BufferedFileWriter {
    private let fd: Int32
    private var buffer: [UInt8] = []
    let path: String

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw FileSystemError("cannot create", path) }
        buffer.reserveCapacity(1 << 20)
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        try buffer.withUnsafeBytes { try FileSystem.writeAll($0, to: fd, path: path) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and fsyncs.
    func finish() throws {
        try flush()
        guard fsync(fd) == 0 else { throw FileSystemError("fsync failed", path) }
    }
}
