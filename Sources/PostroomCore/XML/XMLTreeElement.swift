/// One element of a parsed XML document: an immutable value with its namespace, local name,
/// attributes, child elements and text.
///
/// Built by `SafeXMLReader`; never built from a DOM parser. Attribute names are as written
/// (`xsi:type` keeps its prefix; `xmlns` declarations are not attributes but
/// `namespaceDeclarations`).
public struct XMLTreeElement: Sendable {
    /// The namespace URI; empty when the element is in no namespace.
    public let namespace: String
    /// The local name (without prefix).
    public let name: String
    /// The name as written, with its prefix when it has one (`itk:payload`).
    public let qualifiedName: String
    /// Attributes by their written name.
    public let attributes: [String: String]
    /// Namespace declarations made on this element: prefix (empty for the default namespace) → URI.
    public let namespaceDeclarations: [String: String]
    /// Child elements in document order.
    public let children: [XMLTreeElement]
    /// The element's own character data (text and CDATA, concatenated; not its children's).
    public let text: String
    /// The line the start tag ends on (1-based), for diagnostics.
    public let line: Int
    /// The element's position in document order (0 for the root).
    public let ordinal: Int

    /// Makes an element; `SafeXMLReader` is the usual source.
    public init(namespace: String, name: String, qualifiedName: String? = nil, attributes: [String: String] = [:],
                namespaceDeclarations: [String: String] = [:], children: [XMLTreeElement] = [], text: String = "",
                line: Int = 0, ordinal: Int = 0) {
        self.namespace = namespace
        self.name = name
        self.qualifiedName = qualifiedName ?? name
        self.attributes = attributes
        self.namespaceDeclarations = namespaceDeclarations
        self.children = children
        self.text = text
        self.line = line
        self.ordinal = ordinal
    }

    /// The value of attribute `name` (as written, e.g. `root` or `xsi:type`).
    public subscript(attribute name: String) -> String? { attributes[name] }

    /// The child elements with local name `name` in namespace `namespace`, in document order.
    public func children(_ name: String, in namespace: String) -> [XMLTreeElement] {
        children.filter { $0.name == name && $0.namespace == namespace }
    }

    /// The first child element with local name `name` in namespace `namespace`.
    public func child(_ name: String, in namespace: String) -> XMLTreeElement? {
        children.first { $0.name == name && $0.namespace == namespace }
    }

    /// The element's text without leading and trailing white space.
    public var trimmedText: String {
        var s = Substring(text)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    /// All the text of the element and its descendants, in document order.
    public var allText: String {
        var out = text
        for c in children { out += c.allText }
        return out
    }

    /// Whether the element is `name` in `namespace`.
    public func isNamed(_ name: String, in namespace: String) -> Bool {
        self.name == name && self.namespace == namespace
    }
}
