import Foundation
import Logging
import PostroomConfig
import PostroomCore
@testable import PostroomPipeline
import Testing

/// How ready files are split into groups: at most `groupSize` drops (256 unless configured) and about
/// `Pipeline.maxGroupBytes` of originals (576 KiB), the bound of what a group's decoded drops hold in memory.
@Suite struct GroupingTests {
    let folder: TempFolder
    let pipeline: Pipeline

    init() throws {
        folder = try TempFolder()
        let json = #"{ "data": "data", "channels": [ { "name": "in", "formats": ["hl7v2", "fhir"], "role": "placer", "maxFileSize": 1048576 } ] }"#
        let config = try PipelineConfig.parse(try JSONParser().parse(json), base: folder.path, configPath: folder.path + "/pipeline.json")
        pipeline = try Pipeline(config: config, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    func ready(_ sizes: [Int64]) -> [InboxScanner.Ready] {
        sizes.enumerated().map { i, size in
            InboxScanner.Ready(name: "f\(i)", path: pipeline.config.channels[0].inbox + "/f\(i)", size: size, modified: 0, marker: nil)
        }
    }

    @Test func smallDropsAreGroupedByCount() {
        defer { pipeline.close() }
        #expect(pipeline.config.groupSize == 256)
        // One-message v2 files of ~1.6 KB: 256 drops hold 400 KiB of originals.
        #expect(pipeline.groups(ready(Array(repeating: 1_600, count: 600))).map(\.count) == [256, 256, 88])
    }

    @Test func largerDropsAreGroupedByTheirBytes() {
        defer { pipeline.close() }
        #expect(Pipeline.maxGroupBytes == 576 << 10)
        // FHIR message Bundles of ~3 KB: 196 drops (588,000 bytes) to a group, as many as 192 groups held before.
        #expect(pipeline.groups(ready(Array(repeating: 3_000, count: 400))).map(\.count) == [196, 196, 8])
        // A file larger than the bound is a group of its own, and the drops after it start the next.
        #expect(pipeline.groups(ready([1_000, 700_000, 1_000, 1_000])).map(\.count) == [1, 1, 2])
    }
}
