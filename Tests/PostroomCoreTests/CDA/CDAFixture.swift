import Foundation
import PostroomCore

/// Test documents: corpus files and a small valid CDA document to vary.
enum CDAFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/cda")

    /// A file of `Fixtures/cda/corpus/`.
    static func corpus(_ name: String) -> [UInt8] {
        (try? Array(Data(contentsOf: folder.appendingPathComponent("corpus").appendingPathComponent(name)))) ?? []
    }

    /// A file of `Fixtures/cda/`.
    static func file(_ name: String) -> [UInt8] {
        (try? Array(Data(contentsOf: folder.appendingPathComponent(name)))) ?? []
    }

    /// The names of every corpus file.
    static var corpusNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("corpus").path)) ?? []).sorted()
    }

    /// A valid CDA document (no XML declaration) with optional header parts and replacements.
    static func documentText(fulfil: String = "", related: String = "", replacing: [(String, String)] = []) -> String {
        var text = """
        <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
          <id root="2.16.840.1.113883.19.5" extension="DOC-1"/>
          <code code="11488-4" codeSystem="2.16.840.1.113883.6.1" displayName="Consult note"/>
          <title>Consult note</title>
          <effectiveTime value="20240715103000"/>
          <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
          <setId root="2.16.840.1.113883.19.7" extension="SET-1"/>
          <versionNumber value="1"/>
          <recordTarget><patientRole>
            <id root="2.16.840.1.113883.2.1.4.1" extension="9434765919"/>
            <id root="2.16.840.1.113883.19.5" extension="MRN-1"/>
            <patient><name><given>Ann</given><family>Example</family></name>
              <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/><birthTime value="19800101"/></patient>
          </patientRole></recordTarget>
          <author><time value="20240715103000"/><assignedAuthor><id root="2.16.840.1.113883.19.5" extension="AUTH-1"/>
            <assignedPerson><name><given>Jo</given><family>Doctor</family></name></assignedPerson></assignedAuthor></author>
          <custodian><assignedCustodian><representedCustodianOrganization><id root="2.16.840.1.113883.19.5"/>
            <name>Example Trust</name></representedCustodianOrganization></assignedCustodian></custodian>
          \(fulfil)
          \(related)
          <component><structuredBody><component><section><title>Findings</title><text>None</text></section></component></structuredBody></component>
        </ClinicalDocument>
        """
        for (old, new) in replacing { text = text.replacingOccurrences(of: old, with: new) }
        return text
    }

    static func document(fulfil: String = "", related: String = "", replacing: [(String, String)] = []) -> [UInt8] {
        Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + documentText(fulfil: fulfil, related: related, replacing: replacing)).utf8)
    }

    /// An ITK DistributionEnvelope carrying `payloads` (already serialised payload contents).
    static func itkText(tracking: String = "7D6F23E0-AE1A-11DB-9808-B18E1E0994CD", payloads: [String], manifestCount: Int? = nil) -> String {
        let ids = payloads.indices.map { "uuid_P\($0)" }
        let items = ids.map { "<itk:manifestitem id=\"\($0)\" mimetype=\"text/xml\"/>" }.joined()
        let body = zip(ids, payloads).map { "<itk:payload id=\"\($0)\">\($1)</itk:payload>" }.joined(separator: "\n")
        return """
        <itk:DistributionEnvelope xmlns:itk="urn:nhs-itk:ns:201005">
          <itk:header service="urn:nhs-itk:services:201005:SendCDADocument-v2-0" trackingid="\(tracking)">
            <itk:manifest count="\(manifestCount ?? payloads.count)">\(items)</itk:manifest>
            <itk:senderAddress uri="urn:nhs-uk:addressing:ods:X99"/>
          </itk:header>
          <itk:payloads count="\(payloads.count)">\(body)</itk:payloads>
        </itk:DistributionEnvelope>
        """
    }

    static func decode(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) -> DecodedDrop {
        CDADecoder.decode(bytes, options: options)
    }
}

extension DecodedDrop {
    /// Every issue code of the drop and its messages.
    var allCodes: [String] { issues.map(\.code) + messages.flatMap { $0.issues.map(\.code) } }
    var errorCodes: [String] { (issues + messages.flatMap(\.issues)).filter(\.isError).map(\.code) }
}
