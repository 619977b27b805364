import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Files written without a name until they are complete and durable (Linux `O_TMPFILE`), then
/// given their name with one `linkat`: no temporary directory entry to create and rename away per
/// acknowledgement. Where the file system cannot (`EOPNOTSUPP`, `EISDIR`, `EINVAL`), the caller
/// falls back to a named temporary file and `rename`.
enum AnonymousFile {
    /// `O_TMPFILE` as Linux defines it (`__O_TMPFILE | O_DIRECTORY`); Glibc does not export it to Swift.
    static let openFlag: Int32 = 0o20000000 | O_DIRECTORY

    /// Whether unnamed files can be named here: `linkat` goes through `/proc/self/fd`, which a
    /// container without `/proc` lacks (then every file takes the named-temp path).
    static let available: Bool = access("/proc/self/fd", F_OK) == 0

    /// An unnamed file in `directory` holding `bytes`, open for linking; nil when the file system
    /// has no `O_TMPFILE` (or `/proc` is missing).
    static func write(_ bytes: [UInt8], in directory: String) throws -> Int32? {
        guard available else { return nil }
        let fd = open(directory, openFlag | O_WRONLY | O_CLOEXEC, 0o644)
        if fd < 0 {
            if errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL { return nil }
            throw FileSystemError("cannot create a file in", directory)
        }
        do {
            try bytes.withUnsafeBytes { try FileSystem.writeAll($0, to: fd, path: directory) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Gives the unnamed file `fd` the name `target` and closes it. A target that exists already
    /// (an acknowledgement placed again by recovery) is replaced atomically through a named
    /// temporary link and `rename`, as before.
    static func publish(_ fd: Int32, as target: String, temp: String) throws {
        defer { close(fd) }
        let source = "/proc/self/fd/\(fd)"
        if linkat(AT_FDCWD, source, AT_FDCWD, target, AT_SYMLINK_FOLLOW) == 0 { return }
        guard errno == EEXIST else { throw FileSystemError("cannot name", target) }
        try? FileSystem.remove(temp)
        guard linkat(AT_FDCWD, source, AT_FDCWD, temp, AT_SYMLINK_FOLLOW) == 0 else { throw FileSystemError("cannot name", temp) }
        try FileSystem.rename(temp, target)
    }
}
