import Foundation

/// Reading an ITK 2010-05 `DistributionEnvelope`: header (tracking id, service, manifest,
/// sender, handling specification) and payloads.
extension CDAEnvelope {
    mutating func readITK(_ envelope: XMLTreeElement, at path: XMLPath, inherited: [String: String]) {
        let ns = CDANamespace.itk
        hasITK = true
        var manifestIDs: [String] = []
        if let header = envelope.child("header", in: ns) {
            let hp = path.child("header")
            trackingID = nonEmpty(header[attribute: "trackingid"])
            service = nonEmpty(header[attribute: "service"])
            if trackingID == nil {
                issues.append(.error(.itkTrackingIDMissing, type: "required", at: hp.attribute("trackingid"),
                                     "The ITK header has no trackingid"))
            }
            if service == nil {
                issues.append(.error(.itkServiceMissing, type: "required", at: hp.attribute("service"),
                                     "The ITK header has no service"))
            }
            senderAddress = nonEmpty(header.child("senderAddress", in: ns)?[attribute: "uri"])
            for spec in header.child("handlingSpecification", in: ns)?.children("spec", in: ns) ?? [] {
                if let key = spec[attribute: "key"] { handlingSpecification[key] = spec[attribute: "value"] ?? "" }
            }
            if let manifest = header.child("manifest", in: ns) {
                let items = manifest.children("manifestitem", in: ns)
                manifestIDs = items.compactMap { $0[attribute: "id"] }
                if let count = manifest[attribute: "count"].flatMap({ Int($0) }), count != items.count {
                    issues.append(.error(.itkManifestCount, type: "structure", at: hp.child("manifest").attribute("count"),
                                         "The ITK manifest count does not match its manifest items"))
                }
            } else {
                issues.append(.error(.itkManifestMissing, type: "required", at: hp.child("manifest").description,
                                     "The ITK header has no manifest"))
            }
        } else {
            issues.append(.error(.itkHeaderMissing, type: "required", at: path.child("header").description,
                                 "The DistributionEnvelope has no header"))
        }
        guard let payloadsElement = envelope.child("payloads", in: ns) else {
            issues.append(.error(.itkPayloadsMissing, type: "required", at: path.child("payloads").description,
                                 "The DistributionEnvelope has no payloads"))
            return
        }
        let pp = path.child("payloads")
        let elements = payloadsElement.children("payload", in: ns)
        if let count = payloadsElement[attribute: "count"].flatMap({ Int($0) }), count != elements.count {
            issues.append(.error(.itkPayloadCount, type: "structure", at: pp.attribute("count"),
                                 "The ITK payloads count does not match the payloads sent"))
        }
        if !manifestIDs.isEmpty && manifestIDs.count != elements.count {
            issues.append(.error(.itkManifestCount, type: "structure", at: pp.description,
                                 "The ITK manifest does not list one item per payload"))
        }
        let scope = inherited.merging(payloadsElement.namespaceDeclarations) { $1 }
        for (i, payload) in elements.enumerated() {
            readPayload(payload, index: i, at: pp.child("payload", index: i + 1),
                        inherited: scope.merging(payload.namespaceDeclarations) { $1 }, manifestIDs: manifestIDs)
        }
        if elements.isEmpty {
            issues.append(.error(.itkPayloadsMissing, type: "required", at: pp.child("payload", index: 1).description,
                                 "The DistributionEnvelope carries no payload"))
        }
    }

    private mutating func readPayload(_ payload: XMLTreeElement, index: Int, at path: XMLPath, inherited: [String: String],
                                      manifestIDs: [String]) {
        let id = nonEmpty(payload[attribute: "id"])
        var payloadIssues: [Issue] = []
        if let id, !manifestIDs.isEmpty, !manifestIDs.contains(id) {
            payloadIssues.append(.error(.itkPayloadNotInManifest, type: "structure", at: path.attribute("id"),
                                        "The payload id is not listed in the ITK manifest"))
        }
        guard let content = payload.children.first else {
            payloadIssues.append(.error(.itkPayloadUnreadable, type: "not-supported", at: path.description,
                                        "The payload holds no XML (text or base64 payloads are not supported)"))
            payloads.append(Payload(document: nil, path: path, inherited: inherited, payloadID: id, issues: payloadIssues))
            return
        }
        let contentPath = path.child(content.name)
        if content.name == "ClinicalDocument" && content.namespace == CDANamespace.hl7v3 {
            payloads.append(Payload(document: content, path: contentPath, inherited: inherited, payloadID: id, issues: payloadIssues))
        } else {
            payloadIssues.append(Self.notCDA(content, at: contentPath, fatal: false))
            payloads.append(Payload(document: nil, path: contentPath, inherited: inherited, payloadID: id, issues: payloadIssues))
        }
    }

    private func nonEmpty(_ s: String?) -> String? {
        guard let s else { return nil }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }
}
