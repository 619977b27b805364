#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation

/// Why an XML document was refused or could not be read: the issues say which rule and where.
public struct XMLReadFailure: Error, Sendable {
    /// At least one fatal issue (`xml-doctype-refused`, `xml-too-deep`, `xml-malformed`, …).
    public var issues: [Issue]

    /// A failure made of `issues`.
    public init(issues: [Issue]) { self.issues = issues }
}

/// Reads untrusted XML bytes into an `XMLTree`, safely (DOMAIN.md §7.5).
///
/// 1. `XMLPreScan` refuses oversized files, non-UTF-8 content and any `<!DOCTYPE` / `<!ENTITY`.
/// 2. `XMLStructureScan` enforces depth, element and attribute limits on the bytes.
/// 3. Foundation's `XMLParser` (SAX, libxml2 on Linux) parses the in-memory bytes with its
///    default `externalEntityResolvingPolicy` (never changed here) and namespace processing on;
///    the delegate enforces the same limits again and aborts the parse as soon as one is passed,
///    and aborts on the first error (libxml2 runs in recovery mode under `XMLParser`, so errors
///    must never be let through).
public enum SafeXMLReader {
    /// Parses `bytes`, or throws the issues that refuse them. Never reads anything but `bytes`.
    public static func read(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) throws(XMLReadFailure) -> XMLTree {
        let maxDepth = min(options.maxXMLDepth, hardMaxDepth)
        let refused = XMLPreScan.issues(bytes, maxBytes: options.maxXMLBytes)
        if !refused.isEmpty { throw XMLReadFailure(issues: refused) }
        let structure = XMLStructureScan.scan(bytes, maxDepth: maxDepth, maxElements: options.maxXMLElements,
                                              maxAttributes: options.maxXMLAttributes)
        if let issue = structure.issue { throw XMLReadFailure(issues: [issue]) }
        let root = try parse(bytes, options: options)
        return XMLTree(root: root.element, elementCount: root.count, bytes: bytes, starts: structure.starts, ends: structure.ends)
    }

    /// The depth limit never exceeds this, whatever `DecodeOptions.maxXMLDepth` says: libxml2's
    /// push parser does not recurse on depth (100,000 levels parse with a no-op delegate), but
    /// the element tree is a nested value that Swift frees recursively.
    public static let hardMaxDepth = 2048

    /// The parse step alone, without the byte checks: only for tests that show what the parser
    /// itself does with hostile input. Production code calls `read`.
    static func parse(_ bytes: [UInt8], options: DecodeOptions) throws(XMLReadFailure) -> (element: XMLTreeElement, count: Int) {
        let builder = XMLTreeBuilder(maxDepth: min(options.maxXMLDepth, hardMaxDepth), maxElements: options.maxXMLElements,
                                     maxAttributes: options.maxXMLAttributes, lastLine: lastContentLine(bytes))
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = true
        parser.delegate = builder
        let ok = parser.parse()
        if let failure = builder.failure { throw XMLReadFailure(issues: [failure]) }
        if !ok {
            let code = (parser.parserError as NSError?)?.code ?? 0
            throw XMLReadFailure(issues: [XMLTreeBuilder.malformed(code: code, line: parser.lineNumber, column: parser.columnNumber,
                                                                   truncated: builder.openElements > 0 && XMLTreeBuilder.endOfDataCodes.contains(code))])
        }
        guard let root = builder.root else {
            throw XMLReadFailure(issues: [.fatal(.xmlMalformed, type: "structure", "The file holds no XML element")])
        }
        return (root, builder.count)
    }

    /// The 1-based number of the last line that holds something other than white space.
    static func lastContentLine(_ bytes: [UInt8]) -> Int {
        var line = 1
        var last = 1
        for b in bytes {
            if b == 0x0A { line += 1 } else if b != 0x20 && b != 0x09 && b != 0x0D { last = line }
        }
        return last
    }
}
