import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One writer per data folder: an exclusive `flock` on `postroom.lock`.
///
/// The kernel drops the lock when the holding process dies, so a stale lock file left by a
/// crash never blocks the next run.
public final class DataFolderLock: Sendable {
    /// Raised when another process holds the lock (exit code 75).
    public struct Busy: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var holder: String?
        public var description: String {
            "another postroom process holds \(path)" + (holder.map { " (pid \($0))" } ?? "") + "; try again when it has finished"
        }
    }

    /// The lock file's descriptor; -1 once released.
    private let fd: Atomic<Int32>
    public let path: String

    /// Takes the lock or throws `Busy` at once (never waits).
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        self.fd = Atomic(fd)
        guard fd >= 0 else { throw FileSystemError("cannot open the lock file", path) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            var buf = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buf, 32, 0)
            close(fd)
            self.fd.store(-1, ordering: .sequentiallyConsistent)
            if e == EWOULDBLOCK {
                let holder = n > 0 ? String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
                throw Busy(path: path, holder: holder)
            }
            throw FileSystemError("cannot lock", path, errno: e)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
    }

    /// Releases the lock.
    public func release() {
        let fd = self.fd.exchange(-1, ordering: .sequentiallyConsistent)
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }

    deinit { release() }
}
