import Testing
import PostroomCore

/// Header rules of DOMAIN.md §7.1 and §7.3, on a small valid document varied one rule at a time.
@Suite struct CDAHeaderTests {
    static func issues(fulfil: String = "", related: String = "", _ replacing: [(String, String)] = []) -> [PostroomCore.Issue] {
        let drop = CDAFixture.decode(CDAFixture.document(fulfil: fulfil, related: related, replacing: replacing))
        return drop.issues + drop.messages.flatMap(\.issues)
    }

    static func errors(fulfil: String = "", related: String = "", _ replacing: [(String, String)] = []) -> [String] {
        issues(fulfil: fulfil, related: related, replacing).filter(\.isError).map(\.code)
    }

    @Test func theSampleDocumentIsValid() {
        #expect(Self.issues().isEmpty)
    }

    @Test func typeIDMustBeTheCDAOne() {
        #expect(Self.errors([("POCD_HD000040", "POCD_MT000002UK01")]) == ["cda-type-id"])
        #expect(Self.errors([("root=\"2.16.840.1.113883.1.3\"", "root=\"1.2.3\"")]) == ["cda-type-id"])
    }

    @Test func theDocumentIDNeedsAnOIDOrUUIDRoot() {
        let missing = Self.issues([("<id root=\"2.16.840.1.113883.19.5\" extension=\"DOC-1\"/>", "<id extension=\"DOC-1\"/>")])
        #expect(missing.map(\.code) == ["cda-id-root-missing"])
        #expect(missing.first?.location == "/ClinicalDocument/id/@root")
        #expect(Self.errors([("<id root=\"2.16.840.1.113883.19.5\" extension=\"DOC-1\"/>", "<id root=\"not an oid\"/>")]) == ["cda-id-root-format"])
        #expect(Self.errors([("<id root=\"2.16.840.1.113883.19.5\" extension=\"DOC-1\"/>", "<id root=\"A709A442-3CF4-476E-8377-376500E829C9\"/>")]).isEmpty)
    }

    @Test func requiredHeaderElementsAreReportedAllAtOnce() {
        let issues = Self.issues([
            ("<code code=\"11488-4\" codeSystem=\"2.16.840.1.113883.6.1\" displayName=\"Consult note\"/>", ""),
            ("<confidentialityCode code=\"N\" codeSystem=\"2.16.840.1.113883.5.25\"/>", ""),
        ])
        #expect(issues.map(\.code) == ["cda-element-missing", "cda-element-missing"])
        #expect(issues.map(\.location) == ["/ClinicalDocument/code", "/ClinicalDocument/confidentialityCode"])
        #expect(issues.allSatisfy { $0.type == "required" })
    }

    @Test func headerElementsMustFollowSchemaOrder() {
        let issues = Self.issues([
            ("<title>Consult note</title>", ""),
            ("<versionNumber value=\"1\"/>", "<versionNumber value=\"1\"/><title>Consult note</title>"),
        ])
        #expect(issues.map(\.code) == ["cda-element-order"])
        #expect(issues.first?.location == "/ClinicalDocument/title")
    }

    @Test func singleElementsMustNotRepeatAndUnknownOnesAreReported() {
        #expect(Self.errors([("<title>Consult note</title>", "<title>Consult note</title><title>Again</title>")]) == ["cda-element-repeated"])
        #expect(Self.errors([("<title>Consult note</title>", "<title>Consult note</title><subtitle/>")]).contains("cda-unexpected-element"))
    }

    @Test func effectiveTimeMustBeAValidTS() {
        #expect(Self.errors([("<effectiveTime value=\"20240715103000\"/>", "<effectiveTime value=\"2024-07-15\"/>")]) == ["cda-timestamp-format"])
        #expect(Self.errors([("<effectiveTime value=\"20240715103000\"/>", "<effectiveTime value=\"20241315\"/>")]) == ["cda-timestamp-format"])
        let hourOnly = Self.issues([("<effectiveTime value=\"20240715103000\"/>", "<effectiveTime value=\"201701012000+00\"/>")])
        #expect(hourOnly.map(\.code) == ["cda-timestamp-offset"])
        #expect(hourOnly.first?.severity == .warning)
    }

    @Test func confidentialityIsNRorV() {
        #expect(Self.errors([("<confidentialityCode code=\"N\"", "<confidentialityCode code=\"X\"")]) == ["cda-confidentiality-code"])
        // NHS documents use the x_BasicConfidentialityKind OID as their code system.
        #expect(Self.issues([("2.16.840.1.113883.5.25", "2.16.840.1.113883.1.11.16926")]).isEmpty)
        #expect(Self.issues([("2.16.840.1.113883.5.25", "1.2.3.4")]).map(\.code) == ["cda-confidentiality-system"])
    }

    @Test func nhsNumbersAreModulus11Checked() {
        let bad = Self.issues([("extension=\"9434765919\"", "extension=\"9434765918\"")])
        #expect(bad.map(\.code) == ["nhs-number-check-digit"])
        #expect(bad.first?.location == "/ClinicalDocument/recordTarget[1]/patientRole/id[1]/@extension")
        #expect(bad.first?.text.contains("9434765918") == false)
        #expect(Self.errors([("extension=\"9434765919\"", "extension=\"94347\"")]) == ["nhs-number-format"])
        // A test-range number is fine.
        #expect(Self.issues([("extension=\"9434765919\"", "extension=\"9990238359\"")]).isEmpty)
    }

