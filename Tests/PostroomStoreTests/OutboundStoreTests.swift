import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Files queued for other channels (routed Tasks) until they are written.
@Suite struct OutboundStoreTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    @Test func queuedFilesArePendingUntilWritten() throws {
        try t.write { w in
            try w.queueOutbound(dropID: "d1", channel: "owner", name: "task-1.json", bytes: [1, 2])
            try w.queueOutbound(dropID: "d2", channel: "requester", name: "task-2.json", bytes: [3])
        }
        let pending = try t.read { try $0.pendingOutbound() }
        #expect(pending.map(\.name) == ["task-1.json", "task-2.json"])
        #expect(pending.first?.bytes == [1, 2])
        #expect(try t.read { try $0.pendingOutbound(dropIDs: ["d2"]) }.map(\.channel) == ["requester"])
        #expect(try t.read { try $0.pendingOutbound(dropIDs: []) }.isEmpty)
        try t.write { try $0.markOutboundWritten([pending[0].seq]) }
        #expect(try t.read { try $0.pendingOutbound() }.map(\.dropID) == ["d2"])
        #expect(try t.read { try $0.outbound(dropID: "d1") }.map(\.written) == [true])
    }
}
