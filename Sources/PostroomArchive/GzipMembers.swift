import CDeflate
import Foundation

/// A gzip file written as a series of members (RFC 1952 §2.2), each compressing the next
/// `memberInput` bytes of the stream with libdeflate, whose levels follow zlib's: at level 6, in about
/// 60% of zlib's time and a little smaller (PERFORMANCE.md). Every gzip reader — gzip, GNU tar,
/// libarchive, Python's `tarfile` — reads consecutive members as one stream.
///
/// Not thread-safe: one writer per file, used from one thread at a time.
final class GzipMembers {
    /// Uncompressed bytes per member: large enough that the window restarting at each member costs
    /// ~3% of the compressed size, small enough that its buffers stay ~0.5 MiB.
    static let memberInput = 256 << 10

    private let fd: Int32
    private let compressor: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var closed = false
    /// The first failure, described (libarchive only learns that a callback failed).
    private(set) var failure: ArchiveError?

    /// Creates (or truncates) the file at `path`. Levels are zlib's, 1–9 (above 9 is 9, as zlib
    /// through libarchive had it; libdeflate's 10–12 are far slower).
    init(path: String, level: Int) throws {
        guard let c = libdeflate_alloc_compressor(Int32(max(1, min(9, level)))) else {
            throw ArchiveError("cannot set up gzip compression at level \(level)")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            libdeflate_free_compressor(c)
            throw ArchiveError("cannot create archive \(path)", redacted: "cannot create an archive file")
        }
        self.fd = fd
        compressor = c
        input = .allocate(byteCount: Self.memberInput, alignment: 16)
        output = .allocate(byteCount: libdeflate_gzip_compress_bound(c, Self.memberInput), alignment: 16)
    }

    deinit {
        if !closed { Foundation.close(fd) }
        libdeflate_free_compressor(compressor)
        input.deallocate()
        output.deallocate()
    }

    /// Takes the next bytes of the stream; a full member is compressed and written.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = min(bytes.count - offset, input.count - filled)
            UnsafeMutableRawBufferPointer(rebasing: input[filled..<(filled + n)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]))
            filled += n
            offset += n
            if filled == input.count { try flushMember() }
        }
    }

    /// Writes the last member and makes the file durable (fsync); the file is then closed.
    func finish() throws {
        guard !closed else { return }
        try flushMember()
        guard fsync(fd) == 0 else { throw note(ArchiveError("fsync of an archive failed")) }
        closed = true
        guard Foundation.close(fd) == 0 else { throw note(ArchiveError("closing an archive failed")) }
    }

    private func flushMember() throws {
        guard filled > 0 else { return }
        let size = libdeflate_gzip_compress(compressor, input.baseAddress, filled, output.baseAddress, output.count)
        guard size > 0 else { throw note(ArchiveError("gzip compression failed")) }
        var written = 0
        while written < size {
            let n = Foundation.write(fd, output.baseAddress! + written, size - written)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw note(ArchiveError("cannot write archive data (errno \(errno))")) }
            written += n
        }
        filled = 0
    }

    private func note(_ e: ArchiveError) -> ArchiveError {
        if failure == nil { failure = e }
        return e
    }
}
