import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PostroomCore
import Testing

@Suite struct CommandLineTests {
    @Test func validateChecksAFileAsTheNamedChannelWould() throws {
        let ws = try Workspace()
        let cda = repositoryRoot + "/inbox-sample/lab-results/03-chest-x-ray-report.cda.xml"
        #expect(try ws.postroom(["validate", cda]).code == 0)
        let asReferrals = try ws.postroom(["validate", "--config", ws.config, "--channel", "referrals", cda])
        #expect(asReferrals.code == 65 && asReferrals.stdout.contains("format-not-accepted"), "\(asReferrals.stdout)")
        #expect(try ws.postroom(["validate", "--config", ws.config, "--channel", "lab-results", cda]).code == 0)
        #expect(try ws.postroom(["validate", "--config", ws.config, "--channel", "nope", cda]).code == 64)
    }

    /// The executable's malloc is jemalloc's with the options of Sources/PostroomAllocator/allocator.c:
    /// jemalloc prints the options it runs with at exit when asked (`stats_print`; its general section
    /// only, a few KiB). Whole lines: jemalloc's defaults differ from each (narenas 4 × CPUs, dirty
    /// pages kept 10,000 ms, 200 small objects per thread) except muzzy_decay_ms, 0 in 5.3 already.
    @Test func theExecutableAllocatesThroughJemallocWithItsOptions() throws {
        let ws = try Workspace()
        let cda = repositoryRoot + "/inbox-sample/lab-results/03-chest-x-ray-report.cda.xml"
        let r = try ws.postroom(["validate", cda], environment: ["MALLOC_CONF": "stats_print:true,stats_print_opts:mdablxe"])
        #expect(r.code == 0)
        #expect(r.stderr.contains("Begin jemalloc statistics"), "\(r.stderr.prefix(300))")
        let lines = Set(r.stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for option in ["opt.narenas: 1", "opt.dirty_decay_ms: 100 (arenas.dirty_decay_ms: 100)",
                       "opt.muzzy_decay_ms: 0 (arenas.muzzy_decay_ms: 0)", "opt.tcache_nslots_small_max: 32"] {
            #expect(lines.contains(option), "\(option)")
        }
    }

    @Test func aBadConfigurationExits78NamingTheKey() throws {
        let ws = try Workspace()
        let text = try String(contentsOfFile: ws.config, encoding: .utf8)
        try text.replacingOccurrences(of: "\"mode\": \"rename\"", with: "\"mode\": \"sometimes\"").write(toFile: ws.config, atomically: true, encoding: .utf8)
        let r = try ws.run()
        #expect(r.code == 78)
        #expect(r.stderr.contains("channels[0].completion.mode"))
    }

    @Test func anUnknownKeyIsAConfigurationError() throws {
        let ws = try Workspace()
        let text = try String(contentsOfFile: ws.config, encoding: .utf8)
        try text.replacingOccurrences(of: "\"groupSize\"", with: "\"grupSize\"").write(toFile: ws.config, atomically: true, encoding: .utf8)
        let r = try ws.run()
        #expect(r.code == 78)
        #expect(r.stderr.contains("grupSize"))
    }

    @Test func aSecondRunWhileTheLockIsHeldExits75() throws {
        let ws = try Workspace()
        try FileManager.default.createDirectory(atPath: ws.data, withIntermediateDirectories: true)
        // Hold the lock from this (test) process, as another postroom would.
        let fd = open(ws.data + "/postroom.lock", O_RDWR | O_CREAT, 0o644)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        let r = try ws.run()
        #expect(r.code == 75)
        #expect(r.stderr.contains("another postroom process"))
    }

    @Test func aStaleLockFileFromADeadProcessDoesNotBlock() throws {
        let ws = try Workspace()
        try FileManager.default.createDirectory(atPath: ws.data, withIntermediateDirectories: true)
        try "999999\n".write(toFile: ws.data + "/postroom.lock", atomically: true, encoding: .utf8)
        let r = try ws.run()
        #expect(r.code == 0)
    }

    @Test func runWithoutOnceIsAUsageError() throws {
        let ws = try Workspace()
        let r = try ws.postroom(["run", "--config", ws.config])
        #expect(r.code == 64)
    }

    @Test func statusAndShowDescribeWhatHappened() throws {
        let ws = try Workspace()
        try ws.dropSample()
        _ = try ws.run()
        let status = try ws.postroom(["status", "--config", ws.config, "--json"])
        #expect(status.code == 0)
        let s = try json(Array(status.stdout.utf8))
        #expect(s["tasks"]?["completed"] == .number("5"))  // three orders, the prescription, the sample referral's booking sub-task
        #expect(s["reports"]?["held"] == .number("1"))
        let store = try ws.store()
        let drop = try #require(try store.read { try $0.drops(channel: "lab-results") }.first { $0.name.hasPrefix("01-oru") })
        let show = try ws.postroom(["show", drop.id, "--config", ws.config])
        #expect(show.code == 0)
        #expect(show.stdout.contains("in-progress → completed"))
        #expect(show.stdout.contains("linked to ServiceRequest/"))
    }

    @Test func validateStoresNothingAndReportsIssues() throws {
        let ws = try Workspace()
        let file = ws.root + "/bad.hl7"
        try Data("MSH|^~\\&|A|B|C|D|20260101||ORM^O01^ORM_O01|X1|P|2.5.1\rPID|1||9990000019^^^NHS^NH\rORC|NW|1^A\rOBR|1|1^A||X^Y^L\r".utf8)
            .write(to: URL(fileURLWithPath: file))
        let r = try ws.postroom(["validate", file])
        #expect(r.code == 65)
        #expect(r.stdout.contains("nhs-number-check-digit"))
        #expect(!FileManager.default.fileExists(atPath: ws.data))
    }
}
