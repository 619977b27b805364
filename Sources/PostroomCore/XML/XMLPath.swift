/// An XPath-like location for issues, e.g. `/ClinicalDocument/recordTarget[1]/patientRole/id[2]`.
///
/// Steps use local names (no prefixes); an index is written where the element may repeat.
public struct XMLPath: Sendable, Hashable, CustomStringConvertible {
    /// The steps from the document root, each already formatted (`id[2]`).
    public private(set) var steps: [String]

    /// A path of the given formatted steps; `XMLPath()` is the document itself (`/`).
    public init(_ steps: [String] = []) { self.steps = steps }

    /// The path of a child step; `index` is 1-based and written when given.
    public func child(_ name: String, index: Int? = nil) -> XMLPath {
        var p = self
        p.steps.append(index.map { "\(name)[\($0)]" } ?? name)
        return p
    }

    /// The path of an attribute of this element (`…/id/@root`).
    public func attribute(_ name: String) -> String { description + "/@" + name }

    /// The formatted location.
    public var description: String { steps.isEmpty ? "/" : "/" + steps.joined(separator: "/") }
}
