/// Where the CDA documents of a drop are: a bare `ClinicalDocument`, the payloads of an ITK
/// `DistributionEnvelope`, or a SOAP envelope whose body carries one (DOMAIN.md §7.4).
public struct CDAEnvelope: Sendable {
    /// How the documents came.
    public enum Kind: String, Sendable {
        case bare
        case itk = "ITK"
        case soap = "SOAP"
    }

    /// One payload: a document to decode, or the reason it cannot be one.
    public struct Payload: Sendable {
        /// The `ClinicalDocument` element (also one in no namespace, which the header check refuses).
        public var document: XMLTreeElement?
        /// Where the payload (or its document) is in the file.
        public var path: XMLPath
        /// Namespace declarations in scope at the document from its ancestors (prefix → URI).
        public var inherited: [String: String]
        /// The ITK `payload/@id`.
        public var payloadID: String?
        /// Why the payload is not a CDA document (`hl7v3-not-cda`, `xml-not-cda`, …).
        public var issues: [Issue]
    }

    /// How the documents came.
    public var kind: Kind
    /// The payloads, in document order.
    public var payloads: [Payload] = []
    /// Issues of the envelope itself (ITK header validation, `itk-…` codes); they concern every payload.
    public var issues: [Issue] = []
    /// `DistributionEnvelope/header/@trackingid`.
    public var trackingID: String?
    /// `DistributionEnvelope/header/@service`.
    public var service: String?
    /// `header/senderAddress/@uri`.
    public var senderAddress: String?
    /// `header/handlingSpecification/spec`: key → value.
    public var handlingSpecification: [String: String] = [:]
    /// The SOAP header's WS-Addressing `MessageID`.
    public var soapMessageID: String?
    /// Whether an ITK DistributionEnvelope was found (bare or inside SOAP).
    public var hasITK = false

    /// How the answer names the wrapping: nil, `ITK`, `SOAP+ITK` or `SOAP`.
    public var label: String? {
        switch kind {
        case .bare: nil
        case .itk: "ITK"
        case .soap: hasITK ? "SOAP+ITK" : "SOAP"
        }
    }

    /// Finds the documents in a parsed file; nil with the refusing issue when the file is not
    /// CDA content at all (another HL7 v3 message, FHIR XML, any other XML).
    public static func open(_ tree: XMLTree) -> Result<CDAEnvelope, RefusedContent> {
        let root = tree.root
        let rootPath = XMLPath().child(root.name)
        if root.name == "ClinicalDocument" && (root.namespace == CDANamespace.hl7v3 || root.namespace.isEmpty) {
            var envelope = CDAEnvelope(kind: .bare)
            envelope.payloads = [Payload(document: root, path: rootPath, inherited: [:], payloadID: nil, issues: [])]
            return .success(envelope)
        }
        if root.name == "Envelope" && (root.namespace == CDANamespace.soap11 || root.namespace == CDANamespace.soap12) {
            return .success(openSOAP(root, at: rootPath))
        }
        if root.name == "DistributionEnvelope" && root.namespace == CDANamespace.itk {
            var envelope = CDAEnvelope(kind: .itk)
            envelope.readITK(root, at: rootPath, inherited: root.namespaceDeclarations)
            return .success(envelope)
        }
        return .failure(RefusedContent(issue: notCDA(root, at: rootPath, fatal: true)))
    }

    /// The issue that refuses an element that should have been a CDA document.
    static func notCDA(_ element: XMLTreeElement, at path: XMLPath, fatal: Bool) -> Issue {
        let severity: Issue.Severity = fatal ? .fatal : .error
        if element.namespace == CDANamespace.hl7v3 {
            return Issue(severity, .hl7v3NotCDA, type: "not-supported", at: path.description,
                         "The content is an HL7 v3 message (\(element.name)), not a CDA ClinicalDocument")
        }
        if element.namespace == CDANamespace.fhir {
            return Issue(severity, .fhirXMLNotSupported, type: "not-supported", at: path.description,
                         "FHIR XML is not supported; send FHIR JSON")
        }
        return Issue(severity, .xmlNotCDA, type: "not-supported", at: path.description,
                     "The XML is not a CDA document, an ITK DistributionEnvelope or a SOAP envelope carrying one (root \(element.name))")
    }

    private static func openSOAP(_ root: XMLTreeElement, at path: XMLPath) -> CDAEnvelope {
        var envelope = CDAEnvelope(kind: .soap)
        let ns = root.namespace
        if let header = root.child("Header", in: ns) {
            let id = header.child("MessageID", in: CDANamespace.wsAddressing) ?? header.child("MessageID", in: CDANamespace.wsAddressing2004)
            if let text = id?.trimmedText, !text.isEmpty { envelope.soapMessageID = text }
        }
        guard let body = root.child("Body", in: ns) else {
            envelope.issues.append(.error(.soapBodyMissing, type: "structure", at: path.child("Body").description,
                                          "The SOAP envelope has no Body"))
            return envelope
        }
        let bodyPath = path.child("Body")
        let inherited = root.namespaceDeclarations.merging(body.namespaceDeclarations) { $1 }
        guard let content = body.children.first else {
            envelope.issues.append(.error(.soapBodyEmpty, type: "structure", at: bodyPath.description,
                                          "The SOAP Body carries no element"))
            return envelope
        }
        let contentPath = bodyPath.child(content.name)
        if content.isNamed("DistributionEnvelope", in: CDANamespace.itk) {
            envelope.readITK(content, at: contentPath, inherited: inherited.merging(content.namespaceDeclarations) { $1 })
        } else if content.name == "ClinicalDocument" && content.namespace == CDANamespace.hl7v3 {
            envelope.payloads = [Payload(document: content, path: contentPath, inherited: inherited, payloadID: nil, issues: [])]
        } else {
            envelope.payloads = [Payload(document: nil, path: contentPath, inherited: inherited, payloadID: nil,
                                         issues: [notCDA(content, at: contentPath, fatal: false)])]
        }
        return envelope
    }
}

/// Content that is refused as a whole because it is not CDA (the issue says what it is).
public struct RefusedContent: Error, Sendable {
    /// The fatal issue (`hl7v3-not-cda`, `fhir-xml-not-supported`, `xml-not-cda`).
    public var issue: Issue
}
