/// Decodes CDA drops into format-neutral messages (see `InboundMessage`).
///
/// A drop is read with `SafeXMLReader` (DTDs refused, limits enforced), then `CDAEnvelope`
/// finds its documents: a bare `ClinicalDocument`, the payloads of an ITK
/// `DistributionEnvelope`, or a SOAP envelope carrying one. Each payload becomes one message
/// (`ClinicalDocument`, `ClinicalDocument/ITK` or `ClinicalDocument/SOAP`) whose header is
/// checked by `CDAHeaderReader` and mapped by `CDAMapper`:
///
/// - `dedupeKeys`: `cda|<id root>|<id extension>`, `cda-version|<setId root>|<setId extension>|<versionNumber>`
///   when both are present, and `itk|<trackingid>` for a wrapped document
///   (`itk|<trackingid>|<payload id>` when the envelope carries several payloads). UUIDs are lower-cased.
/// - `patient`: the first `recordTarget`; `reports`: one `ReportFacts(kind: .document)` with the
///   DocumentReference, `requestKeys` from `inFulfillmentOf/order/id`, `identity`, `replaces`
///   and `status` (see `CDAMapper`).
/// - `raw`: for a document cut out of an envelope, its own bytes (made standalone, see
///   `XMLTree.standaloneBytes`), which are the DocumentReference's attachment; nil for a bare document.
///
/// Files that are not CDA at all (another HL7 v3 message, FHIR XML, other XML) and files the
/// safe reader refuses give a drop with no message and a fatal issue. A wrapped payload that is
/// not a CDA document gives a rejected message, so its answer still carries the ITK tracking id.
public enum CDADecoder {
    /// Decodes one drop; never throws, whatever the bytes.
    public static func decode(_ bytes: [UInt8], options: DecodeOptions) -> DecodedDrop {
        let tree: XMLTree
        do {
            tree = try SafeXMLReader.read(bytes, options: options)
        } catch {
            return DecodedDrop(format: .cda, messages: [], issues: error.issues)
        }
        let envelope: CDAEnvelope
        switch CDAEnvelope.open(tree) {
        case .success(let found): envelope = found
        case .failure(let refused): return DecodedDrop(format: .cda, messages: [], issues: [refused.issue])
        }
        let type = envelope.kind == .bare ? "ClinicalDocument" : "ClinicalDocument/" + envelope.kind.rawValue
        if envelope.payloads.isEmpty {
            // An envelope with nothing to decode: one rejected message, so the answer carries the tracking id.
            let message = InboundMessage(format: .cda, type: type, dedupeKeys: itkKeys(envelope, payload: nil),
                                         issues: envelope.issues, answer: .cda(context(envelope, documentID: nil)))
            return DecodedDrop(format: .cda, messages: [message])
        }
        var messages: [InboundMessage] = []
        for (index, payload) in envelope.payloads.enumerated() {
            messages.append(decode(payload, index: index, type: type, envelope: envelope, tree: tree, options: options))
        }
        return DecodedDrop(format: .cda, messages: messages)
    }

    static func decode(_ payload: CDAEnvelope.Payload, index: Int, type: String, envelope: CDAEnvelope, tree: XMLTree,
                       options: DecodeOptions) -> InboundMessage {
        var issues = envelope.issues + payload.issues
        let itk = itkKeys(envelope, payload: payload)
        guard let document = payload.document else {
            return InboundMessage(index: index, format: .cda, type: type, dedupeKeys: itk, issues: issues,
                                  answer: .cda(context(envelope, documentID: nil)))
        }
        let (header, headerIssues) = CDAHeaderReader.read(document, at: payload.path)
        issues += headerIssues
        var keys: [String] = []
        if let id = header.id { keys.append("cda|" + id.keyPart) }
        if let set = header.setID, let version = header.versionNumber { keys.append("cda-version|\(set.keyPart)|\(version)") }
        keys += itk
        var reports: [ReportFacts] = []
        if let identity = CDAMapper.identity(header) {
            reports.append(ReportFacts(kind: .document, resource: CDAMapper.documentReference(header, options: options),
                                       requestKeys: CDAMapper.requestKeys(header), identity: identity,
                                       status: CDAMapper.status(header), replaces: CDAMapper.replaces(header)))
        }
        let raw = envelope.kind == .bare ? nil : tree.standaloneBytes(of: document, inheriting: payload.inherited)
        return InboundMessage(index: index, format: .cda, type: type, dedupeKeys: keys, issues: issues,
                              patient: CDAMapper.patientFacts(header.patient), reports: reports,
                              answer: .cda(context(envelope, documentID: header.id?.display)), raw: raw)
    }

    /// `itk|<trackingid>`, or `itk|<trackingid>|<payload id or position>` when the envelope has several payloads.
    static func itkKeys(_ envelope: CDAEnvelope, payload: CDAEnvelope.Payload?) -> [String] {
        guard let tracking = envelope.trackingID else { return [] }
        let base = "itk|" + (InstanceIdentifier.isUUID(tracking) ? tracking.lowercased() : tracking)
        guard envelope.payloads.count > 1, let payload else { return [base] }
        let position = envelope.payloads.firstIndex { $0.path == payload.path }.map { String($0 + 1) } ?? "?"
        return [base + "|" + (payload.payloadID ?? position)]
    }

    static func context(_ envelope: CDAEnvelope, documentID: String?) -> CDAAnswerContext {
        CDAAnswerContext(documentID: documentID, itkTrackingID: envelope.trackingID,
                         envelope: envelope.label,
                         itkService: envelope.service, soapMessageID: envelope.soapMessageID)
    }
}
