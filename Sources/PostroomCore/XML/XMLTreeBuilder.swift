#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation

/// The `XMLParser` delegate that builds `XMLTreeElement`s, enforcing limits as it goes.
final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    private struct Open {
        var namespace: String
        var name: String
        var qualifiedName: String
        var attributes: [String: String]
        var declarations: [String: String]
        var children: [XMLTreeElement] = []
        var text = ""
        var line: Int
        var ordinal: Int
    }

    let maxDepth: Int
    let maxElements: Int
    let maxAttributes: Int
    private var stack: [Open] = []
    private var pendingDeclarations: [String: String] = [:]
    private(set) var root: XMLTreeElement?
    private(set) var count = 0
    private(set) var failure: Issue?
    /// How many elements are open (started, not ended).
    var openElements: Int { stack.count }

    /// The last line of the input holding something other than white space.
    let lastLine: Int

    init(maxDepth: Int, maxElements: Int, maxAttributes: Int, lastLine: Int) {
        self.lastLine = lastLine
        self.maxDepth = maxDepth
        self.maxElements = maxElements
        self.maxAttributes = maxAttributes
    }

    private func fail(_ issue: Issue, _ parser: XMLParser) {
        guard failure == nil else { return }
        failure = issue
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartMappingPrefix prefix: String, toURI namespaceURI: String) {
        pendingDeclarations[prefix] = namespaceURI
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes attributeDict: [String: String] = [:]) {
        guard failure == nil else { return }
        let at = "line \(parser.lineNumber)"
        count += 1
        if count > maxElements { return fail(XMLLimitIssue.tooManyElements(maxElements, at: at), parser) }
        if stack.count + 1 > maxDepth { return fail(XMLLimitIssue.tooDeep(maxDepth, at: at), parser) }
        if attributeDict.count + pendingDeclarations.count > maxAttributes {
            return fail(XMLLimitIssue.tooManyAttributes(maxAttributes, at: at), parser)
        }
        stack.append(Open(namespace: namespaceURI ?? "", name: elementName, qualifiedName: qName ?? elementName,
                          attributes: attributeDict, declarations: pendingDeclarations, line: parser.lineNumber, ordinal: count - 1))
        pendingDeclarations = [:]
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failure == nil, let open = stack.popLast() else { return }
        let element = XMLTreeElement(namespace: open.namespace, name: open.name, qualifiedName: open.qualifiedName,
                                     attributes: open.attributes, namespaceDeclarations: open.declarations,
                                     children: open.children, text: open.text, line: open.line, ordinal: open.ordinal)
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil, !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard failure == nil, !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        // Never resolve anything (unreachable: DTDs are refused before parsing).
        nil
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        let code = (parseError as NSError).code
        if Self.warningCodes.contains(code) { return }
        let truncated = Self.endOfDataCodes.contains(code) && isTruncation(parser)
        fail(Self.malformed(code: code, line: parser.lineNumber, column: parser.columnNumber, truncated: truncated), parser)
    }

    /// libxml2 warnings (reported through the same callback as errors) that do not make a
    /// document unacceptable: unknown XML version, bad xml:lang / xml:space values, namespace
    /// URIs that are not absolute or not valid URIs.
    static let warningCodes: Set<Int> = [93, 97, 98, 99, 100, 102, 106]

    /// libxml2 errors that mean "the data stopped here": document empty/ended, attribute,
    /// literal, comment or CDATA not finished, `>` or `</` required, tag not finished.
    static let endOfDataCodes: Set<Int> = [4, 5, 39, 40, 43, 45, 63, 73, 74, 77]

    /// Whether an error now means the input stops early: an element is still open and the parser
    /// has reached the last line that holds anything.
    func isTruncation(_ parser: XMLParser) -> Bool {
        !stack.isEmpty && parser.lineNumber >= lastLine
    }

    /// The issue for a libxml2 error `code` at a position; `truncated` when the input ends while
    /// an element is still open.
    static func malformed(code: Int, line: Int, column: Int, truncated: Bool) -> Issue {
        let at = "line \(line), column \(column)"
        if truncated {
            return .fatal(.xmlTruncated, type: "incomplete", at: at,
                          "The XML ends before its root element is closed (truncated or partly written file?) [libxml2 error \(code)]")
        }
        switch code {
        case 26, 27:
            return .fatal(.xmlMalformed, type: "structure", at: at,
                          "The XML refers to an undeclared entity; entities are not supported [libxml2 error \(code)]")
        case 200...299:
            return .fatal(.xmlMalformed, type: "structure", at: at,
                          "The XML is not namespace-well-formed (undeclared prefix or bad namespace use) [libxml2 error \(code)]")
        default:
            return .fatal(.xmlMalformed, type: "structure", at: at, "The XML is not well-formed [libxml2 error \(code)]")
        }
    }
}
