#if canImport(Glibc)
import Glibc
#endif

/// The measured executables' pages out of the page cache before the runs, so that every program starts as an
/// installed one does. An executable written just before (`make bench` builds Postroom and the floor right before it
/// runs them) stays cached as it was written, and a process mapping it is charged for larger pieces of it: the same
/// Postroom peaked 4 MiB higher on the FHIR load from a fresh copy of its executable (61.0 against 56.8 MiB) until
/// its pages were dropped. The first run of each program then reads what it needs of its executable from the disk.
enum ExecutableCache {
    /// Writes out and drops the cached pages of each file (`fdatasync`, `POSIX_FADV_DONTNEED`); returns the files it
    /// could not (unreadable), which are left as they are.
    static func evict(_ paths: [String]) -> [String] {
        var failed: [String] = []
        for path in paths {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                failed.append(path)
                continue
            }
            defer { close(fd) }
            if fdatasync(fd) != 0 || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0 { failed.append(path) }
        }
        return failed
    }
}
