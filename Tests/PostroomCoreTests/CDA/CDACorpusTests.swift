import Foundation
import Testing
import PostroomCore

/// Every file of the shared CDA corpus has a defined outcome.
@Suite struct CDACorpusTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        let file: String
        /// True when every message is free of errors (the drop is accepted).
        let accepted: Bool
        /// The main issue code of a rejection (nil for accepted files).
        let code: String?
        /// Messages the drop yields (0 when the file is refused as a whole).
        let messages: Int
        let type: String?
        var testDescription: String { file }
    }

    static let table: [Expected] = [
        Expected(file: "ccda_CCD.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        Expected(file: "ccda_CCD_Parent_Document_Replace_C-CDAR2.1.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        Expected(file: "ccda_CDA_Embedded_Text_Plain_Surgical_Consult.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        Expected(file: "ccda_Consult_Document_Closing_Referral_C-CDAR2.1.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        Expected(file: "ccda_Consultation_Note.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        Expected(file: "ccda_Diagnostic_Imaging_Report.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        Expected(file: "ccda_Discharge_Summary.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        Expected(file: "ccda_History_and_Physical.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        // A stub whose root has no namespace and no header at all.
        Expected(file: "ccda_Intervention_Planned_Referral_and_Note_Completeting_Referral_C-CDAR2.1.xml", accepted: false,
                 code: "cda-namespace-missing", messages: 1, type: "ClinicalDocument"),
        Expected(file: "ccda_Progress_Note.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        Expected(file: "ccda_Referral_Note.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        // A bare <section> fragment using xsi:type with no namespace declarations: not namespace-well-formed.
        Expected(file: "ccda_Results_of_COVID_Test_Positive_Normal_C-CDA2.1.xml", accepted: false, code: "xml-malformed", messages: 0, type: nil),
        // Header-only guide example with no namespace and no body.
        Expected(file: "ccda_US_Realm_Header_V3_Example.xml", accepted: false, code: "cda-namespace-missing", messages: 1, type: "ClinicalDocument"),
        Expected(file: "ccda_Unstructured_Document_embed.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        Expected(file: "ccda_Unstructured_Document_reference.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        Expected(file: "eps_1-Convert-Response-Send-200_OK.xml", accepted: false, code: "hl7v3-not-cda", messages: 0, type: nil),
        Expected(file: "nhs111_conformance-example-ic24-original-itk-request.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument/SOAP"),
        Expected(file: "nhs111_example-clinical-doc.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument"),
        Expected(file: "nhs111_primary-emergency-itk-request.xml", accepted: true, code: nil, messages: 1, type: "ClinicalDocument/SOAP"),
        Expected(file: "nhs111_repeat-caller-itk-request.xml", accepted: true, code: nil, messages: 6, type: "ClinicalDocument/ITK"),
    ]

    @Test func theTableCoversEveryCorpusFile() {
        #expect(CDAFixture.corpusNames.count == 20)
        #expect(Set(CDAFixture.corpusNames) == Set(Self.table.map(\.file)))
    }

    @Test(arguments: table) func outcome(_ expected: Expected) throws {
        let bytes = CDAFixture.corpus(expected.file)
        try #require(!bytes.isEmpty)
        let start = Date()
        let drop = Decoder.decode(bytes, accepting: [.cda])
        // A generous guard, not a benchmark: a debug build decodes each file in a few milliseconds.
        #expect(Date().timeIntervalSince(start) < 1.0)
        #expect(drop.format == .cda)
        #expect(drop.messages.count == expected.messages)
        let errors = drop.errorCodes
        if expected.accepted {
            #expect(errors.isEmpty, "unexpected errors \(errors)")
            for message in drop.messages {
                #expect(message.type == expected.type)
                #expect(message.reports.count == 1)
                #expect(message.reports.first?.kind == .document)
                #expect(message.dedupeKeys.first?.hasPrefix("cda|") == true)
                guard case .cda(let ctx) = message.answer else { Issue.record("not a CDA answer"); continue }
                #expect(ctx.documentID != nil)
            }
        } else {
            let code = try #require(expected.code)
            #expect(errors.contains(code), "expected \(code) in \(errors)")
            if let type = expected.type { #expect(drop.messages.allSatisfy { $0.type == type }) }
        }
    }

    @Test func wrappedDocumentsKeepTheTrackingIDAndTheirOwnBytes() throws {
        let drop = CDAFixture.decode(CDAFixture.corpus("nhs111_conformance-example-ic24-original-itk-request.xml"))
        let message = try #require(drop.messages.first)
        guard case .cda(let ctx) = message.answer else { Issue.record("not a CDA answer"); return }
        #expect(ctx.itkTrackingID == "3D9370C5-2D2E-4503-935B-8416AC744BE0")
        #expect(ctx.soapMessageID == "F7916D36-4D5F-4A64-BD08-644E8A234AE2")
        #expect(ctx.envelope == "SOAP+ITK")
        #expect(ctx.itkService == "urn:nhs-itk:services:201005:SendNHS111Report-v2-0")
        #expect(message.dedupeKeys.contains("itk|3d9370c5-2d2e-4503-935b-8416ac744be0"))
        // The document's own bytes decode on their own to the same document.
        let raw = try #require(message.raw)
        let text = String(decoding: raw, as: UTF8.self)
        #expect(text.hasPrefix("<ClinicalDocument"))
        #expect(text.hasSuffix("</ClinicalDocument>"))
        let again = CDAFixture.decode(raw)
        #expect(again.errorCodes.isEmpty)
        #expect(again.messages.first?.dedupeKeys.first == message.dedupeKeys.first)
    }

    @Test func theRepeatCallerEnvelopeGivesSixDistinctDocuments() throws {
        let drop = CDAFixture.decode(CDAFixture.corpus("nhs111_repeat-caller-itk-request.xml"))
        #expect(drop.messages.map(\.index) == [0, 1, 2, 3, 4, 5])
        let documentKeys = Set(drop.messages.compactMap { $0.dedupeKeys.first })
        #expect(documentKeys.count == 6)
        // Each payload has its own ITK key, so payloads never de-duplicate each other.
        let itkKeys = drop.messages.flatMap { $0.dedupeKeys.filter { $0.hasPrefix("itk|") } }
        #expect(Set(itkKeys).count == 6)
        #expect(itkKeys.allSatisfy { $0.hasPrefix("itk|3e88a552-3bbe-463f-a45d-a6d345c75855|uuid_") })
        // Several payloads carry a valid NHS number (test range).
        #expect(drop.messages.contains { $0.patient?.nhsNumber == "9990238359" })
        for message in drop.messages {
            let raw = try #require(message.raw)
            #expect(CDAFixture.decode(raw).errorCodes.isEmpty)
        }
    }

    @Test func theBareAndTheWrappedNHS111DocumentAreTheSameDocument() {
        let bare = CDAFixture.decode(CDAFixture.corpus("nhs111_example-clinical-doc.xml"))
        let wrapped = CDAFixture.decode(CDAFixture.corpus("nhs111_primary-emergency-itk-request.xml"))
        let key = "cda|a709a442-3cf4-476e-8377-376500e829c9|"
        #expect(bare.messages.first?.dedupeKeys.contains(key) == true)
        #expect(wrapped.messages.first?.dedupeKeys.contains(key) == true)
        #expect(bare.messages.first?.raw == nil)
    }

    @Test func v2XMLFilesAreRefusedCleanly() throws {
        let adt = Decoder.decode(CDAFixture.file("hapi_adt_a17.xml"), accepting: [.cda])
        #expect(adt.messages.isEmpty)
        #expect(adt.issues.map(\.code) == ["xml-not-cda"])
        #expect(adt.issues.first?.severity == .fatal)

        let xxe = Decoder.decode(CDAFixture.file("hapi_xml-with-xxe.xml"), accepting: [.cda])
        #expect(xxe.messages.isEmpty)
        #expect(xxe.issues.map(\.code) == ["xml-doctype-refused", "xml-entity-refused"])
        #expect(xxe.issues.allSatisfy { $0.severity == .fatal && $0.type == "security" })
    }
}
