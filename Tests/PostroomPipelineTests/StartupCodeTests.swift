import Foundation
import Testing
@testable import PostroomPipeline

/// Releasing the start-up code (`StartupCode`): only the executable's own `r-xp` mapping is dropped (a
/// writable or relocated mapping would lose its contents), and dropping it does empty its resident set.
@Suite struct StartupCodeTests {
    static let exe = "/opt/postroom/bin/postroom"

    @Test func onlyTheExecutablesCodeMappingIsReleased() {
        let code = "5629953be000-56299839b000 r-xp 00000000 07:01 1234567                    /opt/postroom/bin/postroom"
        #expect(StartupCode.codeRange(code[...], of: Self.exe)! == (0x5629953be000, 0x56299839b000))
        for other in [
            "56299839c000-5629984d5000 r--p 02fdd000 07:01 1234567                    /opt/postroom/bin/postroom",
            "5629984d5000-56299aab2000 rw-p 03115000 07:01 1234567                    /opt/postroom/bin/postroom",
            "5629953be000-56299839b000 r-xs 00000000 07:01 1234567                    /opt/postroom/bin/postroom",
            "7f1c2a000000-7f1c2a200000 r-xp 00000000 07:01 7654321                    /usr/lib/x86_64-linux-gnu/libc.so.6",
            "5629953be000-56299839b000 r-xp 00000000 07:01 1234567                    /opt/postroom/bin/postroom (deleted)",
            "5629953be000-56299839b000 r-xp 00000000 07:01 1234567                    /opt/postroom/bin/postroom-bench",
            "7ffd5a9e4000-7ffd5a9e6000 r-xp 00000000 00:00 0                          [vdso]",
            "7f1c2a000000-7f1c2a200000 r-xp 00000000 00:00 0 ",
            "56299839b000-5629953be000 r-xp 00000000 07:01 1234567                    /opt/postroom/bin/postroom",
        ] {
            #expect(StartupCode.codeRange(other[...], of: Self.exe) == nil, "\(other)")
        }
        let spaced = "5629953be000-56299839b000 r-xp 00000000 07:01 1234567                    /opt/post room/postroom"
        #expect(StartupCode.codeRange(spaced[...], of: "/opt/post room/postroom") != nil)
    }

    /// This test process's own code: resident before, released, and running on afterwards.
    @Test func releasingEmptiesTheCodeMappingsResidentSet() throws {
        #if os(Linux)
        let exe = try #require(StartupCode.executablePath())
        let before = try Self.codeResidentKiB(of: exe)
        #expect(before > 0)
        #expect(StartupCode.release() >= 1)
        let after = try Self.codeResidentKiB(of: exe)
        #expect(after < before, "resident KiB of the code mapping: \(before) before, \(after) after")
        #endif
    }

    /// The `Rss` of the executable's `r-xp` mappings in `/proc/self/smaps`, in KiB.
    static func codeResidentKiB(of exe: String) throws -> Int {
        let smaps = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        var inCode = false, total = 0
        for line in smaps.split(separator: "\n") {
            if isMappingHeader(line) {
                inCode = StartupCode.codeRange(line, of: exe) != nil
            } else if inCode, line.hasPrefix("Rss:") {
                total += Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
            }
        }
        return total
    }

    /// A line that starts a mapping in `smaps` (`start-end perms …`), not one of its `Name: value` lines.
    static func isMappingHeader(_ line: Substring) -> Bool {
        guard let range = line.split(separator: " ").first else { return false }
        let bounds = range.split(separator: "-")
        return bounds.count == 2 && bounds.allSatisfy { UInt($0, radix: 16) != nil }
    }
}
