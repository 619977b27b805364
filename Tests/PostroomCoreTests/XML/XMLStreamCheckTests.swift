import Foundation
import Testing
@testable import PostroomCore

/// The streaming check of large XML documents against the whole-file reader: the same verdict
/// (accepted, or refused with the same first issue code) on good and bad documents, whatever the
/// chunking, and a skeleton that decodes to the same CDA message as the whole document.
@Suite struct XMLStreamCheckTests {
    /// The stream check's codes for `bytes` pushed in pieces of `chunk` bytes.
    static func streamCodes(_ bytes: [UInt8], chunk: Int = 1 << 20, options: DecodeOptions = DecodeOptions()) -> (codes: [String], check: XMLStreamCheck) {
        var check = XMLStreamCheck(limits: XMLStreamCheck.Limits(options))
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            bytes[i..<end].withUnsafeBytes { check.push($0) }
            i = end
        }
        return (check.finish().map(\.code), check)
    }

    /// The whole-file reader's codes (empty when it reads the document).
    static func wholeCodes(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) -> [String] {
        do {
            _ = try SafeXMLReader.read(bytes, options: options)
            return []
        } catch { return error.issues.map(\.code) }
    }

    static let good = CDAFixture.documentText()

    /// Every bound of a UTF-8 lead byte (overlong forms, surrogates, above U+10FFFF) judged alike by both
    /// paths, the stream's in one-byte pieces so a sequence is always split.
    @Test func utf8SequencesAtTheirBoundsAreJudgedAlike() {
        let sequences: [([UInt8], Bool)] = [
            ([0xC2, 0x80], true), ([0xC1, 0xBF], false), ([0xE0, 0xA0, 0x80], true), ([0xE0, 0x9F, 0xBF], false),
            ([0xED, 0x9F, 0xBF], true), ([0xED, 0xA0, 0x80], false), ([0xEF, 0xBF, 0xBD], true), ([0xF0, 0x90, 0x80, 0x80], true),
            ([0xF0, 0x8F, 0xBF, 0xBF], false), ([0xF4, 0x8F, 0xBF, 0xBD], true), ([0xF4, 0x90, 0x80, 0x80], false), ([0xF5, 0x80, 0x80, 0x80], false),
            ([0xE2, 0x82], false),
        ]
        let text = Self.good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x>@</x></ClinicalDocument>")
        let at = text.range(of: "@")!
        for (sequence, valid) in sequences {
            let bytes = Array(text[..<at.lowerBound].utf8) + sequence + Array(text[at.upperBound...].utf8)
            let whole = Self.wholeCodes(bytes)
            let streamed = Self.streamCodes(bytes, chunk: 1).codes
            #expect(whole.contains("xml-invalid-utf8") == !valid, "\(sequence): \(whole)")
            #expect(streamed.first == whole.first, "\(sequence): streamed \(streamed), whole \(whole)")
        }
    }

    /// Documents and how both paths must judge them (the first code, or accepted).
    static let cases: [(String, String)] = [
        ("good", good),
        ("declaration", #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n" + good),
        ("comment and PI", good.replacingOccurrences(of: "<typeId", with: "<!-- a - b --><?pi data?><typeId")),
        ("CDATA and references", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x><![CDATA[ <a> & ]] ]]>&lt;&#65;&#x42;&amp;</x></ClinicalDocument>")),
        ("doctype", "<!DOCTYPE x>" + good),
        ("entity in comment", good.replacingOccurrences(of: "<typeId", with: "<!-- <!ENTITY x 'y'> --><typeId")),
        ("unclosed tag", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x></ClinicalDocument>")),
        ("mismatched end", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x></y></ClinicalDocument>")),
        // Not on the last line: there the whole-file reader calls some errors a truncation (`XMLTreeBuilder.endOfDataCodes`).
        ("unquoted attribute", good.replacingOccurrences(of: "<typeId", with: "<x a=1/><typeId")),
        ("repeated attribute", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x a='1' a='2'/></ClinicalDocument>")),
        ("lt in attribute", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x a='<'/></ClinicalDocument>")),
        ("bare ampersand", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x>a & b</x></ClinicalDocument>")),
        ("undeclared entity", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x>&nbsp;</x></ClinicalDocument>")),
        ("bad char reference", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x>&#1;</x></ClinicalDocument>")),
        ("cdata end in text", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x>a ]]> b</x></ClinicalDocument>")),
        ("double dash in comment", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<!-- a -- b --></ClinicalDocument>")),
        ("undeclared prefix", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<q:x/></ClinicalDocument>")),
        ("text after root", good + "trailing"),
        ("second root", good + "<x/>"),
        ("truncated", String(good.dropLast(25))),
        ("control character", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x>\u{1}</x></ClinicalDocument>")),
        ("declaration not first", "\n" + #"<?xml version="1.0"?>"# + good),
        ("empty PI", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<?x ?></ClinicalDocument>")),
        ("too deep", good.replacingOccurrences(of: "</ClinicalDocument>", with: String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300) + "</ClinicalDocument>")),
        ("too many attributes", good.replacingOccurrences(of: "</ClinicalDocument>", with: "<x " + (0..<70).map { "a\($0)='1'" }.joined(separator: " ") + "/></ClinicalDocument>")),
        ("no element", "  "),
    ]

    @Test(arguments: cases.map(\.0))
    func theStreamCheckJudgesAsTheWholeFileReader(name: String) throws {
        let text = try #require(Self.cases.first { $0.0 == name }?.1)
        let bytes = Array(text.utf8)
        let whole = Self.wholeCodes(bytes)
        for chunk in [1, 7, 1 << 20] {
            let streamed = Self.streamCodes(bytes, chunk: chunk).codes
            #expect(streamed.first == whole.first, "\(name), chunks of \(chunk): \(streamed) vs \(whole)")
            #expect(streamed.isEmpty == whole.isEmpty, "\(name), chunks of \(chunk)")
        }
    }

    @Test func nonUTF8AndOtherEncodingsAreRefusedAsByThePreScan() {
        var latin1 = Array(Self.good.utf8)
        latin1.insert(0xE9, at: 200)
        var utf16 = [UInt8(0xFF), 0xFE]
        for b in Self.good.utf8 { utf16 += [b, 0] }
        let declared = Array((#"<?xml version="1.0" encoding="ISO-8859-1"?>"# + Self.good).utf8)
        let tooLarge = Array(Self.good.utf8)
        for (bytes, options) in [(latin1, DecodeOptions()), (utf16, DecodeOptions()), (declared, DecodeOptions()),
                                 (tooLarge, DecodeOptions(maxXMLBytes: 100))] {
            let whole = Self.wholeCodes(bytes, options: options)
            #expect(!whole.isEmpty)
            #expect(Self.streamCodes(bytes, chunk: 5, options: options).codes == whole)
        }
    }

    @Test func everyCorpusFileIsJudgedAlikeAndItsSkeletonDecodesToTheSameMessage() throws {
        var documents = 0
        for name in CDAFixture.corpusNames {
            let bytes = CDAFixture.corpus(name)
            let (codes, check) = Self.streamCodes(bytes, chunk: 4096)
            #expect(codes.first == Self.wholeCodes(bytes).first, "\(name)")
            guard codes.isEmpty, check.rootLocalName == "ClinicalDocument" else { continue }
            documents += 1
            #expect(check.skeleton.count <= bytes.count)
            let whole = CDADecoder.decode(bytes, options: DecodeOptions())
            let skeleton = CDADecoder.decode(check.skeleton, options: DecodeOptions())
            #expect(whole.issues == skeleton.issues, "\(name)")
            #expect(whole.messages.count == skeleton.messages.count, "\(name)")
            for (a, b) in zip(whole.messages, skeleton.messages) {
                #expect(a.dedupeKeys == b.dedupeKeys && a.issues == b.issues && a.type == b.type, "\(name)")
                #expect(a.patient == b.patient, "\(name)")
                #expect(a.reports.map(\.resource) == b.reports.map(\.resource), "\(name)")
                #expect(a.reports.map(\.requestKeys) == b.reports.map(\.requestKeys), "\(name)")
                #expect(a.reports.map(\.status) == b.reports.map(\.status) && a.reports.map(\.replaces) == b.reports.map(\.replaces), "\(name)")
            }
        }
        #expect(documents >= 10)
    }

    /// The fixture document with a `nonXMLBody` holding `body`.
    static func nonXML(_ body: String) -> String {
        CDAFixture.documentText(replacing: [(
            "<structuredBody><component><section><title>Findings</title><text>None</text></section></component></structuredBody>",
            "<nonXMLBody><text mediaType=\"application/pdf\" representation=\"B64\">\(body)</text></nonXMLBody>")])
    }

    @Test func theSkeletonKeepsTheHeaderAndTheBodyKindButNotItsText() throws {
        let doc = Self.nonXML(String(repeating: "QUJD", count: 50_000))
        let (codes, check) = Self.streamCodes(Array(doc.utf8), chunk: 4096)
        #expect(codes == [])
        let skeleton = String(decoding: check.skeleton, as: UTF8.self)
        #expect(!skeleton.contains("QUJD"))
        #expect(skeleton.contains("<nonXMLBody><text mediaType=\"application/pdf\" representation=\"B64\"></text></nonXMLBody>"))
        #expect(skeleton.contains("<id root=\"2.16.840.1.113883.19.5\" extension=\"DOC-1\"/>"))
        #expect(check.skeleton.count < 4096)
        let whole = CDADecoder.decode(Array(doc.utf8), options: DecodeOptions())
        let fromSkeleton = CDADecoder.decode(check.skeleton, options: DecodeOptions())
        #expect(whole.messages.map(\.issues) == fromSkeleton.messages.map(\.issues))
        #expect(whole.messages.first?.reports.map(\.resource) == fromSkeleton.messages.first?.reports.map(\.resource))
    }
}
