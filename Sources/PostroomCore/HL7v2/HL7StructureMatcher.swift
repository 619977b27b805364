/// Matches a message's segment sequence against an `HL7Grammar` (ordered, greedy, with
/// group-level backtracking), giving the group tree and the sequence issues.
///
/// Z-segments are allowed anywhere. Tolerated elements produce warnings.
struct HL7StructureMatcher {
    let ids: [HL7SegmentID]
    var pos = 0
    var farthest = 0
    var expected: [HL7SegmentID] = []
    var tolerated: [Int] = []
    /// How many optional contexts enclose the element being matched.
    var optionalDepth = 0
    /// Segments that were required (outside any optional context) where matching stopped.
    var requiredAt = -1
    var required: [HL7SegmentID] = []

    init(ids: [HL7SegmentID]) {
        self.ids = ids
        expected.reserveCapacity(32)
        required.reserveCapacity(32)
    }

    /// The result of matching a whole message.
    struct Outcome {
        var tree: HL7GroupNode?
        var issues: [Issue]
    }

    /// A structure and a sequence of segment ids: the whole of what a match depends on.
    struct Sequence: Hashable {
        var name: String
        var ids: [HL7SegmentID]
    }

    /// The trees of sequences that matched without any issue, by sequence: the messages of one sender
    /// share a few shapes (a lab's ORU^R01 has the same segments message after message), and matching
    /// was a seventh of decoding such a message. Emptied when it holds `rememberedShapes`.
    static let matched = HL7Locked<[Sequence: HL7GroupNode]>([:])
    static let rememberedShapes = 256

    /// Matches the message's segment ids against `grammar`; `name` is the structure id (e.g. `ORU_R01`)
    /// used in texts. A sequence matched cleanly before gives the tree it gave then.
    static func match(_ message: HL7Message, grammar: HL7Grammar, name: String) -> Outcome {
        let sequence = Sequence(name: name, ids: message.segmentInfos.map(\.id))
        if let tree = matched.withLock({ $0[sequence] }) { return Outcome(tree: tree, issues: []) }
        let outcome = matchAnew(message, ids: sequence.ids, grammar: grammar, name: name)
        if outcome.issues.isEmpty, let tree = outcome.tree {
            matched.withLock { trees in
                if trees.count >= rememberedShapes { trees.removeAll(keepingCapacity: true) }
                trees[sequence] = tree
            }
        }
        return outcome
    }

    /// Matches `ids` (the message's) against `grammar` without the trees remembered.
    static func matchAnew(_ message: HL7Message, ids: [HL7SegmentID], grammar: HL7Grammar, name: String) -> Outcome {
        var m = HL7StructureMatcher(ids: ids)
        var issues: [Issue] = []
        var collected: [HL7Node] = []
        let nodes: [HL7Node]? = m.match(grammar, into: &collected) ? collected : nil
        for i in m.tolerated {
            issues.append(.warning(.segmentNotInStructure, type: "structure", at: message.location(segment: i).description,
                                   "Segment \(m.ids[i]) is not part of the \(name) structure at this position; accepted and ignored"))
        }
        guard let nodes else {
            if m.farthest < m.ids.count {
                let id = m.ids[m.farthest]
                if id.isValid {
                    issues.append(.error(.segmentSequence, type: "structure", at: message.location(segment: m.farthest).description,
                                         "Segment \(id) is not allowed here by the \(name) structure (expected \(m.expectedText))"))
                }
            } else {
                let needed = m.requiredAt == m.ids.count && !m.required.isEmpty ? m.required : m.expected
                let text = Self.list(needed)
                issues.append(.error(.segmentMissing, type: "structure", at: needed.first?.description,
                                     "The message ends where the \(name) structure requires \(text)"))
            }
            return Outcome(tree: nil, issues: issues)
        }
        var tree = HL7GroupNode(name: name, children: [])
        for n in nodes {
            if case .group(let g) = n, g.name == name { tree = g } else { tree.children.append(n) }
        }
        if m.pos < m.ids.count {
            let id = m.ids[m.pos]
            if id.isValid {
                let hint = m.farthest == m.pos && !m.expected.isEmpty ? " (expected \(m.expectedText))" : ""
                issues.append(.error(.segmentSequence, type: "structure", at: message.location(segment: m.pos).description,
                                     "Segment \(id) is not allowed here by the \(name) structure\(hint)"))
            }
        }
        return Outcome(tree: tree, issues: issues)
    }

    var expectedText: String { Self.list(expected) }

    static func list(_ ids: [HL7SegmentID]) -> String {
        var seen: [HL7SegmentID] = []
        for e in ids where !seen.contains(e) { seen.append(e) }
        return seen.isEmpty ? "nothing more" : seen.map(\.description).joined(separator: " or ")
    }

    mutating func zSegments(into out: inout [HL7Node]) {
        while pos < ids.count, ids[pos].isZSegment { out.append(.segment(pos)); pos += 1 }
    }

    mutating func fail(_ id: HL7SegmentID) {
        if pos > farthest {
            farthest = pos
            expected.removeAll(keepingCapacity: true)
            expected.append(id)
        } else if pos == farthest, expected.count < 32 {
            expected.append(id)
        }
        if optionalDepth == 0 {
            if pos > requiredAt {
                requiredAt = pos
                required.removeAll(keepingCapacity: true)
                required.append(id)
            } else if pos == requiredAt, required.count < 32 {
                required.append(id)
            }
        }
    }

    /// Matches `g` at `pos`, appending what it consumed to `out`; on failure restores `pos` and `out`.
    mutating func match(_ g: HL7Grammar, into out: inout [HL7Node]) -> Bool {
        switch g {
        case .segment(let id):
            if pos < ids.count, ids[pos] == id {
                out.append(.segment(pos))
                pos += 1
                return true
            }
            fail(id)
            return false
        case .group(let name, let items):
            let saved = pos
            let savedTolerated = tolerated.count
            if name.isEmpty {
                let savedCount = out.count
                for item in items {
                    zSegments(into: &out)
                    guard match(item, into: &out) else {
                        pos = saved
                        out.removeSubrange(savedCount...)
                        tolerated.removeSubrange(savedTolerated...)
                        return false
                    }
                }
                return true
            }
            var children: [HL7Node] = []
            children.reserveCapacity(items.count + 4)
            for item in items {
                zSegments(into: &children)
                guard match(item, into: &children) else {
                    pos = saved
                    tolerated.removeSubrange(savedTolerated...)
                    return false
                }
            }
            zSegments(into: &children)
            out.append(.group(HL7GroupNode(name: name, children: children)))
            return true
        case .optional(let inner):
            optionalDepth += 1
            defer { optionalDepth -= 1 }
            _ = match(inner, into: &out)
            return true
        case .repeating(let inner):
            guard match(inner, into: &out) else { return false }
            optionalDepth += 1
            defer { optionalDepth -= 1 }
            while true {
                let before = pos
                guard match(inner, into: &out), pos > before else { break }
            }
            return true
        case .choice(let items):
            for item in items where match(item, into: &out) { return true }
            return false
        case .tolerated(let inner):
            let before = pos
            guard match(inner, into: &out) else { return false }
            tolerated.append(contentsOf: before..<pos)
            return true
        }
    }
}
