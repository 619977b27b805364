/// Reads a `ClinicalDocument` header into a `CDAHeader` and checks it against CDA R2
/// (DOMAIN.md §7.1): schema order and cardinality of the header elements, the fixed `typeId`,
/// the document `id`, `code`, `effectiveTime`, `confidentialityCode`, `setId`/`versionNumber`,
/// `recordTarget` (NHS number Modulus 11), `author`, `custodian`, `component`, and the
/// `inFulfillmentOf` / `relatedDocument` rules. Every finding is an issue with a stable code and
/// an XPath-like location; nothing stops at the first one.
struct CDAHeaderReader {
    /// One header element in schema order, with its cardinality.
    struct Slot {
        let name: String
        let min: Int
        let max: Int
    }

    /// CDA R2 `ClinicalDocument` header elements in schema order (POCD_HD000040).
    static let schema: [Slot] = [
        Slot(name: "realmCode", min: 0, max: .max), Slot(name: "typeId", min: 1, max: 1),
        Slot(name: "templateId", min: 0, max: .max), Slot(name: "id", min: 1, max: 1), Slot(name: "code", min: 1, max: 1),
        Slot(name: "title", min: 0, max: 1), Slot(name: "effectiveTime", min: 1, max: 1),
        Slot(name: "confidentialityCode", min: 1, max: 1), Slot(name: "languageCode", min: 0, max: 1),
        Slot(name: "setId", min: 0, max: 1), Slot(name: "versionNumber", min: 0, max: 1), Slot(name: "copyTime", min: 0, max: 1),
        Slot(name: "recordTarget", min: 1, max: .max), Slot(name: "author", min: 1, max: .max),
        Slot(name: "dataEnterer", min: 0, max: 1), Slot(name: "informant", min: 0, max: .max), Slot(name: "custodian", min: 1, max: 1),
        Slot(name: "informationRecipient", min: 0, max: .max), Slot(name: "legalAuthenticator", min: 0, max: 1),
        Slot(name: "authenticator", min: 0, max: .max), Slot(name: "participant", min: 0, max: .max),
        Slot(name: "inFulfillmentOf", min: 0, max: .max), Slot(name: "documentationOf", min: 0, max: .max),
        Slot(name: "relatedDocument", min: 0, max: .max), Slot(name: "authorization", min: 0, max: .max),
        Slot(name: "componentOf", min: 0, max: 1), Slot(name: "component", min: 1, max: 1),
    ]

    /// The `typeId` every CDA R2 document carries.
    static let typeIDRoot = "2.16.840.1.113883.1.3"
    static let typeIDExtension = "POCD_HD000040"
    /// Confidentiality code systems: HL7 `Confidentiality` and the `x_BasicConfidentialityKind`
    /// value set OID that NHS documents use as their code system.
    static let confidentialitySystems: Set<String> = ["2.16.840.1.113883.5.25", "2.16.840.1.113883.1.11.16926"]

    let doc: XMLTreeElement
    /// The namespace the header's elements are read in (the document's own, normally `urn:hl7-org:v3`).
    let ns: String
    let path: XMLPath
    var header = CDAHeader()
    var issues: [Issue] = []

    /// Reads the header of `doc`, located at `path`.
    static func read(_ doc: XMLTreeElement, at path: XMLPath) -> (header: CDAHeader, issues: [Issue]) {
        var reader = CDAHeaderReader(doc: doc, ns: doc.namespace, path: path)
        if doc.namespace != CDANamespace.hl7v3 {
            reader.issues.append(.error(.cdaNamespaceMissing, type: "structure", at: path.description,
                                        "ClinicalDocument must be in the urn:hl7-org:v3 namespace"))
        }
        reader.checkStructure()
        reader.readTypeID()
        reader.readDocumentID()
        reader.readCode()
        reader.readEffectiveTime()
        reader.readConfidentiality()
        reader.readSetAndVersion()
        reader.readRecordTargets()
        reader.readAuthors()
        reader.readCustodian()
        reader.readOrders()
        reader.readRelatedDocuments()
        reader.readBody()
        reader.readOthers()
        return (reader.header, reader.issues)
    }

    // MARK: - Helpers

    func all(_ name: String) -> [XMLTreeElement] { doc.children(name, in: ns) }
    func first(_ name: String) -> XMLTreeElement? { doc.child(name, in: ns) }

    /// The path of the `index`-th (0-based) child `name`, indexed when the slot may repeat.
    func pathOf(_ name: String, _ index: Int = 0) -> XMLPath {
        let repeats = (Self.schema.first { $0.name == name }?.max ?? 1) > 1
        return path.child(name, index: repeats ? index + 1 : nil)
    }

    mutating func missing(_ name: String, at location: String) {
        issues.append(.error(.cdaElementMissing, type: "required", at: location, "Required element \(name) is missing"))
    }

    // MARK: - Order and cardinality

    mutating func checkStructure() {
        var highest = -1
        var counts: [String: Int] = [:]
        for child in doc.children where child.namespace == ns {
            let n = counts[child.name, default: 0]
            counts[child.name] = n + 1
            guard let rank = Self.schema.firstIndex(where: { $0.name == child.name }) else {
                issues.append(.error(.cdaUnexpectedElement, type: "structure", at: path.child(child.name).description,
                                     "Element \(child.name) is not part of the CDA R2 header"))
                continue
            }
            if rank < highest {
                issues.append(.error(.cdaElementOrder, type: "structure", at: pathOf(child.name, n).description,
                                     "Element \(child.name) is out of schema order (it must come before \(Self.schema[highest].name))"))
            }
            highest = max(highest, rank)
            if Self.schema[rank].max != .max && n + 1 > Self.schema[rank].max {
                issues.append(.error(.cdaElementRepeated, type: "structure", at: path.child(child.name, index: n + 1).description,
                                     "Element \(child.name) may appear at most \(Self.schema[rank].max) time(s)"))
            }
        }
        for slot in Self.schema where slot.min > 0 && counts[slot.name, default: 0] < slot.min {
            missing(slot.name, at: path.child(slot.name).description)
        }
    }

