/// Maps a read CDA header to FHIR R4 and to Postroom's format-neutral facts.
///
/// The DocumentReference's `content[0].attachment` carries `contentType`
/// `application/hl7-v3+xml`, the title and the creation time, but **not** `data`, `size` or
/// `hash`: the pipeline fills those from the document's original bytes (`InboundMessage.raw`
/// for a document cut out of an envelope, the drop's bytes for a bare document), so the core
/// never copies megabytes of base64 around.
enum CDAMapper {
    /// FHIR system URIs of the code systems CDA documents name by OID.
    static let knownSystems: [String: String] = [
        "2.16.840.1.113883.6.1": "http://loinc.org",
        "2.16.840.1.113883.6.96": "http://snomed.info/sct",
        "2.16.840.1.113883.2.1.3.2.4.15": "http://snomed.info/sct",
    ]

    /// A FHIR system URI for a code system OID: LOINC and SNOMED CT by name, others as `urn:oid:`.
    static func system(forOID oid: String) -> String {
        if let known = knownSystems[oid] { return known }
        return InstanceIdentifier.isUUID(oid) ? "urn:uuid:" + oid.lowercased() : "urn:oid:" + oid
    }

    static func coding(_ coded: CDAHeader.Coded, systemOverride: String? = nil) -> JSONValue {
        .object(JSONObject([
            "system": (systemOverride ?? coded.system.map(system(forOID:))).map(JSONValue.string),
            "code": .string(coded.code),
            "display": coded.display.map(JSONValue.string),
        ]))
    }

    /// The document instance's key, `cda|<id>`: each version of a document (same setId, higher
    /// versionNumber) is a document of its own, kept; a replacement names its parent in `replaces`.
    static func identity(_ header: CDAHeader) -> String? {
        header.id.map { "cda|" + $0.keyPart }
    }

    /// The parent's identity key for an RPLC: `cda|<first parentDocument/id>`.
    static func replaces(_ header: CDAHeader) -> String? {
        guard let replaced = header.related("RPLC") else { return nil }
        return replaced.parentIDs.first.map { "cda|" + $0.keyPart }
    }

    /// The order keys: each `order/id` as a placer number, namespace = root, value = extension;
    /// an id with no extension is namespace `urn:ietf:rfc:3986`, value `urn:oid:<root>` /
    /// `urn:uuid:<root>` (the whole id is the root, as for FHIR identifiers).
    static func requestKeys(_ header: CDAHeader) -> [String] {
        var keys: [String] = []
        for id in header.orderIDs {
            let key = id.ext.map { CorrelationKey.placer(namespace: id.normalizedRoot, value: $0) }
                ?? CorrelationKey.placer(namespace: "urn:ietf:rfc:3986", value: id.rootURI)
            if !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    /// The report status: `amended` for a replacement (RPLC), `appended` for an addendum (APND),
    /// `final` otherwise (XFRM included). All three complete the order's Task (`ReportFacts.isFinal`).
    static func status(_ header: CDAHeader) -> String {
        if header.related("RPLC") != nil { return "amended" }
        if header.related("APND") != nil { return "appended" }
        return "final"
    }

    /// The patient facts: the valid NHS number, other ids as `id|<root>|<extension>` (UUID roots
    /// in lower case), and a minimal FHIR Patient.
    static func patientFacts(_ patient: CDAHeader.Patient?) -> PatientFacts? {
        guard let patient else { return nil }
        var keys: Set<String> = []
        for id in patient.ids where id.root != NHSNumber.oid {
            keys.insert(CorrelationKey.identifier(system: id.normalizedRoot, value: id.ext ?? ""))
        }
        let facts = PatientFacts(nhsNumber: patient.nhsNumber, keys: keys, resource: patientResource(patient))
        return facts.isEmpty ? nil : facts
    }

    static func patientResource(_ patient: CDAHeader.Patient) -> JSONValue {
        var identifiers: [JSONValue] = []
        if let nhs = patient.nhsNumber {
            identifiers.append(.object(JSONObject(["system": .string(NHSNumber.system), "value": .string(nhs)])))
        }
        for id in patient.ids where id.root != NHSNumber.oid { identifiers.append(id.fhirIdentifier) }
        var name: JSONValue?
        if patient.family != nil || !patient.given.isEmpty {
            name = .array([.object(JSONObject([
                "family": patient.family.map(JSONValue.string),
                "given": patient.given.isEmpty ? nil : .array(patient.given.map(JSONValue.string)),
                "prefix": patient.prefix.isEmpty ? nil : .array(patient.prefix.map(JSONValue.string)),
            ]))])
        }
        return .object(JSONObject([
            "resourceType": "Patient",
            "identifier": identifiers.isEmpty ? nil : .array(identifiers),
            "name": name,
            "gender": patient.gender.flatMap(gender).map(JSONValue.string),
            "birthDate": patient.birthTime.map { .string($0.fhirDate) },
        ]))
    }

    /// FHIR AdministrativeGender from HL7 v3 (`M`/`F`/`UN`) or NHS (`1`/`2`/`9`/`0`) codes.
    static func gender(_ coded: CDAHeader.Coded) -> String? {
        switch coded.code {
        case "M", "1": "male"
        case "F", "2": "female"
        case "UN", "0", "9": "unknown"
        default: nil
        }
    }
}
