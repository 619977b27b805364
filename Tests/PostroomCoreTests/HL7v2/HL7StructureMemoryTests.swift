import Testing
@testable import PostroomCore

/// The trees of segment sequences matched cleanly are remembered (`HL7StructureMatcher.matched`): a
/// remembered tree must be the one a fresh match gives, and a sequence with issues is matched every time.
@Suite struct HL7StructureMemoryTests {
    static func parsed(_ segments: [String]) throws -> HL7Message {
        guard case .success(let (m, _)) = HL7Message.parse(HL7Fixtures.bytes(segments, terminator: "\r")) else {
            throw ParseFailed()
        }
        return m
    }

    struct ParseFailed: Error {}

    /// The tree as text: group names and segment indexes, nested.
    static func shape(_ node: HL7GroupNode) -> String {
        node.name + "(" + node.children.map { child in
            switch child {
            case .segment(let i): String(i)
            case .group(let g): shape(g)
            }
        }.joined(separator: ",") + ")"
    }

    static let shapes: [(String, [String])] = [
        ("ORU_R01", HL7Samples.oru()),
        ("ORU_R01", HL7Samples.oru() + ["OBX|3|NM|2085-9^HDL^LN||1.1|mmol/L||N|||F"]),
        ("ORU_R01", Array(HL7Samples.oru().prefix(4))),
        ("ORM_O01", HL7Samples.orm()),
        ("ORM_O01", HL7Samples.orm() + ["ZXY|1|local"]),
    ]

    @Test(arguments: 0..<shapes.count)
    func aRememberedTreeIsTheTreeOfAFreshMatch(_ k: Int) throws {
        let (name, segments) = Self.shapes[k]
        let message = try Self.parsed(segments)
        let grammar = try #require(HL7Structures.grammar(name))
        let fresh = HL7StructureMatcher.matchAnew(message, ids: message.segmentInfos.map(\.id), grammar: grammar, name: name)
        let tree = try #require(fresh.tree)
        #expect(fresh.issues.isEmpty)
        for _ in 0..<3 {
            let again = HL7StructureMatcher.match(message, grammar: grammar, name: name)
            #expect(again.issues.isEmpty)
            #expect(again.tree.map(Self.shape) == Self.shape(tree))
        }
        let sequence = HL7StructureMatcher.Sequence(name: name, ids: message.segmentInfos.map(\.id))
        // Another test may have emptied the memory since; matching once more puts it back.
        _ = HL7StructureMatcher.match(message, grammar: grammar, name: name)
        #expect(HL7StructureMatcher.matched.withLock { $0[sequence] }.map(Self.shape) == Self.shape(tree))
    }

    @Test func aSequenceWithIssuesIsNotRememberedAndGivesItsIssuesEveryTime() throws {
        var segments = HL7Samples.oru()
        segments.insert("DG1|1||I10^Dx", at: 3)
        let message = try Self.parsed(segments)
        let grammar = try #require(HL7Structures.grammar("ORU_R01"))
        for _ in 0..<3 {
            let outcome = HL7StructureMatcher.match(message, grammar: grammar, name: "ORU_R01")
            #expect(outcome.issues.contains { $0.code == "segment-sequence" })
        }
        let sequence = HL7StructureMatcher.Sequence(name: "ORU_R01", ids: message.segmentInfos.map(\.id))
        #expect(HL7StructureMatcher.matched.withLock { $0[sequence] } == nil)
    }

    @Test func theSameSegmentsUnderAnotherStructureAreAnotherSequence() throws {
        let message = try Self.parsed(HL7Samples.orm())
        let ids = message.segmentInfos.map(\.id)
        #expect(HL7StructureMatcher.Sequence(name: "ORM_O01", ids: ids) != HL7StructureMatcher.Sequence(name: "OML_O21", ids: ids))
    }

    @Test func theMemoryIsBounded() throws {
        let grammar = try #require(HL7Structures.grammar("ORU_R01"))
        // More clean shapes than are remembered: ORU^R01 with 1…300 extra OBX segments.
        var segments = HL7Samples.oru()
        for n in 0..<(HL7StructureMatcher.rememberedShapes + 44) {
            segments.append("OBX|\(n + 3)|NM|2085-9^HDL^LN||1.1|mmol/L||N|||F")
            _ = HL7StructureMatcher.match(try Self.parsed(segments), grammar: grammar, name: "ORU_R01")
            #expect(HL7StructureMatcher.matched.withLock { $0.count } <= HL7StructureMatcher.rememberedShapes)
        }
    }
}
