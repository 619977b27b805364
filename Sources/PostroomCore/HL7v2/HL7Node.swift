/// A node of the tree a message's segments form once matched against its structure.
public enum HL7Node: Sendable {
    /// The segment at this 0-based index of the message.
    case segment(Int)
    /// A named group.
    case group(HL7GroupNode)
}
