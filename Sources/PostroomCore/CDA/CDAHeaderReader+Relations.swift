/// `inFulfillmentOf` (the orders a document fulfils) and `relatedDocument` (versions, addenda,
/// transforms; DOMAIN.md §7.2–7.3).
extension CDAHeaderReader {
    /// The combinations of `relatedDocument/@typeCode` CDA R2 allows (sorted type codes).
    static let allowedRelations: Set<[String]> = [["APND"], ["RPLC"], ["XFRM"], ["RPLC", "XFRM"], ["APND", "XFRM"]]

    mutating func readOrders() {
        for (i, fulfilment) in all("inFulfillmentOf").enumerated() {
            let p = pathOf("inFulfillmentOf", i)
            if let type = fulfilment[attribute: "typeCode"], type != "FLFS" {
                issues.append(.error(.cdaFulfilmentType, type: "code-invalid", at: p.attribute("typeCode"),
                                     "inFulfillmentOf typeCode must be FLFS"))
            }
            guard let order = fulfilment.child("order", in: ns) else {
                missing("inFulfillmentOf/order", at: p.child("order").description)
                continue
            }
            let ids = order.children("id", in: ns)
            if ids.isEmpty { missing("order/id", at: p.child("order").child("id", index: 1).description) }
            for (k, element) in ids.enumerated() {
                if let id = checkedID(element, at: p.child("order").child("id", index: k + 1), what: "An order id") {
                    header.orderIDs.append(id)
                }
            }
        }
    }

    mutating func readRelatedDocuments() {
        let elements = all("relatedDocument")
        var types: [String] = []
        for (i, element) in elements.enumerated() {
            let p = pathOf("relatedDocument", i)
            let type = element[attribute: "typeCode"] ?? ""
            types.append(type)
            if !["RPLC", "APND", "XFRM"].contains(type) {
                issues.append(.error(.cdaRelatedDocumentType, type: "code-invalid", at: p.attribute("typeCode"),
                                     "relatedDocument typeCode must be RPLC, APND or XFRM"))
                continue
            }
            guard let parent = element.child("parentDocument", in: ns) else {
                missing("relatedDocument/parentDocument", at: p.child("parentDocument").description)
                continue
            }
            let pp = p.child("parentDocument")
            let idElements = parent.children("id", in: ns)
            if idElements.isEmpty { missing("parentDocument/id", at: pp.child("id", index: 1).description) }
            let ids = idElements.enumerated().compactMap { k, e in checkedID(e, at: pp.child("id", index: k + 1), what: "A parent document id") }
            let set = parent.child("setId", in: ns).flatMap { checkedID($0, at: pp.child("setId"), what: "The parent setId") }
            let version = parent.child("versionNumber", in: ns)?[attribute: "value"].flatMap { Int($0) }
            header.related.append(CDAHeader.Related(typeCode: type, parentIDs: ids, parentSetID: set, parentVersion: version))
        }
        if !types.isEmpty && !Self.allowedRelations.contains(types.sorted()) {
            issues.append(.error(.cdaRelatedDocumentCombination, type: "business-rule", at: path.child("relatedDocument").description,
                                 "relatedDocument combination \(types.joined(separator: "+")) is not allowed (allowed: APND, RPLC, XFRM, XFRM+RPLC, XFRM+APND)"))
        }
        if let replaced = header.related("RPLC") { checkReplacement(replaced) }
    }

    /// A replacement keeps its parent's setId and has a higher versionNumber (DOMAIN.md §7.3).
    mutating func checkReplacement(_ replaced: CDAHeader.Related) {
        let at = path.child("relatedDocument").description
        if header.setID == nil || header.versionNumber == nil {
            issues.append(.warning(.cdaReplacementVersion, type: "business-rule", at: at,
                                   "A replacing document (RPLC) should carry setId and versionNumber"))
        } else if let v = header.versionNumber, v <= 1 {
            issues.append(.warning(.cdaReplacementVersion, type: "business-rule", at: path.child("versionNumber").description,
                                   "A replacing document (RPLC) should have a versionNumber greater than 1"))
        }
        if let own = header.setID, let parentSet = replaced.parentSetID, own.keyPart != parentSet.keyPart {
            issues.append(.error(.cdaReplacementSetID, type: "business-rule", at: path.child("setId").description,
                                 "A replacing document must keep its parent's setId"))
        }
        if let own = header.versionNumber, let parent = replaced.parentVersion, own <= parent {
            issues.append(.error(.cdaReplacementVersionOrder, type: "business-rule", at: path.child("versionNumber").description,
                                 "A replacing document's versionNumber must be higher than its parent's"))
        }
        if let id = header.id, replaced.parentIDs.contains(where: { $0.keyPart == id.keyPart }) {
            issues.append(.error(.cdaReplacementSelf, type: "business-rule", at: at, "A document cannot replace itself"))
        }
    }
}
