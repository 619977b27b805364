import PostroomCore
import Testing

@testable import postroom_bench

/// What Postroom's own decoders make of the generated loads: every item valid, ids unique, and the
/// mixed load's results pointing at their orders for the same patient.
@Suite struct GeneratedLoadTests {
    static let seed: UInt64 = 42

    static func decode(_ bytes: [UInt8]) -> DecodedDrop {
        PostroomCore.Decoder.decode(bytes, accepting: Set(PayloadFormat.allCases), options: DecodeOptions())
    }

    static func allIssues(_ drop: DecodedDrop) -> [PostroomCore.Issue] {
        drop.issues + drop.messages.flatMap(\.issues)
    }

    @Test(arguments: [LoadKind.v2, .fhir, .cda, .mixed])
    func everyFileDecodesWithoutErrors(_ kind: LoadKind) {
        let content = LoadContent(kind: kind, runSeed: Self.seed, count: 12)
        for i in 0..<content.fileCount {
            let file = content.file(i)
            let drop = Self.decode(file.bytes)
            #expect(drop.messages.count == file.messages, "\(file.name)")
            #expect(!Self.allIssues(drop).hasErrors, "\(file.name): \(Self.allIssues(drop))")
        }
    }

    @Test func fileFormatsAreTheOnesNamed() {
        let formats: [LoadKind: PayloadFormat] = [.v2: .hl7v2, .fhir: .fhir, .cda: .cda, .mixed: .hl7v2]
        for (kind, format) in formats {
            let file = LoadContent(kind: kind, runSeed: Self.seed, count: 2).file(0)
            #expect(Self.decode(file.bytes).format == format)
        }
    }

    @Test func aBatchFileDecodesIntoEveryMessage() {
        let content = LoadContent(kind: .batch, runSeed: Self.seed, count: 7)
        var text = content.batchHeader
        for i in 0..<content.count { text += content.batchMessage(i) }
        text += content.batchTrailer
        let drop = Self.decode(Array(text.utf8))
        #expect(drop.batch != nil)
        #expect(drop.messages.count == 7)
        #expect(!Self.allIssues(drop).hasErrors, "\(Self.allIssues(drop))")
        #expect(text.hasSuffix("BTS|7\rFTS|1\r"))
    }

    @Test(arguments: [LoadKind.v2, .fhir, .cda, .mixed])
    func deduplicationKeysAreUniqueInALoad(_ kind: LoadKind) {
        let content = LoadContent(kind: kind, runSeed: Self.seed, count: 50)
        var keys: [String] = []
        for i in 0..<content.fileCount {
            keys += Self.decode(content.file(i).bytes).messages.flatMap(\.dedupeKeys)
        }
        #expect(!keys.isEmpty)
        #expect(Set(keys).count == keys.count)
    }

    @Test func everyMixedResultAnswersItsOrderForTheSamePatient() {
        let content = LoadContent(kind: .mixed, runSeed: Self.seed, count: 20)
        for pair in 0..<content.count {
            let order = Self.decode(content.file(pair).bytes).messages[0]
            let result = Self.decode(content.file(content.count + pair).bytes).messages[0]
            #expect(order.type == "ORM^O01")
            #expect(result.type == "ORU^R01")
            let orderKeys = Set(order.requests.flatMap(\.keys))
            let resultKeys = Set(result.reports.flatMap(\.requestKeys))
            #expect(!orderKeys.isDisjoint(with: resultKeys), "pair \(pair): \(orderKeys) vs \(resultKeys)")
            #expect(order.patient?.nhsNumber != nil)
            #expect(order.patient?.nhsNumber == result.patient?.nhsNumber)
            #expect(!result.reports.isEmpty && result.reports.allSatisfy { $0.isFinal })
        }
    }

    @Test func mixedOrdersComeFirstOnTheirOwnChannel() {
        let content = LoadContent(kind: .mixed, runSeed: Self.seed, count: 3)
        #expect((0..<3).map { content.file($0).channel } == ["orders", "orders", "orders"])
        #expect((3..<6).map { content.file($0).channel } == ["results", "results", "results"])
        #expect(LoadKind.mixed.channels == ["orders", "results"])
    }

    @Test func fhirBundlesCountTheirEntries() throws {
        let content = LoadContent(kind: .fhir, runSeed: Self.seed, count: 10)
        for i in 0..<content.fileCount {
            let file = content.file(i)
            let bundle = try JSONParser().parse(file.bytes)
            #expect(bundle["entry"]?.array?.count == file.resources)
            #expect((5...6).contains(file.resources))
            #expect(bundle["entry"]?[0]?["resource"]?["resourceType"]?.string == "MessageHeader")
        }
    }

    @Test(arguments: LoadKind.allCases)
    func theSameSeedGivesTheSameBytesAndAnotherSeedOthers(_ kind: LoadKind) {
        let a = GeneratorCheck.sample(LoadContent(kind: kind, runSeed: 7, count: 3))
        let b = GeneratorCheck.sample(LoadContent(kind: kind, runSeed: 7, count: 3))
        let c = GeneratorCheck.sample(LoadContent(kind: kind, runSeed: 8, count: 3))
        #expect(a == b)
        #expect(a != c)
    }

    @Test func oneMessageV2FilesAreAboutTheIssuesSize() {
        let content = LoadContent(kind: .v2, runSeed: Self.seed, count: 200)
        let average = (0..<200).map { content.file($0).bytes.count }.reduce(0, +) / 200
        #expect((1_450...1_800).contains(average), "average \(average) bytes")
    }
}
