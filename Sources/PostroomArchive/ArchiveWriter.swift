import CArchive
import Foundation
import PostroomCore

/// An error from libarchive, with its message.
public struct ArchiveError: Error, CustomStringConvertible, LogRedactable, Sendable {
    public var description: String
    /// Without member or file names (libarchive's own text may quote them): what a log may show.
    public var logSafeDescription: String
    init(_ what: String, _ a: OpaquePointer?, redacted: String? = nil) {
        let detail = a.flatMap { archive_error_string($0) }.map { String(cString: $0) } ?? "unknown error"
        description = "\(what): \(detail)"
        logSafeDescription = redacted ?? what
    }
    public init(_ what: String, redacted: String? = nil) {
        description = what
        logSafeDescription = redacted ?? what
    }
}

/// Writes a tar archive (gzip or zstd compressed) through libarchive, member by member; gzip as
/// members compressed by libdeflate (`GzipMembers`), zstd by libarchive's own filter.
///
/// Not thread-safe: one writer per archive, used from one thread at a time.
public final class ArchiveWriter {
    private var a: OpaquePointer?
    private let entry: OpaquePointer
    public let path: String
    public private(set) var memberCount = 0
    /// Where libarchive's tar goes when the archive is gzip compressed.
    private let gzip: GzipMembers?

    /// Creates the archive file at `path` (truncating it).
    public init(path: String, compression: ArchiveCompression) throws {
        self.path = path
        // First, so that its failure has nothing of libarchive's to free.
        if case .gzip(let level) = compression {
            gzip = try GzipMembers(path: path, level: level)
        } else {
            gzip = nil
        }
        guard let a = archive_write_new() else { throw ArchiveError("archive_write_new failed") }
        self.a = a
        guard let e = archive_entry_new() else {
            archive_write_free(a)
            throw ArchiveError("archive_entry_new failed")
        }
        entry = e
        archive_write_set_format_pax_restricted(a)
        switch compression {
        case .gzip:
            break  // `gzip` above
        case .zstd(let level):
            guard archive_write_add_filter_zstd(a) == ARCHIVE_OK else {
                throw ArchiveError("zstd compression is not available", a)
            }
            archive_write_set_filter_option(a, "zstd", "compression-level", String(level))
        case .none:
            break
        }
        // Bigger blocks: fewer write(2) calls.
        archive_write_set_bytes_per_block(a, 64 * 1024)
        guard openOutput(a, path: path) == ARCHIVE_OK else {
            let err = ArchiveError("cannot create archive \(path)", a)
            archive_write_free(a)
            self.a = nil
            archive_entry_free(e)
            throw err
        }
    }

    deinit {
        if let a { archive_write_free(a) }
        archive_entry_free(entry)
    }

    /// Opens the archive's output: the file itself, or (gzip) the members written by `gzip`, handed
    /// the tar as libarchive makes it (the last block not padded: the tar's own end marks it).
    private func openOutput(_ a: OpaquePointer, path: String) -> Int32 {
        guard let gzip else { return archive_write_open_filename(a, path) }
        archive_write_set_bytes_in_last_block(a, 1)
        return archive_write_open2(a, Unmanaged.passUnretained(gzip).toOpaque(), nil, { _, client, buffer, length in
            guard let client, let buffer else { return -1 }
            let sink = Unmanaged<GzipMembers>.fromOpaque(client).takeUnretainedValue()
            do {
                try sink.write(UnsafeRawBufferPointer(start: buffer, count: length))
                return length
            } catch {
                return -1
            }
        }, nil, nil)
    }

    /// Adds a regular file member holding `bytes`.
    public func add(name: String, bytes: UnsafeRawBufferPointer, modified: Date) throws {
        try header(name: name, size: Int64(bytes.count), modified: modified)
        if bytes.count > 0 {
            try writeAll(bytes)
        }
        memberCount += 1
    }

    /// Adds a regular file member holding `bytes`.
    public func add(name: String, bytes: [UInt8], modified: Date) throws {
        try bytes.withUnsafeBytes { try add(name: name, bytes: $0, modified: modified) }
    }

    /// Bytes read from a file at a time by `add(name:contentsOf:…)`, into one buffer: a huge member
    /// costs this much memory beside the compressor's own (a large drop is compressed while its
    /// messages are settled, so this adds to that peak).
    static let readChunk = 128 << 10

    /// Adds a regular file member by streaming the file at `path` (bounded memory for huge files).
    /// `cancelled` is asked between reads: once it says so, the member is abandoned with an error (the
    /// archive is then unusable, to be discarded).
    public func add(name: String, contentsOf filePath: String, size: Int64, modified: Date, cancelled: (() -> Bool)? = nil) throws {
        let unreadable = ArchiveError("cannot read \(filePath)", redacted: "cannot read \(LogRedaction.path(filePath))")
        let fd = open(filePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw unreadable }
        defer { Foundation.close(fd) }
        try header(name: name, size: size, modified: modified)
        var buffer = [UInt8](repeating: 0, count: Self.readChunk)
        var remaining = size
        while remaining > 0 {
            if let cancelled, cancelled() { throw ArchiveError("adding \(name) was cancelled", redacted: "adding a member was cancelled") }
            let want = Int(min(remaining, Int64(buffer.count)))
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw unreadable }
            if n == 0 { throw ArchiveError("\(filePath) is shorter than expected", redacted: "\(LogRedaction.path(filePath)) is shorter than expected") }
            try buffer.withUnsafeBytes { try writeAll(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            remaining -= Int64(n)
        }
        memberCount += 1
    }

    private func header(name: String, size: Int64, modified: Date) throws {
        guard let a else { throw ArchiveError("archive already closed") }
        archive_entry_clear(entry)
        archive_entry_set_pathname_utf8(entry, name)
        archive_entry_set_size(entry, size)
        archive_entry_set_filetype(entry, CArchiveFileTypeRegular)
        archive_entry_set_perm(entry, 0o644)
        let t = modified.timeIntervalSince1970
        archive_entry_set_mtime(entry, time_t(t), Int(t.truncatingRemainder(dividingBy: 1) * 1e9))
        guard archive_write_header(a, entry) == ARCHIVE_OK else { throw ArchiveError("cannot add \(name)", a, redacted: "cannot add \(LogRedaction.path(name))") }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard let a else { throw ArchiveError("archive already closed") }
        var offset = 0
        while offset < bytes.count {
            let n = archive_write_data(a, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 { throw gzip?.failure ?? ArchiveError("cannot write archive data", a) }
            offset += n
        }
    }

    /// Finishes the archive and flushes it to disk (fsync).
    public func close() throws {
        guard let a else { return }
        let rc = archive_write_close(a)
        let err = rc == ARCHIVE_OK ? nil : gzip?.failure ?? ArchiveError("cannot finish archive \(path)", a)
        archive_write_free(a)
        self.a = nil
        if let err { throw err }
        if let gzip { return try gzip.finish() }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ArchiveError("cannot reopen \(path) to sync it") }
        defer { Foundation.close(fd) }
        guard fsync(fd) == 0 else { throw ArchiveError("fsync of \(path) failed") }
    }
}
