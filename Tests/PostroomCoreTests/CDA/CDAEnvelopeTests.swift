import Testing
import PostroomCore

/// Bare documents, ITK DistributionEnvelopes and SOAP envelopes.
@Suite struct CDAEnvelopeTests {
    static let document = CDAFixture.documentText()

    @Test func anITKEnvelopeKeepsItsTrackingIDAndCutsOutTheDocument() throws {
        let drop = CDAFixture.decode(Array(CDAFixture.itkText(payloads: [Self.document]).utf8))
        let m = try #require(drop.messages.first)
        #expect(drop.messages.count == 1)
        #expect(m.type == "ClinicalDocument/ITK")
        #expect(m.issues.isEmpty)
        #expect(m.dedupeKeys.last == "itk|7d6f23e0-ae1a-11db-9808-b18e1e0994cd")
        guard case .cda(let ctx) = m.answer else { Issue.record("not CDA"); return }
        #expect(ctx.itkTrackingID == "7D6F23E0-AE1A-11DB-9808-B18E1E0994CD")
        #expect(ctx.envelope == "ITK")
        #expect(ctx.documentID == "2.16.840.1.113883.19.5^DOC-1")
        let raw = try #require(m.raw)
        #expect(String(decoding: raw, as: UTF8.self).hasPrefix("<ClinicalDocument xmlns:itk=\"urn:nhs-itk:ns:201005\" xmlns=\"urn:hl7-org:v3\""))
        #expect(CDAFixture.decode(raw).messages.first?.issues.isEmpty == true)
    }

    @Test func aSOAPEnvelopeCarryingITKIsRead() throws {
        let soap = """
            <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">
              <s:Header><a:MessageID>uuid:1234</a:MessageID></s:Header>
              <s:Body>\(CDAFixture.itkText(payloads: [Self.document]))</s:Body>
            </s:Envelope>
            """
        let m = try #require(CDAFixture.decode(Array(soap.utf8)).messages.first)
        #expect(m.type == "ClinicalDocument/SOAP")
        #expect(m.issues.isEmpty)
        guard case .cda(let ctx) = m.answer else { Issue.record("not CDA"); return }
        #expect(ctx.soapMessageID == "uuid:1234")
        #expect(ctx.envelope == "SOAP+ITK")
        #expect(ctx.itkTrackingID != nil)
    }

    @Test func envelopeHeaderErrorsRejectEveryPayload() throws {
        let noTracking = CDAFixture.itkText(payloads: [Self.document, Self.document.replacingOccurrences(of: "DOC-1", with: "DOC-2")], manifestCount: 3)
            .replacingOccurrences(of: " trackingid=\"7D6F23E0-AE1A-11DB-9808-B18E1E0994CD\"", with: "")
        let drop = CDAFixture.decode(Array(noTracking.utf8))
        #expect(drop.messages.count == 2)
        for m in drop.messages {
            #expect(m.issues.map(\.code).contains("itk-tracking-id-missing"))
            #expect(m.issues.map(\.code).contains("itk-manifest-count"))
        }
    }

    @Test func aPayloadThatIsNotCDAIsARejectedMessage() throws {
        let eps = "<PORX_IN020101SM31 xmlns=\"urn:hl7-org:v3\"><id root=\"1.2\"/></PORX_IN020101SM31>"
        let drop = CDAFixture.decode(Array(CDAFixture.itkText(payloads: [eps, "plain text"]).utf8))
        #expect(drop.messages.count == 2)
        #expect(drop.messages[0].issues.map(\.code) == ["hl7v3-not-cda"])
        #expect(drop.messages[0].issues.first?.location == "/DistributionEnvelope/payloads/payload[1]/PORX_IN020101SM31")
        #expect(drop.messages[1].issues.map(\.code) == ["itk-payload-unreadable"])
        #expect(drop.messages.allSatisfy { $0.reports.isEmpty })
        guard case .cda(let ctx) = drop.messages[0].answer else { Issue.record("not CDA"); return }
        #expect(ctx.itkTrackingID != nil)
    }

    @Test func anEnvelopeWithoutPayloadsStillAnswersWithItsTrackingID() throws {
        let empty = "<DistributionEnvelope xmlns=\"urn:nhs-itk:ns:201005\"><header trackingid=\"T-1\" service=\"s\"><manifest count=\"0\"/></header></DistributionEnvelope>"
        let drop = CDAFixture.decode(Array(empty.utf8))
        let m = try #require(drop.messages.first)
        #expect(m.issues.map(\.code) == ["itk-payloads-missing"])
        #expect(m.dedupeKeys == ["itk|T-1"])
    }

    @Test func issuesInAWrappedDocumentAreLocatedInTheFile() throws {
        let bad = Self.document.replacingOccurrences(of: "extension=\"9434765919\"", with: "extension=\"9434765918\"")
        let m = try #require(CDAFixture.decode(Array(CDAFixture.itkText(payloads: [bad]).utf8)).messages.first)
        #expect(m.issues.first?.location == "/DistributionEnvelope/payloads/payload[1]/ClinicalDocument/recordTarget[1]/patientRole/id[1]/@extension")
    }
}
