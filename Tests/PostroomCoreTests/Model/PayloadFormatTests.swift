import Foundation
@testable import PostroomCore
import Testing

/// Detecting the format from the first bytes: the byte scan for FHIR XML's namespace answers as the
/// regular expression it replaced did, on every corpus file and on made-up edges.
@Suite struct PayloadFormatTests {
    /// The regular expression's answer (the code before the byte scan), kept as the reference.
    static func byRegularExpression(_ window: [UInt8]) -> Bool { PayloadFormat.namesFHIRNamespaceByCharacters(window) }

    static let edges: [String] = [
        #"<Patient xmlns="http://hl7.org/fhir"><id value="1"/></Patient>"#,
        #"<?xml version="1.0"?><!-- a comment --><Bundle xmlns='http://hl7.org/fhir'>"#,
        #"<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><x xmlns="http://hl7.org/fhir"/>"#,
        #"<!DOCTYPE x><a xmlns="http://hl7.org/fhir">"#,
        #"<a><b xmlns="http://hl7.org/fhir"/></a>"#,
        #"<Patient xmlns="http://hl7.org/fhirx">"#,
        #"<Patient xmlns=http://hl7.org/fhir>"#,
        #"<Patient xmlns="http://hl7.org/fhir""#,
        #"<P"#, "<", "<a", "<ab", "<a>", "< a xmlns=\"http://hl7.org/fhir\">",
        #"<1 xmlns="http://hl7.org/fhir"><b xmlns="http://hl7.org/fhir">"#,
        #"<a? xmlns="http://hl7.org/fhir"><b xmlns="http://hl7.org/fhir">"#,
        #"<é xmlns="http://hl7.org/fhir"><b xmlns="http://hl7.org/fhir">"#,
        #"<aé xmlns="http://hl7.org/fhir">"#,
        #"<Bundle xmlns:f="x" xmlns="'http://hl7.org/fhir'">"#,
        // Not a root element's start (a digit, `!` or `?` after the letter): the namespace is looked for further on.
        #"<1 xmlns="http://hl7.org/fhir"><b>"#, #"<a? xmlns="http://hl7.org/fhir"><b>"#, #"<a! xmlns="http://hl7.org/fhir"><b>"#,
        // Combining marks joining a quote or a `>` into another character (the review's three).
        "<Patient xmlns=\"http://hl7.org/fhir\"\u{301}>",
        "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\u{301}<x xmlns=\"http://hl7.org/fhir\"/>",
        "<ClinicalDocument a=\"x\u{600}>\" xmlns=\"http://hl7.org/fhir\">",
        // Not UTF-8 past an ASCII root tag.
        "<Patient xmlns=\"http://hl7.org/fhir\"><name value=\"\u{FFFD}\"/>",
    ]

    @Test(arguments: edges) func madeUpEdgesAnswerAsTheRegularExpressionDid(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(PayloadFormat.namesFHIRNamespace(bytes) == Self.byRegularExpression(bytes))
        #expect(PayloadFormat.sniff(bytes) == (Self.byRegularExpression(bytes) ? .fhir : .cda))
    }

    @Test func aWindowThatIsNotUTF8NamesNoNamespace() {
        let fhir = Array(#"<Patient xmlns="http://hl7.org/fhir">"#.utf8)
        #expect(PayloadFormat.namesFHIRNamespace(fhir))
        #expect(!PayloadFormat.namesFHIRNamespace([0xFF, 0xFE] + fhir))
        #expect(!PayloadFormat.namesFHIRNamespace(fhir + [0x20, 0xFF, 0x20, 0x20, 0x20]), "not UTF-8 before the window's last three bytes")
        #expect(!Self.byRegularExpression(fhir + [0x20, 0xFF, 0x20, 0x20, 0x20]))
        #expect(PayloadFormat.namesFHIRNamespace(fhir + [0x41, 0xE2, 0x82]), "a character cut at the window's end")
        #expect(Self.byRegularExpression(fhir + [0x41, 0xE2, 0x82]))
    }

    @Test func everyFixtureIsSniffedAsBefore() throws {
        // Every fixture of the three formats (the CDA and FHIR XML files among them).
        let corpus = HL7Fixtures.folder.deletingLastPathComponent()
        let names = try FileManager.default.subpathsOfDirectory(atPath: corpus.path).sorted()
        var xml = 0
        for name in names {
            guard let data = FileManager.default.contents(atPath: corpus.appendingPathComponent(name).path) else { continue }
            let bytes = Array(data)
            guard let start = bytes.firstIndex(of: UInt8(ascii: "<")), PayloadFormat.sniff(bytes) != .hl7v2,
                  PayloadFormat.sniff(bytes) != nil, bytes.first != UInt8(ascii: "{") else { continue }
            xml += 1
            let window = Array(bytes[start...].prefix(4096))
            #expect(PayloadFormat.namesFHIRNamespace(window) == Self.byRegularExpression(window), "\(name)")
        }
        #expect(xml >= 20, "the fixtures' XML files were found (\(xml))")
    }
}
