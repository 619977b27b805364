import Testing
import PostroomCore

/// The OperationOutcome answer and its ITK response code.
@Suite struct CDAAnswerBuilderTests {
    static let env = AckEnvironment(makeID: { "oo-1" })

    static func answer(_ bytes: [UInt8], _ dispositions: [MessageResult.Disposition]? = nil, extra: [PostroomCore.Issue] = []) throws -> JSONValue {
        let drop = CDADecoder.decode(bytes, options: DecodeOptions())
        let results = drop.messages.enumerated().map { i, m in
            let disposition = dispositions?[i] ?? (m.issues.hasErrors ? .rejected : .accepted)
            return MessageResult(disposition: disposition, issues: m.issues + extra)
        }
        let file = CDAAnswerBuilder.answer(drop: drop, results: results, env: env)
        #expect(file.suffix == "outcome.json")
        return try JSONParser().parse(file.bytes)
    }

    static func itkCode(_ oo: JSONValue) -> String? {
        let first = oo["issue"]?[0]?["details"]?["coding"]?[0]
        guard first?["system"]?.string == ITKResponseCode.system else { return nil }
        return first?["code"]?.string
    }

    static var wrapped: [UInt8] { Array(CDAFixture.itkText(payloads: [CDAFixture.documentText()]).utf8) }

    @Test func aBareDocumentGetsAnOperationOutcomeEchoingItsID() throws {
        let oo = try Self.answer(CDAFixture.document())
        #expect(oo["resourceType"]?.string == "OperationOutcome")
        #expect(oo["id"]?.string == "oo-1")
        #expect(Self.itkCode(oo) == nil)
        let issue = oo["issue"]?[0]
        #expect(issue?["severity"]?.string == "information")
        #expect(issue?["details"]?["text"]?.string == "Document 2.16.840.1.113883.19.5^DOC-1: Accepted")
    }

    @Test func aWrappedDocumentGetsITKSuccess() throws {
        let oo = try Self.answer(Self.wrapped)
        #expect(Self.itkCode(oo) == "20013")
        #expect(oo["issue"]?[0]?["diagnostics"]?.string?.contains("7D6F23E0-AE1A-11DB-9808-B18E1E0994CD") == true)
        #expect(oo["issue"]?[0]?["severity"]?.string == "information")
    }

    @Test func anInvalidPayloadGets20009AndListsItsIssues() throws {
        let bad = CDAFixture.documentText(replacing: [("extension=\"9434765919\"", "extension=\"9434765918\"")])
        let oo = try Self.answer(Array(CDAFixture.itkText(payloads: [bad]).utf8))
        #expect(Self.itkCode(oo) == "20009")
        #expect(oo["issue"]?[0]?["severity"]?.string == "error")
        let codes = (oo["issue"]?.array ?? []).compactMap { $0["details"]?["coding"]?[0]?["code"]?.string }
        #expect(codes.contains("nhs-number-check-digit"))
        #expect(codes.contains("document-id"))
    }

    @Test func envelopeErrorsGive20006() throws {
        let text = CDAFixture.itkText(payloads: [CDAFixture.documentText()], manifestCount: 2)
        #expect(Self.itkCode(try Self.answer(Array(text.utf8))) == "20006")
    }

    @Test func duplicatesGiveTheDuplicateCodes() throws {
        #expect(Self.itkCode(try Self.answer(Self.wrapped, [.duplicate])) == "20008")
        let sameMessage = PostroomCore.Issue.information(ITKResponseCode.duplicateMessageIssueCode, "Tracking id seen before")
        let oo = try Self.answer(Self.wrapped, [.duplicate], extra: [sameMessage])
        #expect(Self.itkCode(oo) == "20007")
        #expect(oo["issue"]?[0]?["severity"]?.string == "warning")
    }

    @Test func heldDocumentsAreASuccess() throws {
        #expect(Self.itkCode(try Self.answer(Self.wrapped, [.held])) == "20013")
    }

    @Test func oneCodeAnswersAWholeEnvelope() throws {
        let bad = CDAFixture.documentText(replacing: [("DOC-1", "DOC-2"), ("POCD_HD000040", "X")])
        let oo = try Self.answer(Array(CDAFixture.itkText(payloads: [CDAFixture.documentText(), bad]).utf8))
        let itk = (oo["issue"]?.array ?? []).filter { $0["details"]?["coding"]?[0]?["system"]?.string == ITKResponseCode.system }
        #expect(itk.count == 1)
        #expect(Self.itkCode(oo) == "20009")
        #expect(ITKResponseCode.combined([.success, .duplicateDocument]) == .duplicateDocument)
        #expect(ITKResponseCode.combined([.payloadValidationFailure, .headerValidationFailure]) == .headerValidationFailure)
    }

    @Test func anUnreadableDropListsItsIssues() throws {
        let oo = try Self.answer(Array("<a><b>".utf8))
        #expect(oo["issue"]?[0]?["details"]?["coding"]?[0]?["code"]?.string == "xml-truncated")
        #expect(ITKResponseCode.code(for: MessageResult(disposition: .rejected, issues: [.fatal("xml-malformed", "x")])) == .unreadable)
    }

    @Test func theSingleMessageEntryPointMatchesTheAcknowledger() throws {
        let drop = CDADecoder.decode(Self.wrapped, options: DecodeOptions())
        let file = try #require(Acknowledger.answer(drop: drop, results: [MessageResult(disposition: .accepted, issues: [])], env: Self.env))
        let oo = try JSONParser().parse(file.bytes)
        #expect(Self.itkCode(oo) == "20013")
    }
}
