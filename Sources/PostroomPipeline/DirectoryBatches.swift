import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

@_silgen_name("getdents64")
private func c_getdents64(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int

/// A directory read in large batches with `getdents64(2)`, by one or several threads at once.
///
/// Each `next(into:)` hands the caller the next batch of raw entries (names stay bytes in the
/// caller's buffer: no `String` per entry) and the batch's number, so results gathered by several
/// threads can be put back in directory order. The kernel reads one directory stream under its own
/// position lock; the mutex here only keeps the batch numbers in step with it.
final class DirectoryBatches: Sendable {
    /// The open directory (`O_DIRECTORY`, read only), for `fstatat` of the names it lists.
    let fd: Int32
    private let sequence = Mutex(0)

    init(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("cannot list", path) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Reads the next batch into `buffer`; nil at the end of the directory.
    func next(into buffer: Buffer) throws -> (batch: Int, count: Int)? {
        try sequence.withLock { seq in
            while true {
                let n = c_getdents64(fd, buffer.base, buffer.capacity)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileSystemError("cannot list a directory:", "getdents64", errno: errno)
                }
                if n == 0 { return nil }
                seq += 1
                return (seq, n)
            }
        }
    }

    /// One thread's buffer for batches (`getdents64` fills it with whole records).
    final class Buffer {
        let base: UnsafeMutableRawPointer
        let capacity: Int

        init(capacity: Int = 256 << 10) {
            self.capacity = capacity
            base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        }

        deinit { base.deallocate() }

        /// Calls `body` with each entry of the first `count` bytes, in order (`.` and `..` included).
        func forEach(count: Int, _ body: (Entry) throws -> Void) rethrows {
            var offset = 0
            while offset < count {
                let record = base + offset
                // struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
                let length = Int(record.load(fromByteOffset: 16, as: UInt16.self))
                let name = UnsafePointer((record + 19).assumingMemoryBound(to: CChar.self))
                try body(Entry(name: name, type: record.load(fromByteOffset: 18, as: UInt8.self)))
                offset += length
            }
        }
    }

    /// One raw entry: its NUL-terminated name (valid until the buffer's next batch) and `d_type`.
    struct Entry {
        let name: UnsafePointer<CChar>
        let type: UInt8

        /// `DT_*` values: the kind known without a `stat` (`unknown` when the file system does not say).
        static let unknown: UInt8 = 0, fifo: UInt8 = 1, directory: UInt8 = 4, regular: UInt8 = 8, symlink: UInt8 = 10

        var isDotOrDotDot: Bool {
            name[0] == 0x2E && (name[1] == 0 || (name[1] == 0x2E && name[2] == 0))
        }

        /// The name's bytes, and whether they are all ASCII.
        func bytes() -> (UnsafeBufferPointer<UInt8>, ascii: Bool) {
            let n = strlen(name)
            let raw = UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self)
            var ascii = true
            for i in 0..<n where raw[i] >= 0x80 {
                ascii = false
                break
            }
            return (UnsafeBufferPointer(start: raw, count: n), ascii)
        }
    }
}
