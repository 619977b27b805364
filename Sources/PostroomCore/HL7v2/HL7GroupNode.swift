/// One instance of a named group (e.g. one `ORDER_OBSERVATION`) and what it holds.
public struct HL7GroupNode: Sendable {
    /// The group name, e.g. `ORDER_OBSERVATION`.
    public var name: String
    /// Segments and child groups in message order.
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
