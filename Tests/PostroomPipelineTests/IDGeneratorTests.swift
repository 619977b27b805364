@testable import PostroomPipeline
import Testing

/// Ids Postroom generates (ULIDs): 26 Crockford base32 characters, in order of generation, and the
/// lower-case form resources are stored under.
@Suite struct IDGeneratorTests {
    static let crockfordLower = Set("0123456789abcdefghjkmnpqrstvwxyz")

    @Test func lowerCaseIdsAreULIDsInOrderOfGeneration() {
        let ids = IDGenerator()
        let made = (0..<2_000).map { n in n.isMultiple(of: 2) ? ids.nextLowercase() : ids.next().lowercased() }
        #expect(made.allSatisfy { $0.count == 26 && $0.allSatisfy(Self.crockfordLower.contains) })
        #expect(made == made.sorted())
        #expect(Set(made).count == made.count)
    }

    @Test func upperCaseIdsKeepCrockfordsUpperCaseAlphabet() {
        let id = IDGenerator().next()
        #expect(id.count == 26 && id == id.uppercased())
    }
}
