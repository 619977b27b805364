/// Decodes FHIR drops into format-neutral messages (see `InboundMessage`).
///
/// Steps: refuse FHIR XML; parse the JSON losslessly (bounded depth); recognise and refuse
/// STU3/DSTU2 content; validate against the R4 spec tables (every resource type) with the
/// Bundle, reference and NHS rules; apply the EPS message rules; map to facts. A whole drop
/// is one message (a transaction or batch too: facts carry their `entryIndex` and
/// `InboundMessage.fhirBatch` lists the entries for the answer). Never throws.
public enum FHIRDecoder {
    /// Decodes one FHIR JSON drop.
    public static func decode(_ bytes: [UInt8], options: DecodeOptions) -> DecodedDrop {
        if startsLikeXML(bytes) {
            return DecodedDrop(format: .fhir, messages: [], issues: [.fatal(IssueCode.fhirXMLNotSupported, type: "not-supported",
                "FHIR XML is not supported: send FHIR R4 JSON")])
        }
        let root: JSONValue
        do {
            root = try JSONParser(maxDepth: options.maxJSONDepth).parse(bytes)
        } catch {
            return DecodedDrop(format: .fhir, messages: [], issues: [.fatal(IssueCode.jsonSyntax, type: "structure",
                at: "line \(error.line), column \(error.column)", "The file is not valid JSON: \(error.message)")])
        }
        guard let object = root.object, root["resourceType"]?.string != nil else {
            return DecodedDrop(format: .fhir, messages: [], issues: [.fatal(IssueCode.resourceTypeMissing, type: "structure",
                "The JSON is not a FHIR resource: a JSON object with a resourceType string is expected")])
        }
        let otherVersion = FHIRVersionDetector.evidence(in: root)
        if !otherVersion.isEmpty {
            return DecodedDrop(format: .fhir, messages: [], issues: otherVersion)
        }
        return DecodedDrop(format: .fhir, messages: [message(for: object, root: root)])
    }

    /// Validates and maps one parsed resource or Bundle (the part of `decode` after parsing).
    public static func message(for object: JSONObject, root: JSONValue, validator: FHIRValidator = FHIRValidator()) -> InboundMessage {
        // A Bundle is indexed once, for the walk and the mapping.
        let index = object["resourceType"]?.string == "Bundle" ? FHIRBundleIndex(bundle: object) : nil
        let report = validator.validate(root, rootIndex: index)
        var mapper = FHIRFactsMapper(root: object, index: index)
        var message = mapper.map()
        var issues = report.issues
        if mapper.rootType == "Bundle" { issues += EPSMessageRules.check(object) }
        issues += mapper.issues
        message.issues = issues
        message.fhirBatch = mapper.batchContext(issues: issues, conditionals: report.conditionalReferences)
        return message
    }

    /// Whether the content starts with `<` (after a BOM and whitespace): XML, which this decoder refuses.
    static func startsLikeXML(_ bytes: [UInt8]) -> Bool {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        return i < bytes.count && bytes[i] == UInt8(ascii: "<")
    }
}