    @Test func authorCustodianAndBodyAreChecked() {
        #expect(Self.errors([("<time value=\"20240715103000\"/>", "")]) == ["cda-element-missing"])
        #expect(Self.errors([("<representedCustodianOrganization>", "<x>"), ("</representedCustodianOrganization>", "</x>")])
            == ["cda-element-missing"])
        #expect(Self.errors([("<structuredBody><component><section><title>Findings</title><text>None</text></section></component></structuredBody>", "")])
            == ["cda-body-missing"])
        let nonXML = "<nonXMLBody><text mediaType=\"text/plain\">Hello</text></nonXMLBody>"
        #expect(Self.errors([("<structuredBody><component><section><title>Findings</title><text>None</text></section></component></structuredBody>", nonXML)]).isEmpty)
    }

    @Test func ordersNeedAnID() {
        #expect(Self.errors(fulfil: "<inFulfillmentOf typeCode=\"FLFS\"><order/></inFulfillmentOf>") == ["cda-element-missing"])
        #expect(Self.errors(fulfil: "<inFulfillmentOf typeCode=\"FLFS\"><order><id extension=\"X\"/></order></inFulfillmentOf>") == ["cda-id-root-missing"])
        #expect(Self.errors(fulfil: "<inFulfillmentOf><order><id root=\"1.2.3\" extension=\"X\"/></order></inFulfillmentOf>").isEmpty)
    }

    static func related(_ type: String, parent: String = "<id root=\"2.16.840.1.113883.19.5\" extension=\"DOC-0\"/>") -> String {
        "<relatedDocument typeCode=\"\(type)\"><parentDocument>\(parent)</parentDocument></relatedDocument>"
    }

    static let version2: [(String, String)] = [("<versionNumber value=\"1\"/>", "<versionNumber value=\"2\"/>")]

    @Test(arguments: [["APND"], ["RPLC"], ["XFRM"], ["XFRM", "RPLC"], ["RPLC", "XFRM"], ["XFRM", "APND"]])
    func allowedRelatedDocumentCombinations(_ types: [String]) {
        #expect(Self.errors(related: types.map { Self.related($0) }.joined(), Self.version2).isEmpty)
    }

    @Test(arguments: [["RPLC", "APND"], ["RPLC", "RPLC"], ["APND", "APND"], ["XFRM", "XFRM"], ["XFRM", "RPLC", "APND"]])
    func forbiddenRelatedDocumentCombinations(_ types: [String]) {
        #expect(Self.errors(related: types.map { Self.related($0) }.joined(), Self.version2) == ["cda-related-document-combination"])
    }

    @Test func relatedDocumentTypeAndParentAreChecked() {
        #expect(Self.errors(related: Self.related("SUCC"), Self.version2) == ["cda-related-document-type", "cda-related-document-combination"])
        #expect(Self.errors(related: "<relatedDocument typeCode=\"APND\"/>") == ["cda-element-missing"])
    }

    @Test func aReplacementKeepsTheSetAndRaisesTheVersion() {
        // No higher version: a warning.
        let sameVersion = Self.issues(related: Self.related("RPLC"))
        #expect(sameVersion.map(\.code) == ["cda-replacement-version"])
        #expect(sameVersion.first?.severity == .warning)
        // Another set, or a version not above the parent's: errors.
        let otherSet = Self.related("RPLC", parent: "<id root=\"1.2.3\"/><setId root=\"2.16.840.1.113883.19.7\" extension=\"OTHER\"/><versionNumber value='1'/>")
        #expect(Self.errors(related: otherSet, Self.version2) == ["cda-replacement-set-id"])
        let older = Self.related("RPLC", parent: "<id root=\"1.2.3\"/><setId root=\"2.16.840.1.113883.19.7\" extension=\"SET-1\"/><versionNumber value=\"3\"/>")
        #expect(Self.errors(related: older, Self.version2) == ["cda-replacement-version-order"])
        let selfReplace = Self.related("RPLC", parent: "<id root=\"2.16.840.1.113883.19.5\" extension=\"DOC-1\"/>")
        #expect(Self.errors(related: selfReplace, Self.version2) == ["cda-replacement-self"])
    }

    @Test func nonCDAXMLIsRecognisedAndRejected() {
        let v3 = CDAFixture.decode(Array("<QUPA_IN000006UK02 xmlns=\"urn:hl7-org:v3\"><id root=\"1.2\"/></QUPA_IN000006UK02>".utf8))
        #expect(v3.issues.map(\.code) == ["hl7v3-not-cda"])
        let fhir = CDAFixture.decode(Array("<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"x\"/></Patient>".utf8))
        #expect(fhir.issues.map(\.code) == ["fhir-xml-not-supported"])
        #expect(fhir.issues.first?.text == "FHIR XML is not supported; send FHIR JSON")
        let other = CDAFixture.decode(Array("<note><to>x</to></note>".utf8))
        #expect(other.issues.map(\.code) == ["xml-not-cda"])
        #expect([v3, fhir, other].allSatisfy { $0.messages.isEmpty && $0.issues.allSatisfy { $0.severity == .fatal } })
    }

    @Test func issueTextsCarryNoPatientData() {
        let issues = Self.issues([("extension=\"9434765919\"", "extension=\"9434765918\""), ("<effectiveTime value=\"20240715103000\"/>", "<effectiveTime value=\"bad\"/>")])
        #expect(issues.count == 2)
        for issue in issues {
            #expect(!issue.text.contains("9434765918"))
            #expect(!issue.text.contains("Example"))
            #expect(!issue.text.contains("bad"))
        }
    }
}
