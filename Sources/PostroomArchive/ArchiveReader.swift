import CArchive
import Foundation

/// Reads the members of an archive (zip, tar, tar.gz, tar.zst…) through libarchive, one at a time.
public final class ArchiveReader {
    /// What a member is. Only regular files carry data Postroom takes.
    public enum Kind: Sendable, Equatable {
        case regular, directory, symlink, other
    }

    /// One member's header.
    public struct Member: Sendable, Equatable {
        public var name: String
        public var kind: Kind
        /// The declared size (may be unknown, -1, for some zip entries).
        public var size: Int64
    }

    private var a: OpaquePointer?

    /// Opens the archive at `path`; every format and filter libarchive supports is accepted.
    public init(path: String) throws {
        guard let a = archive_read_new() else { throw ArchiveError("archive_read_new failed") }
        self.a = a
        archive_read_support_filter_all(a)
        archive_read_support_format_all(a)
        guard archive_read_open_filename(a, path, 64 * 1024) == ARCHIVE_OK else {
            let err = ArchiveError("cannot open archive", a)
            archive_read_free(a)
            self.a = nil
            throw err
        }
    }

    deinit {
        if let a { archive_read_free(a) }
    }

    /// The next member's header, or nil at the end.
    public func next() throws -> Member? {
        guard let a else { return nil }
        var e: OpaquePointer?
        let rc = archive_read_next_header(a, &e)
        if rc == ARCHIVE_EOF { return nil }
        guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN, let e else { throw ArchiveError("cannot read the archive", a) }
        let name: String
        if let p = archive_entry_pathname_utf8(e) { name = String(cString: p) } else if let p = archive_entry_pathname(e) {
            name = String(decoding: UnsafeRawBufferPointer(start: p, count: strlen(p)), as: UTF8.self)
        } else { name = "" }
        let type = archive_entry_filetype(e) & CArchiveFileTypeMask
        let kind: Kind
        switch type {
        case CArchiveFileTypeRegular: kind = .regular
        case CArchiveFileTypeDirectory: kind = .directory
        case CArchiveFileTypeSymlink: kind = .symlink
        default: kind = archive_entry_hardlink(e) != nil ? .other : (type == 0 ? .regular : .other)
        }
        let size = archive_entry_size_is_set(e) != 0 ? archive_entry_size(e) : -1
        return Member(name: name, kind: kind, size: size)
    }

    /// Reads the current member's data, at most `limit` bytes; throws `tooLarge` past it.
    public func readData(limit: Int64) throws -> [UInt8] {
        guard let a else { return [] }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buf.withUnsafeMutableBytes { archive_read_data(a, $0.baseAddress, $0.count) }
            if n < 0 { throw ArchiveError("cannot read member data", a) }
            if n == 0 { return out }
            if Int64(out.count + n) > limit { throw ArchiveError("member larger than \(limit) bytes") }
            out.append(contentsOf: buf[0..<n])
        }
    }

    /// Moves on to the member named `name` (reading past the ones before it): whether there is one.
    /// Its data is then read with `readChunk` (an original fetched back from a run's archive).
    public func seek(toMember name: String) throws -> Bool {
        while let m = try next() {
            if m.name == name { return true }
        }
        return false
    }

    /// Reads the next piece of the current member's data into `buffer`: the byte count, 0 at its end.
    public func readChunk(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let a else { return 0 }
        let n = archive_read_data(a, buffer.baseAddress, buffer.count)
        if n < 0 { throw ArchiveError("cannot read member data", a) }
        return n
    }

    /// Total compressed bytes read so far (for compression-ratio bounds).
    public var compressedBytesRead: Int64 {
        guard let a else { return 0 }
        return archive_filter_bytes(a, -1)
    }
}
