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
