import Foundation
import Testing

@testable import postroom_bench

/// The measured executables are dropped from the page cache before the runs; what cannot be is named.
@Suite struct ExecutableCacheTests {
    @Test func cachedPagesAreDroppedAndAMissingFileIsNamed() throws {
        let folder = try TempFolder()
        let file = folder.path + "/program"
        try Data(repeating: 7, count: 1 << 20).write(to: URL(fileURLWithPath: file))
        #expect(ExecutableCache.evict([file]).isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data(repeating: 7, count: 1 << 20))
        #expect(ExecutableCache.evict([file, folder.path + "/missing"]) == [folder.path + "/missing"])
    }
}
