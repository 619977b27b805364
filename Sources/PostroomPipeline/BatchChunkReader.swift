import Foundation
import PostroomCore

/// A streamed batch's messages, read from its file a block at a time, split by `HL7BatchScanner` and handed out
/// `size` at a time (the last chunk may be smaller): what pass 2 settles one transaction at a time.
///
/// Not thread-safe: used by one thread at a time (`ScanAhead`'s helper, or the writer when it has none).
final class BatchChunkReader {
    let path: String
    let size: Int
    private let fd: Int32
    private var scanner: HL7BatchScanner
    private var block: [UInt8]
    /// Messages split off and not handed out yet.
    private var scanned: [[UInt8]] = []
    private var atEnd = false

    init(path: String, terminator: HL7Segmenter.Terminator?, size: Int, blockSize: Int = 1 << 20) throws {
        precondition(size > 0 && blockSize > 0)
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("cannot open", path) }
        self.fd = fd
        self.path = path
        self.size = size
        scanner = HL7BatchScanner(terminator: terminator)
        block = [UInt8](repeating: 0, count: blockSize)
    }

    deinit { close(fd) }

    /// The next `size` messages (fewer at the end of the file), or nil when every message was handed out.
    func next() throws -> [[UInt8]]? {
        while scanned.count < size && !atEnd {
            let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileSystemError("cannot read", path)
            }
            if n == 0 {
                scanned += scanner.finish()
                atEnd = true
            } else {
                scanned += block.withUnsafeBytes { scanner.push(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            }
        }
        guard !scanned.isEmpty else { return nil }
        guard scanned.count > size else {
            defer { scanned = [] }
            return scanned
        }
        let chunk = Array(scanned[0..<size])
        scanned.removeFirst(size)
        return chunk
    }
}
