import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Releases the pages of the executable's code that starting touched, once the work is about to begin.
///
/// `postroom` is one static executable of ~50 MB of code and read-only data (the Swift runtime and
/// standard library, Foundation, the server, GRDB, the PostgreSQL client). Parsing the arguments and the
/// configuration, opening and migrating the store and Swift's first protocol lookups touch code all over
/// it, and the kernel maps each touched page with its neighbours (fault-around, 64 KiB): ~8 MiB of
/// the process's resident set was code that the run never used again, and which pages those were moved
/// by megabytes from one build to the next as the code's layout changed. Dropping the mapping's resident
/// pages (`MADV_DONTNEED` on the executable's `r-xp` mapping only: clean, file-backed, never written)
/// leaves them in the page cache; the code the run uses comes back on a minor fault. Writable and
/// relocated mappings are left alone (dropping them would lose their contents). `run` and `watch` call it
/// once the pipeline is open, before the first drop.
public enum StartupCode {
    /// Drops the resident pages of the executable's code mappings; returns how many mappings it released.
    @discardableResult
    public static func release() -> Int {
        #if os(Linux)
        guard let exe = executablePath(), let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return 0 }
        var released = 0
        for line in maps.split(separator: "\n") {
            guard let (start, end) = codeRange(line, of: exe),
                  madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_DONTNEED) == 0 else { continue }
            released += 1
        }
        return released
        #else
        return 0
        #endif
    }

    /// The address range of a `/proc/self/maps` line when it maps `exe` readable and executable, private.
    static func codeRange(_ line: Substring, of exe: String) -> (UInt, UInt)? {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count == 6, fields[1] == "r-xp", fields[5].trimmingPrefix(while: { $0 == " " }) == exe else { return nil }
        let bounds = fields[0].split(separator: "-")
        guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16), start < end else { return nil }
        return (start, end)
    }

    /// The running executable's path as `/proc/self/maps` names it.
    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
