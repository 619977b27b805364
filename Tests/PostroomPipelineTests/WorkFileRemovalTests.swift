import Foundation
import Testing
@testable import PostroomPipeline

/// The work files of the run's last archive part are removed by two threads (`WorkFileRemoval`): every
/// one goes, and a file that cannot be removed is reported without stopping the others.
@Suite struct WorkFileRemovalTests {
    static func folder(_ files: Int) throws -> (String, [String]) {
        let dir = NSTemporaryDirectory() + "postroom-removal-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let paths = (0..<files).map { dir + "/\($0).hl7" }
        for p in paths { try Data("MSH|".utf8).write(to: URL(fileURLWithPath: p)) }
        return (dir, paths)
    }

    @Test(arguments: [0, 1, 63, 64, 2_000])
    func everyFileIsGoneOnceItFinishes(files: Int) throws {
        let (dir, paths) = try Self.folder(files)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let removal = WorkFileRemoval(paths + [dir + "/already-gone.hl7"])
        try removal.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func aFileThatCannotBeRemovedIsReportedAndTheOthersStillGo() throws {
        let (dir, paths) = try Self.folder(500)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A non-empty folder where a work file was expected: unlink(2) refuses it.
        let stuck = dir + "/stuck"
        try FileManager.default.createDirectory(atPath: stuck, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: stuck + "/inner"))
        let removal = WorkFileRemoval(Array(paths[..<250]) + [stuck] + Array(paths[250...]))
        #expect(throws: FileSystemError.self) { try removal.finish() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["stuck"])
    }
}