    // MARK: - Header elements

    mutating func readTypeID() {
        guard let typeID = first("typeId") else { return }
        if typeID[attribute: "root"] != Self.typeIDRoot || typeID[attribute: "extension"] != Self.typeIDExtension {
            issues.append(.error(.cdaTypeID, type: "value", at: path.child("typeId").description,
                                 "typeId must have root \(Self.typeIDRoot) and extension \(Self.typeIDExtension)"))
        }
    }

    mutating func readDocumentID() {
        guard let element = first("id") else { return }
        header.id = checkedID(element, at: path.child("id"), what: "The document id")
    }

    /// Checks an II element: a root is required and must be an OID or UUID.
    mutating func checkedID(_ element: XMLTreeElement, at p: XMLPath, what: String, severity: Issue.Severity = .error) -> InstanceIdentifier? {
        guard let id = InstanceIdentifier(element) else {
            issues.append(Issue(severity, .cdaIDRootMissing, type: "required", at: p.attribute("root"), "\(what) has no root"))
            return nil
        }
        if !id.hasValidRoot {
            issues.append(Issue(severity, .cdaIDRootFormat, type: "value", at: p.attribute("root"),
                                "\(what) root must be an OID or a UUID"))
        }
        return id
    }

    mutating func readCode() {
        guard let element = first("code") else { return }
        let p = path.child("code")
        guard let code = element[attribute: "code"], !code.isEmpty else {
            issues.append(.error(.cdaCodeMissing, type: "required", at: p.attribute("code"), "The document type code has no code"))
            return
        }
        let system = element[attribute: "codeSystem"]
        if system == nil {
            issues.append(.warning(.cdaCodeSystemMissing, at: p.attribute("codeSystem"), "The document type code has no codeSystem"))
        }
        header.code = CDAHeader.Coded(code: code, system: system, display: element[attribute: "displayName"])
    }

    mutating func readEffectiveTime() {
        guard let element = first("effectiveTime") else { return }
        header.effectiveTime = timestamp(element, at: path.child("effectiveTime"), what: "effectiveTime", required: true)
        if let ts = header.effectiveTime, !ts.hasDay {
            issues.append(.warning(.cdaTimestampPrecision, at: path.child("effectiveTime").attribute("value"),
                                   "The document effectiveTime should be precise to the day at least"))
        }
    }

    /// Reads a TS element's `@value`; issues for a missing or badly formed value.
    mutating func timestamp(_ element: XMLTreeElement, at p: XMLPath, what: String, required: Bool) -> HL7Timestamp? {
        guard let value = element[attribute: "value"] else {
            if required && element[attribute: "nullFlavor"] == nil {
                issues.append(.error(.cdaTimestampMissing, type: "required", at: p.attribute("value"), "\(what) has no value"))
            }
            return nil
        }
        guard let ts = HL7Timestamp(value, syntax: .v3) else {
            issues.append(.error(.cdaTimestampFormat, type: "value", at: p.attribute("value"),
                                 "\(what) is not a valid HL7 TS (YYYYMMDDHHMMSS[.SSSS][+/-ZZZZ])"))
            return nil
        }
        if ts.hourOnlyOffset {
            issues.append(.warning(.cdaTimestampOffset, at: p.attribute("value"),
                                   "\(what) has a UTC offset of hours only; it should be +/-HHMM"))
        }
        return ts
    }

    mutating func readConfidentiality() {
        guard let element = first("confidentialityCode") else { return }
        let p = path.child("confidentialityCode")
        let code = element[attribute: "code"] ?? ""
        let system = element[attribute: "codeSystem"]
        if !["N", "R", "V"].contains(code) {
            issues.append(.error(.cdaConfidentialityCode, type: "code-invalid", at: p.attribute("code"),
                                 "confidentialityCode must be N, R or V"))
        } else if let system, !Self.confidentialitySystems.contains(system) {
            issues.append(.warning(.cdaConfidentialitySystem, type: "code-invalid", at: p.attribute("codeSystem"),
                                   "confidentialityCode should come from code system 2.16.840.1.113883.5.25"))
        }
        if !code.isEmpty { header.confidentiality = CDAHeader.Coded(code: code, system: system, display: element[attribute: "displayName"]) }
    }

    mutating func readSetAndVersion() {
        let set = first("setId")
        let version = first("versionNumber")
        if let set { header.setID = checkedID(set, at: path.child("setId"), what: "setId") }
        if let version {
            let p = path.child("versionNumber")
            if let v = version[attribute: "value"].flatMap({ Int($0) }), v >= 1 {
                header.versionNumber = v
            } else {
                issues.append(.error(.cdaVersionNumber, type: "value", at: p.attribute("value"),
                                     "versionNumber must be a whole number of 1 or more"))
            }
        }
        if (set == nil) != (version == nil) {
            issues.append(.warning(.cdaSetVersionPair, at: path.child(set == nil ? "setId" : "versionNumber").description,
                                   "setId and versionNumber should be sent together"))
        }
    }
}
