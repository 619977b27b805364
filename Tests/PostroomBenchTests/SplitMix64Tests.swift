import PostroomCore
import Testing

@testable import postroom_bench

/// The generator's random source: repeatable, and its NHS numbers and UUIDs well-formed.
@Suite struct SplitMix64Tests {
    @Test func theSameSeedRepeatsTheSameSequence() {
        var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1), c = SplitMix64(seed: 2)
        let sa = (0..<8).map { _ in a.next() }, sb = (0..<8).map { _ in b.next() }, sc = (0..<8).map { _ in c.next() }
        #expect(sa == sb)
        #expect(sa != sc)
    }

    @Test func nhsNumbersPassModulus11InThe999TestRange() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<2_000 {
            let n = rng.nhsNumber()
            #expect(n.hasPrefix("999"))
            #expect(NHSNumber.check(n) == .valid(n), "\(n)")
        }
    }

    @Test func uuidsAreVersion4LowerCaseAndDistinct() {
        var rng = SplitMix64(seed: 5)
        let ids = (0..<1_000).map { _ in rng.uuid() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(50) {
            let chars = Array(id)
            #expect(chars.count == 36)
            #expect([chars[8], chars[13], chars[18], chars[23]] == ["-", "-", "-", "-"])
            #expect(chars[14] == "4")
            #expect("89ab".contains(chars[19]))
            #expect(id == id.lowercased())
        }
    }

    @Test func itemGeneratorsArePureFunctionsOfSeedAndIndex() {
        var a = SplitMix64(seed: 3, index: 0), again = SplitMix64(seed: 3, index: 0), b = SplitMix64(seed: 3, index: 1)
        let x = a.next()
        #expect(x == again.next())
        #expect(x != b.next())
    }

    @Test func derivedSeedsDifferByLabel() {
        #expect(SplitMix64.derive(42, "v2") != SplitMix64.derive(42, "fhir"))
        #expect(SplitMix64.derive(42, "v2") == SplitMix64.derive(42, "v2"))
        #expect(SplitMix64.derive(42, "v2") != SplitMix64.derive(43, "v2"))
    }

    @Test func boundedNumbersStayInRange() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<1_000 {
            #expect((0..<7).contains(rng.int(7)))
            #expect((-2...3).contains(rng.int(in: -2...3)))
        }
    }
}
