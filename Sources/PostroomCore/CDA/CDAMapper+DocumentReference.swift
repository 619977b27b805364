/// The FHIR R4 DocumentReference a CDA document is stored as.
extension CDAMapper {
    /// The DocumentReference of a document (see `CDAMapper` for the attachment rule).
    static func documentReference(_ header: CDAHeader, options: DecodeOptions) -> JSONValue {
        let zone = options.timeZone
        var subject: JSONValue?
        if let nhs = header.patient?.nhsNumber {
            subject = .object(JSONObject(["identifier": .object(JSONObject(["system": .string(NHSNumber.system), "value": .string(nhs)]))]))
        } else if let id = header.patient?.ids.first {
            subject = .object(JSONObject(["identifier": id.fhirIdentifier]))
        }
        var relatesTo: [JSONValue] = []
        for related in header.related {
            let code = ["RPLC": "replaces", "APND": "appends", "XFRM": "transforms"][related.typeCode]
            guard let code, let parent = related.parentIDs.first else { continue }
            relatesTo.append(.object(JSONObject([
                "code": .string(code),
                "target": .object(JSONObject(["identifier": parent.fhirIdentifier])),
            ])))
        }
        let attachment = JSONValue.object(JSONObject([
            "contentType": "application/hl7-v3+xml",
            "language": header.languageCode.map(JSONValue.string),
            "title": header.title.map(JSONValue.string),
            "creation": header.effectiveTime.map { .string($0.fhirDateTime(defaultZone: zone)) },
        ]))
        var format: JSONValue?
        if let type = header.nhsMessageType {
            format = .object(JSONObject(["system": .string("urn:oid:" + type.root), "code": type.ext.map(JSONValue.string)]))
        }
        var context = JSONObject()
        if !header.orderIDs.isEmpty {
            context["related"] = .array(header.orderIDs.map { .object(JSONObject(["identifier": $0.fhirIdentifier])) })
        }
        if header.serviceStart != nil || header.serviceEnd != nil {
            context["period"] = .object(JSONObject([
                "start": header.serviceStart.map { .string($0.fhirDateTime(defaultZone: zone)) },
                "end": header.serviceEnd.map { .string($0.fhirDateTime(defaultZone: zone)) },
            ]))
        }
        var identifiers: [JSONValue] = []
        if let set = header.setID { identifiers.append(set.fhirIdentifier) }
        var custodian: JSONValue?
        if header.custodianName != nil || header.custodianID != nil {
            custodian = .object(JSONObject([
                "identifier": header.custodianID?.fhirIdentifier,
                "display": header.custodianName.map(JSONValue.string),
            ]))
        }
        return .object(JSONObject([
            "resourceType": "DocumentReference",
            "masterIdentifier": header.id?.fhirIdentifier,
            "identifier": identifiers.isEmpty ? nil : .array(identifiers),
            "status": "current",
            "docStatus": .string(status(header) == "amended" ? "amended" : "final"),
            "type": header.code.map { .object(JSONObject(["coding": .array([coding($0)])])) },
            "subject": subject,
            "date": header.effectiveTime.flatMap { $0.fhirInstant(defaultZone: zone) }.map(JSONValue.string),
            "author": header.authors.isEmpty ? nil : .array(header.authors.map { .object(JSONObject(["display": .string($0)])) }),
            "custodian": custodian,
            "relatesTo": relatesTo.isEmpty ? nil : .array(relatesTo),
            "description": header.title.map(JSONValue.string),
            "securityLabel": header.confidentiality.map { .array([.object(JSONObject(["coding": .array([
                coding($0, systemOverride: "http://terminology.hl7.org/CodeSystem/v3-Confidentiality")])]))]) },
            "content": .array([.object(JSONObject(["attachment": attachment, "format": format]))]),
            "context": context.isEmpty ? nil : .object(context),
        ]))
    }
}
