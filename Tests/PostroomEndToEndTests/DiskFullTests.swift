import Foundation
import PostroomCore
import PostroomStore
import Testing

/// A full disk and a read-only outbox: the run stops cleanly with exit 74 and a clear message, loses
/// nothing, applies nothing twice, and the next run after the fix finishes the work. Uses a small
/// tmpfs (needs root to mount, as CI and `make test` have).
@Suite(.serialized) struct DiskFullTests {
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-mount-probe-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { _ = shell("umount \(dir)"); try? FileManager.default.removeItem(atPath: dir) }
        return shell("mount -t tmpfs -o size=1m tmpfs \(dir)") == 0
    }()

    @discardableResult
    static func shell(_ command: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command + " >/dev/null 2>&1"]
        try? p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    static func orm(_ n: Int) -> String {
        "MSH|^~\\&|A|B|C|D|20260101||ORM^O01^ORM_O01|C\(n)|P|2.5.1\rPID|1||9990000018^^^NHS^NH\rORC|NW|\(n)^A\rOBR|1|\(n)^A||X^Y^L\r"
    }

    /// A workspace whose data folder is a tmpfs of `size`.
    func mounted(size: String) throws -> (Workspace, String) {
        let ws = try Workspace()
        try FileManager.default.createDirectory(atPath: ws.data, withIntermediateDirectories: true)
        #expect(Self.shell("mount -t tmpfs -o size=\(size) tmpfs \(ws.data)") == 0)
        try """
            { "data": "data", "channels": [ { "name": "in", "formats": ["hl7v2"], "role": "placer", "completion": { "mode": "rename" } } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        return (ws, ws.data)
    }

    @Test(.enabled(if: canMount, "mounting a tmpfs needs root (CI and make test run as root)"),
          // The database must be on the full file system: with PostgreSQL it is on the server's.
          .enabled(if: !EndToEndStore.postgres, "the SQLite file's disk fills; PostgreSQL's data is elsewhere"))
    func aFullDiskStopsTheRunWith74AndTheNextRunFinishesEverythingOnce() throws {
        let (ws, mount) = try mounted(size: "3m")
        defer { Self.shell("umount \(mount)") }
        for n in 1...300 { try ws.drop(Array(Self.orm(n).utf8), as: "m\(n).hl7", channel: "in") }
        let full = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
        #expect(full.code == 74, "\(full.stderr.suffix(400))")
        #expect(full.stderr.contains("Nothing is lost"))
        #expect(Self.shell("mount -o remount,size=64m \(mount)") == 0)
        let after = try ws.run()
        #expect(after.code == 0, "\(after.stderr.suffix(400))")
        #expect(ws.files(in: "inbox/in").isEmpty && ws.files(in: "work/in").isEmpty)
        #expect(ws.files(in: "outbox/in").count == 300, "every drop answered once")
        let store = try ws.store()
        #expect(try store.read { try $0.requests(openOnly: false, limit: 1000).count } == 300)
        #expect(try store.read { try $0.tasks(limit: 1000).count } == 300, "nothing applied twice")
        #expect(try store.read { try $0.dropCounts() }.map(\.count).reduce(0, +) == 300)
    }

    @Test(.enabled(if: canMount, "mounting a tmpfs needs root (CI and make test run as root)"))
    func aReadOnlyOutboxLeavesTheAnswersForTheNextRun() throws {
        let ws = try Workspace()
        let outbox = ws.root + "/outbox"
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
        #expect(Self.shell("mount -t tmpfs -o size=8m tmpfs \(outbox)") == 0)
        defer { Self.shell("umount \(outbox)") }
        try """
            { "data": "data", "channels": [ { "name": "in", "outbox": "outbox", "formats": ["hl7v2"], "role": "placer",
              "completion": { "mode": "rename" } } ] }
            """.write(toFile: ws.config, atomically: true, encoding: .utf8)
        #expect(Self.shell("mount -o remount,ro \(outbox)") == 0)
        for n in 1...5 { try ws.drop(Array(Self.orm(n).utf8), as: "m\(n).hl7", channel: "in") }
        let blocked = try ws.postroom(["run", "--once", "--config", ws.config, "--quiet"])
        #expect(blocked.code == 74, "\(blocked.stderr.suffix(400))")
        #expect(try ws.store().read { try $0.tasks().count } == 5, "applied once")
        #expect(Self.shell("mount -o remount,rw \(outbox)") == 0)
        let after = try ws.run()
        #expect(after.code == 0, "\(after.stderr.suffix(400))")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? []).count == 5, "every answer placed once")
        #expect(try ws.store().read { try $0.tasks().count } == 5, "nothing applied twice")
    }
}
