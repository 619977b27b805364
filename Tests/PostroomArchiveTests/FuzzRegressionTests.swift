import Foundation
import PostroomFuzzTargets
import Testing

/// Every input the fuzzers found a crash, hang or leak with (and a few hostile seeds) runs through its
/// target again: kept in FuzzRegressions/<target>/ next to this file (`make fuzz` copies new finds there).
@Suite struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions").path

    @Test(arguments: FuzzTargets.names)
    func everyKeptInputRunsThroughItsTarget(_ target: String) throws {
        let dir = Self.folder + "/" + target
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(!files.isEmpty, "no regression input for \(target)")
        for name in files {
            let bytes = try #require(FileManager.default.contents(atPath: dir + "/" + name))
            #expect(FuzzTargets.run(target, [UInt8](bytes)), "\(target)/\(name)")
        }
    }

    @Test func anUnknownTargetIsRefused() {
        #expect(!FuzzTargets.run("nonsense", []))
    }
}
