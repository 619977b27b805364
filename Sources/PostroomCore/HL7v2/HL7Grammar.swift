/// The abstract message syntax of HL7 v2 (`[ ]` optional, `{ }` repeating, `< | >` choice,
/// named groups), as a value that `HL7StructureMatcher` checks messages against.
public indirect enum HL7Grammar: Sendable, ExpressibleByStringLiteral {
    /// One segment with this id.
    case segment(HL7SegmentID)
    /// A sequence; a non-empty name makes it a named group in the match tree.
    case group(String, [HL7Grammar])
    /// Zero or one.
    case optional(HL7Grammar)
    /// One or more.
    case repeating(HL7Grammar)
    /// The first alternative that matches.
    case choice([HL7Grammar])
    /// Not in the standard structure but common in practice: accepted with a warning.
    case tolerated(HL7Grammar)

    /// A segment from its id.
    public init(stringLiteral value: String) { self = .segment(HL7SegmentID(stringLiteral: value)) }

    /// A named group (a sequence of elements).
    public static func g(_ name: String, _ items: HL7Grammar...) -> HL7Grammar { .group(name, items) }
    /// `[ … ]`: optional (several items form an anonymous sequence).
    public static func o(_ items: HL7Grammar...) -> HL7Grammar { .optional(items.count == 1 ? items[0] : .group("", items)) }
    /// `{ … }`: one or more.
    public static func r(_ items: HL7Grammar...) -> HL7Grammar { .repeating(items.count == 1 ? items[0] : .group("", items)) }
    /// `[{ … }]`: zero or more.
    public static func or(_ items: HL7Grammar...) -> HL7Grammar {
        .optional(.repeating(items.count == 1 ? items[0] : .group("", items)))
    }
    /// `< a | b >`: one of.
    public static func one(_ items: HL7Grammar...) -> HL7Grammar { .choice(items) }
    /// Tolerated with a warning.
    public static func t(_ item: HL7Grammar) -> HL7Grammar { .tolerated(item) }
}

/// A node of the tree a message's segments form once matched against its structure.
public enum HL7Node: Sendable {
    /// The segment at this 0-based index of the message.
    case segment(Int)
    /// A named group.
    case group(HL7GroupNode)
}

/// One instance of a named group (e.g. one `ORDER_OBSERVATION`) and what it holds.
public struct HL7GroupNode: Sendable {
    public var name: String
    public var children: [HL7Node]

    /// The instances of a named child group, searched depth-first through the whole subtree.
    public func groups(_ name: String) -> [HL7GroupNode] {
        var out: [HL7GroupNode] = []
        for c in children {
            if case .group(let g) = c {
                if g.name == name { out.append(g) } else { out.append(contentsOf: g.groups(name)) }
            }
        }
        return out
    }

    /// The indices of the segments directly in this group (not in child groups).
    public var directSegments: [Int] {
        children.compactMap { if case .segment(let i) = $0 { return i } else { return nil } }
    }

    /// Direct child groups with a name.
    public func children(_ name: String) -> [HL7GroupNode] {
        children.compactMap { if case .group(let g) = $0, g.name == name { return g } else { return nil } }
    }

    /// All segment indices in the subtree, in order.
    public var allSegments: [Int] {
        var out: [Int] = []
        for c in children {
            switch c {
            case .segment(let i): out.append(i)
            case .group(let g): out.append(contentsOf: g.allSegments)
            }
        }
        return out
    }
}
