import Foundation
import PostroomCore
import PostroomStore

#if canImport(Glibc)
import Glibc
#endif

/// File-system and store failures as sysexits codes, in one place: 74 (`EX_IOERR`) when something
/// cannot be written or read (disk full, permission denied, read-only file system, I/O error), 75
/// (`EX_TEMPFAIL`) when the database is busy. A run that stops this way has lost nothing: what it
/// did not finish stays in `work/` or the inbox, and the next run finishes it once the cause is fixed.
public enum IOFailure {
    public static func exitCode(for error: any Error) -> Int32? {
        if let code = Store.exitCode(for: error) { return code }
        if let fs = error as? FileSystemError {
            guard let e = fs.code else { return 74 }
            return [ENOSPC, EDQUOT, EACCES, EPERM, EROFS, EIO, ENOTDIR, EISDIR, EEXIST, ENOENT, EXDEV, EMFILE, ENFILE].contains(e) ? 74 : nil
        }
        return nil
    }

    /// The message for an operator: what failed and that nothing is lost.
    public static func message(_ error: any Error) -> String {
        let what = LogRedaction.describe(error)
        return "cannot read or write what it needs (\(what)). Nothing is lost: what this run did not finish stays in work/ "
            + "or the inbox, and the next run finishes it once the cause (a full disk, a permission, a read-only folder) is fixed."
    }
}
