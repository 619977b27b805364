import Foundation
import Testing
@testable import PostroomCore

/// Hostile and ordinary XML through the safe reader.
@Suite struct SafeXMLReaderTests {
    static let xxe = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
        <ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>
        """

    static let billionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
         <!ENTITY lol "lol">
         <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
         <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
         <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
         <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
        ]>
        <lolz>&lol9;</lolz>
        """

    static func codes(_ xml: String, options: DecodeOptions = DecodeOptions()) -> [String] {
        codes(Array(xml.utf8), options: options)
    }

    static func codes(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) -> [String] {
        do {
            _ = try SafeXMLReader.read(bytes, options: options)
            return []
        } catch {
            return error.issues.map(\.code)
        }
    }

    /// Text of the first lines of /etc/passwd, to prove it never shows up anywhere.
    static var passwdSample: String? {
        guard let text = try? String(contentsOfFile: "/etc/passwd", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.map(String.init)
    }

    @Test func anXXEPointingAtALocalFileIsRefusedBeforeParsing() {
        #expect(Self.codes(Self.xxe) == ["xml-doctype-refused", "xml-entity-refused"])
        let drop = CDADecoder.decode(Array(Self.xxe.utf8), options: DecodeOptions())
        #expect(drop.messages.isEmpty)
        if let sample = Self.passwdSample {
            let everything = drop.issues.map { "\($0.text) \($0.location ?? "")" }.joined()
            #expect(!everything.contains(sample))
        }
    }

    @Test func evenWithoutThePreScanTheParserNeverReadsTheFile() throws {
        // Defence in depth: hand the XXE straight to the parse step (skipping the byte checks).
        // With XMLParser's default policy the external entity is not resolved; the document is refused.
        let result = Result { () throws(XMLReadFailure) in try SafeXMLReader.parse(Array(Self.xxe.utf8), options: DecodeOptions()) }
        switch result {
        case .success(let tree):
            if let sample = Self.passwdSample { #expect(!tree.element.allText.contains(sample)) }
            #expect(!tree.element.allText.contains("root:"))
        case .failure(let failure):
            #expect(!failure.issues.isEmpty)
        }
    }

    @Test func billionLaughsAndQuadraticBlowUpAreRefusedBeforeParsing() {
        #expect(Self.codes(Self.billionLaughs) == ["xml-doctype-refused", "xml-entity-refused"])
        let big = String(repeating: "x", count: 100_000)
        let quadratic = "<?xml version=\"1.0\"?><!DOCTYPE q [<!ENTITY a \"\(big)\">]><q>" + String(repeating: "&a;", count: 20_000) + "</q>"
        let start = Date()
        #expect(Self.codes(quadratic) == ["xml-doctype-refused", "xml-entity-refused"])
        #expect(Date().timeIntervalSince(start) < 2.0)
    }

    /// Found by `make fuzz`: a processing instruction without data made Foundation's XMLParser read a
    /// NULL C string and crash the whole process (and every later run that retried the file).
    @Test func aProcessingInstructionWithoutDataIsRefusedBeforeTheParserSeesIt() {
        #expect(Self.codes("<?xm?>\n\"1.0\" encoding=\"QTF-4\"?>\n >\n") == ["xml-processing-instruction-refused"])
        #expect(Self.codes("<a><?x ?></a>") == ["xml-processing-instruction-refused"])
        #expect(Self.codes("<?xml version=\"1.0\"?><?xml-stylesheet type=\"text/xsl\" href=\"CDA.xsl\"?><a/>") == [])
    }

    @Test func declarationsAreRefusedWhereverTheyAreEvenInAComment() {
        #expect(Self.codes("<a><!-- <!DOCTYPE x> --></a>") == ["xml-doctype-refused"])
        #expect(Self.codes("<a><![CDATA[<!ENTITY x \"y\">]]></a>") == ["xml-entity-refused"])
        #expect(Self.codes("<!doctype a><a/>") == ["xml-doctype-refused"])
    }

    @Test func anAbsurdlyDeepDocumentIsRefusedQuicklyWithoutCrashing() {
        let deep = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        let start = Date()
        #expect(Self.codes(deep) == ["xml-too-deep"])
        // Even when the configured limit is absurd, the hard cap applies.
        var lax = DecodeOptions()
        lax.maxXMLDepth = 10_000_000
        #expect(Self.codes(deep, options: lax) == ["xml-too-deep"])
        #expect(Date().timeIntervalSince(start) < 2.0)
    }

    @Test func theDelegateEnforcesTheLimitsToo() {
        // The parse step alone (no byte scan) still stops at the limits.
        var tight = DecodeOptions()
        tight.maxXMLDepth = 3
        tight.maxXMLElements = 5
        tight.maxXMLAttributes = 2
        func parseCodes(_ xml: String) -> [String] {
            do { _ = try SafeXMLReader.parse(Array(xml.utf8), options: tight); return [] } catch { return error.issues.map(\.code) }
        }
        #expect(parseCodes("<a><b><c><d/></c></b></a>") == ["xml-too-deep"])
        #expect(parseCodes("<a><b/><b/><b/><b/><b/></a>") == ["xml-too-many-elements"])
        #expect(parseCodes("<a x='1' y='2' xmlns:p='urn:p'/>") == ["xml-too-many-attributes"])
        #expect(parseCodes("<a><b><c/></b><b/><b/></a>") == [])
    }

    @Test func tenThousandAttributesAreRefused() {
        let attributes = (0..<10_000).map { "a\($0)=\"v\"" }.joined(separator: " ")
        let start = Date()
        #expect(Self.codes("<e \(attributes)/>") == ["xml-too-many-attributes"])
        #expect(Date().timeIntervalSince(start) < 2.0)
    }

    @Test func tooManyElementsAndTooLargeFilesAreRefused() {
        var options = DecodeOptions()
        options.maxXMLElements = 1000
        #expect(Self.codes("<a>" + String(repeating: "<b/>", count: 1000) + "</a>", options: options) == ["xml-too-many-elements"])
        options.maxXMLBytes = 100
        #expect(Self.codes("<a>" + String(repeating: " ", count: 200) + "</a>", options: options) == ["xml-too-large"])
    }

    @Test func nonUTF8ContentIsRefused() {
        let utf16 = [UInt8]([0xFF, 0xFE]) + Array("<a/>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(Self.codes(utf16) == ["xml-encoding-refused"])
        let utf16NoBOM = Array("<a/>".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(Self.codes(utf16NoBOM) == ["xml-encoding-refused"])
        #expect(Self.codes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>") == ["xml-encoding-refused"])
        #expect(Self.codes(Array("<a>caf".utf8) + [0xE9] + Array("</a>".utf8)) == ["xml-invalid-utf8"])
        #expect(Self.codes(Array("<a>".utf8) + [0xC0, 0xAF] + Array("</a>".utf8)) == ["xml-invalid-utf8"])
        // UTF-8 with or without a BOM, and a US-ASCII declaration, are fine.
        #expect(Self.codes([0xEF, 0xBB, 0xBF] + Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><a>café</a>".utf8)) == [])
        #expect(Self.codes("<?xml version='1.0' encoding='US-ASCII'?><a/>") == [])
    }

    @Test(arguments: ["<a><b>text</b>", "<a><b attr=\"x", "<a><b>te", "<a><b/></a"])
    func truncatedDocumentsAreReportedAsTruncated(_ xml: String) {
        #expect(Self.codes(xml) == ["xml-truncated"])
    }

    @Test func malformedDocumentsSayWhere() throws {
        do {
            _ = try SafeXMLReader.read(Array("<a>\n<b></c>\n</a>".utf8))
            Issue.record("should fail")
        } catch {
            let issue = try #require(error.issues.first)
            #expect(issue.code == "xml-malformed")
            #expect(issue.location?.hasPrefix("line 2, column") == true)
        }
        #expect(Self.codes("<a/><b/>") == ["xml-malformed"])
        #expect(Self.codes("<x:a/>") == ["xml-malformed"])
        #expect(Self.codes("<a>&undeclared;</a>") == ["xml-malformed"])
        #expect(Self.codes("   ") == ["xml-malformed"])
    }

    @Test func namespacesTextAndAttributesAreRead() throws {
        let xml = """
            <?xml version="1.0"?>
            <cda:ClinicalDocument xmlns:cda="urn:hl7-org:v3" xmlns:npfitlc="NPFIT:HL7:Localisation" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <npfitlc:messageType root="2.16.840.1.113883.2.1.3.2.4.18.17" extension="POCD_MT150001UK06"/>
              <cda:title>Discharge <![CDATA[& summary]]></cda:title>
              <cda:value xsi:type="CD" code="1"/>
            </cda:ClinicalDocument>
            """
        let tree = try SafeXMLReader.read(Array(xml.utf8))
        #expect(tree.root.isNamed("ClinicalDocument", in: CDANamespace.hl7v3))
        #expect(tree.root.qualifiedName == "cda:ClinicalDocument")
        #expect(tree.root.namespaceDeclarations["npfitlc"] == CDANamespace.npfit)
        let messageType = try #require(tree.root.child("messageType", in: CDANamespace.npfit))
        #expect(messageType[attribute: "extension"] == "POCD_MT150001UK06")
        #expect(tree.root.child("title", in: CDANamespace.hl7v3)?.trimmedText == "Discharge & summary")
        #expect(tree.root.child("value", in: CDANamespace.hl7v3)?[attribute: "xsi:type"] == "CD")
        #expect(tree.elementCount == 4)
    }

    @Test func anElementIsCutOutWithTheNamespacesItInherits() throws {
        let xml = "<env xmlns='urn:e' xmlns:cda='urn:hl7-org:v3'><wrap><cda:doc a='1'><cda:x/>text</cda:doc></wrap></env>"
        let tree = try SafeXMLReader.read(Array(xml.utf8))
        let doc = try #require(tree.root.children.first?.children.first)
        let bytes = try #require(tree.standaloneBytes(of: doc, inheriting: tree.root.namespaceDeclarations))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == "<cda:doc xmlns=\"urn:e\" xmlns:cda=\"urn:hl7-org:v3\" a='1'><cda:x/>text</cda:doc>")
        let again = try SafeXMLReader.read(bytes)
        #expect(again.root.isNamed("doc", in: CDANamespace.hl7v3))
    }

    @Test func pathsReadLikeXPath() {
        let path = XMLPath().child("ClinicalDocument").child("recordTarget", index: 1).child("patientRole").child("id", index: 2)
        #expect(path.description == "/ClinicalDocument/recordTarget[1]/patientRole/id[2]")
        #expect(path.attribute("extension") == "/ClinicalDocument/recordTarget[1]/patientRole/id[2]/@extension")
    }
}
