#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written in 1 MiB chunks, so a batch file of hundreds of megabytes is never held whole.
final class ChunkedFile {
    private let fd: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private let chunk = 1 << 20
    /// Bytes appended so far.
    private(set) var written: Int64 = 0

    /// Creates (or truncates) the file at `path`.
    init(path: String) throws(BenchError) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BenchError(.generation, "cannot create \(path)", cause: FileOutput.errnoText()) }
        self.path = path
        buffer.reserveCapacity(chunk + 64 * 1024)
    }

    deinit { close(fd) }

    /// Appends text, writing a chunk out whenever one is full.
    func append(_ text: String) throws(BenchError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= chunk { try flush() }
    }

    /// Writes what is buffered, then sets the file's modification time.
    func finish(modified: Double) throws(BenchError) {
        try flush()
        try FileOutput.setModified(fd, modified, path: path)
    }

    private func flush() throws(BenchError) {
        try FileOutput.writeAll(fd, buffer, path: path)
        written += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }
}
