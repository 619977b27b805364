import PostroomCore

/// A streamed batch's messages, read from its file a block at a time, split by `HL7BatchScanner` and handed out
/// `size` at a time (the last chunk may be smaller): what pass 2 settles one transaction at a time.
///
/// Not thread-safe: used by one thread at a time (`ScanAhead`'s helper, or the writer when it has none).
final class BatchChunkReader {
    let size: Int
    private let blocks: FileBlockReader
    private var scanner: HL7BatchScanner
    /// Messages split off and not handed out yet.
    private var scanned: [[UInt8]] = []
    private var atEnd = false

    init(path: String, terminator: HL7Segmenter.Terminator?, size: Int, blockSize: Int = 1 << 20) throws {
        precondition(size > 0)
        blocks = try FileBlockReader(path: path, blockSize: blockSize)
        self.size = size
        scanner = HL7BatchScanner(terminator: terminator)
    }

    /// The next `size` messages (fewer at the end of the file), or nil when every message was handed out.
    func next() throws -> [[UInt8]]? {
        while scanned.count < size && !atEnd {
            let more = try blocks.next { scanned += scanner.push($0) }
            if !more {
                scanned += scanner.finish()
                atEnd = true
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
