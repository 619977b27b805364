/// `recordTarget`, `author`, `custodian`, body and the other descriptive parts of the header.
extension CDAHeaderReader {
    mutating func readRecordTargets() {
        let targets = all("recordTarget")
        if targets.count > 1 {
            issues.append(.warning(.cdaMultiplePatients, type: "business-rule", at: pathOf("recordTarget", 1).description,
                                   "The document has more than one recordTarget; only the first is used as its patient"))
        }
        for (i, target) in targets.enumerated() {
            let p = pathOf("recordTarget", i)
            guard let role = target.child("patientRole", in: ns) else {
                missing("patientRole", at: p.child("patientRole").description)
                continue
            }
            let patient = readPatientRole(role, at: p.child("patientRole"))
            if i == 0 { header.patient = patient }
        }
    }

    mutating func readPatientRole(_ role: XMLTreeElement, at p: XMLPath) -> CDAHeader.Patient {
        var patient = CDAHeader.Patient()
        let ids = role.children("id", in: ns)
        if ids.isEmpty { missing("patientRole/id", at: p.child("id", index: 1).description) }
        for (k, element) in ids.enumerated() {
            let idPath = p.child("id", index: k + 1)
            if element[attribute: "nullFlavor"] != nil && element[attribute: "root"] == nil { continue }
            guard let id = checkedID(element, at: idPath, what: "A patient id", severity: .warning) else { continue }
            if id.root == NHSNumber.oid {
                let value = id.ext ?? ""
                if let issue = NHSNumber.issue(for: value, at: idPath.attribute("extension")) {
                    issues.append(issue)
                    continue
                }
                if case .valid(let bare) = NHSNumber.check(value) { patient.nhsNumber = bare }
            }
            patient.ids.append(id)
        }
        if let person = role.child("patient", in: ns) {
            if let name = person.child("name", in: ns) {
                patient.family = name.children("family", in: ns).map(\.trimmedText).filter { !$0.isEmpty }.first
                patient.given = name.children("given", in: ns).map(\.trimmedText).filter { !$0.isEmpty }
                patient.prefix = name.children("prefix", in: ns).map(\.trimmedText).filter { !$0.isEmpty }
            }
            if let gender = person.child("administrativeGenderCode", in: ns), let code = gender[attribute: "code"] {
                patient.gender = CDAHeader.Coded(code: code, system: gender[attribute: "codeSystem"], display: nil)
            }
            if let birth = person.child("birthTime", in: ns) {
                patient.birthTime = timestamp(birth, at: p.child("patient").child("birthTime"), what: "birthTime", required: false)
            }
        }
        return patient
    }

    mutating func readAuthors() {
        for (i, author) in all("author").enumerated() {
            let p = pathOf("author", i)
            if author.child("time", in: ns) == nil { missing("author/time", at: p.child("time").description) }
            guard let assigned = author.child("assignedAuthor", in: ns) else {
                missing("author/assignedAuthor", at: p.child("assignedAuthor").description)
                continue
            }
            if let display = Self.display(ofAuthor: assigned, ns: ns) { header.authors.append(display) }
        }
    }

    /// A person's name (`given family`), else the organisation's or the device's name.
    static func display(ofAuthor assigned: XMLTreeElement, ns: String) -> String? {
        if let name = assigned.child("assignedPerson", in: ns)?.child("name", in: ns) {
            let parts = name.children.filter { ["prefix", "given", "family"].contains($0.name) }.map(\.trimmedText).filter { !$0.isEmpty }
            if !parts.isEmpty { return parts.joined(separator: " ") }
            let text = name.trimmedText
            if !text.isEmpty { return text }
        }
        if let org = assigned.child("representedOrganization", in: ns)?.child("name", in: ns), !org.trimmedText.isEmpty {
            return org.trimmedText
        }
        if let device = assigned.child("assignedAuthoringDevice", in: ns) {
            for field in ["softwareName", "manufacturerModelName"] {
                if let text = device.child(field, in: ns)?.trimmedText, !text.isEmpty { return text }
            }
        }
        return nil
    }

    mutating func readCustodian() {
        guard let custodian = first("custodian") else { return }
        let p = path.child("custodian")
        guard let org = custodian.child("assignedCustodian", in: ns)?.child("representedCustodianOrganization", in: ns) else {
            missing("custodian/assignedCustodian/representedCustodianOrganization",
                    at: p.child("assignedCustodian").child("representedCustodianOrganization").description)
            return
        }
        let name = org.child("name", in: ns)?.trimmedText
        header.custodianName = (name?.isEmpty ?? true) ? nil : name
        header.custodianID = org.children("id", in: ns).lazy.compactMap { InstanceIdentifier($0) }.first
    }

    mutating func readBody() {
        guard let component = first("component") else { return }
        let p = path.child("component")
        let structured = component.child("structuredBody", in: ns)
        let nonXML = component.child("nonXMLBody", in: ns)
        switch (structured, nonXML) {
        case (.some, nil):
            header.body = .structured
        case (nil, .some(let body)):
            header.body = .nonXML(mediaType: body.child("text", in: ns)?[attribute: "mediaType"])
        case (.some, .some):
            issues.append(.error(.cdaBodyChoice, type: "structure", at: p.description,
                                 "component must hold either structuredBody or nonXMLBody, not both"))
        case (nil, nil):
            issues.append(.error(.cdaBodyMissing, type: "required", at: p.description,
                                 "component must hold a structuredBody or a nonXMLBody"))
        }
    }

    mutating func readOthers() {
        if let title = first("title")?.trimmedText, !title.isEmpty { header.title = title }
        header.languageCode = first("languageCode")?[attribute: "code"]
        header.nhsMessageType = InstanceIdentifier(doc.child("messageType", in: CDANamespace.npfit))
        if let event = first("documentationOf")?.child("serviceEvent", in: ns), let time = event.child("effectiveTime", in: ns) {
            let p = path.child("documentationOf", index: 1).child("serviceEvent").child("effectiveTime")
            if let low = time.child("low", in: ns) {
                header.serviceStart = timestamp(low, at: p.child("low"), what: "serviceEvent effectiveTime low", required: false)
            }
            if let high = time.child("high", in: ns) {
                header.serviceEnd = timestamp(high, at: p.child("high"), what: "serviceEvent effectiveTime high", required: false)
            }
        }
    }
}
