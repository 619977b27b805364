import Foundation
import Synchronization
import Testing
@testable import PostroomCore

@Suite struct RandomUUIDTests {
    @Test func isALowerCaseVersion4UUIDThatFoundationReads() throws {
        for _ in 0..<200 {
            let s = RandomUUID.string()
            #expect(s.count == 36)
            #expect(s == s.lowercased())
            let u = try #require(UUID(uuidString: s))
            #expect(u.uuidString.lowercased() == s)
            let b = Array(s.utf8)
            #expect(b[14] == UInt8(ascii: "4"))
            #expect([UInt8]("89ab".utf8).contains(b[19]))
        }
    }

    @Test func everyIDIsNewAndTheBitsVary() {
        let ids = (0..<10_000).map { _ in RandomUUID.string() }
        #expect(Set(ids).count == ids.count)
        // Every hex position outside the version and variant digits takes more than one value.
        for i in 0..<36 where ![8, 13, 14, 18, 23].contains(i) {
            #expect(Set(ids.map { Array($0.utf8)[i] }).count > 1, "position \(i)")
        }
    }

    /// Ids are drawn from one pool of random bytes: threads drawing at once never share bytes.
    @Test func idsDrawnOnSeveralThreadsAtOnceAreAllNew() {
        let perThread = 3_000
        let ids = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let mine = (0..<perThread).map { _ in RandomUUID.string() }
            ids.withLock { $0 += mine }
        }
        let all = ids.withLock { $0 }
        #expect(all.count == 4 * perThread)
        #expect(Set(all).count == all.count)
    }
}
