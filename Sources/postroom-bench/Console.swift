#if canImport(Glibc)
import Glibc
#endif

/// Progress lines on standard error (standard output carries the table only).
enum Console {
    /// Prints one progress line to standard error.
    static func note(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(2, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
