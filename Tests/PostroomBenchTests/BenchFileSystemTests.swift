import Foundation
import Testing

@testable import postroom_bench

/// The benchmark's own file system: a fresh ext4 loop-mounted for the runs when the process may mount
/// one, else the output folder with a note that says why; unmounted and deleted at the end either way.
@Suite struct BenchFileSystemTests {
    static func mountPoints() -> [String] {
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        return mounts.split(separator: "\n").compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
    }

    @Test func noneRunsOnTheOutputFolder() throws {
        let out = try TempFolder()
        let fs = BenchFileSystem.prepare(out: out.path, mode: "none") { _ in }
        #expect(fs.root == out.path)
        #expect(fs.note.contains("--scratch-fs none"))
        fs.finish(out: out.path)
        #expect(FileManager.default.fileExists(atPath: out.path))
    }

    @Test func loopMountsAFreshFileSystemOrSaysWhyNot() throws {
        let out = try TempFolder()
        var logged: [String] = []
        let fs = BenchFileSystem.prepare(out: out.path, mode: "loop") { logged.append($0) }
        #expect(logged.count == 1)
        if fs.root == out.path {
            // Not allowed to mount here (not root, or no loop device): the note names the cause.
            #expect(fs.note.contains("could not be mounted"))
            #expect(!FileManager.default.fileExists(atPath: out.path + "/scratch.img"))
            return
        }
        #expect(fs.root == out.path + "/scratch")
        #expect(Self.mountPoints().contains(fs.root), "the runs' folder is a mount point of its own")
        #expect(FileManager.default.createFile(atPath: fs.root + "/probe", contents: Data("x".utf8)))
        fs.finish(out: out.path)
        #expect(!Self.mountPoints().contains(fs.root), "unmounted at the end")
        #expect(!FileManager.default.fileExists(atPath: out.path + "/scratch.img"), "the image is deleted")
    }
}
