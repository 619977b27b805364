import Foundation
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
}
