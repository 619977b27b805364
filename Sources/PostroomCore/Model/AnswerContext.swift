/// What an acknowledgement needs to know about the message it answers.
public enum AnswerContext: Sendable {
    /// An HL7 v2 message: answered with an ACK (or nothing when it is itself an ACK).
    case hl7v2(HL7AckContext)
    /// A FHIR message Bundle: answered with a response message Bundle.
    case fhirMessage(FHIRMessageContext)
    /// Any other FHIR content: answered with an OperationOutcome.
    case fhirResource(type: String, id: String?)
    /// A CDA document: answered with an OperationOutcome (and an ITK code when wrapped).
    case cda(CDAAnswerContext)
    /// Content that could not be read at all: answered with an OperationOutcome.
    case unreadable
}

/// The MSH fields an HL7 v2 acknowledgement echoes or swaps.
public struct HL7AckContext: Sendable, Hashable {
    public var fieldSeparator: Character
    public var encodingCharacters: String
    public var sendingApplication: String
    public var sendingFacility: String
    public var receivingApplication: String
    public var receivingFacility: String
    public var messageCode: String
    public var triggerEvent: String
    public var controlID: String
    public var processingID: String
    public var versionID: String
    /// MSH-15 and MSH-16: empty means original acknowledgement mode.
    public var acceptAckType: String
    public var applicationAckType: String
    public var characterSet: String

    public init(fieldSeparator: Character = "|", encodingCharacters: String = "^~\\&", sendingApplication: String = "",
                sendingFacility: String = "", receivingApplication: String = "", receivingFacility: String = "",
                messageCode: String = "", triggerEvent: String = "", controlID: String = "", processingID: String = "P",
                versionID: String = "2.5.1", acceptAckType: String = "", applicationAckType: String = "", characterSet: String = "") {
        self.fieldSeparator = fieldSeparator
        self.encodingCharacters = encodingCharacters
        self.sendingApplication = sendingApplication
        self.sendingFacility = sendingFacility
        self.receivingApplication = receivingApplication
        self.receivingFacility = receivingFacility
        self.messageCode = messageCode
        self.triggerEvent = triggerEvent
        self.controlID = controlID
        self.processingID = processingID
        self.versionID = versionID
        self.acceptAckType = acceptAckType
        self.applicationAckType = applicationAckType
        self.characterSet = characterSet
    }

    /// ACKs are never acknowledged.
    public var isAcknowledgement: Bool { messageCode == "ACK" }
}

/// The batch header fields a v2 batch acknowledgement answers.
public struct HL7BatchContext: Sendable, Hashable {
    public var fileControlID: String?
    public var batchControlID: String?
    public var sendingApplication: String
    public var sendingFacility: String
    public var receivingApplication: String
    public var receivingFacility: String
    public var hasFileHeader: Bool
    /// False for a file of back-to-back messages with no FHS/BHS: answered with one ACK per message, no envelope.
    public var hasBatchHeader: Bool

    public init(fileControlID: String? = nil, batchControlID: String? = nil, sendingApplication: String = "", sendingFacility: String = "",
                receivingApplication: String = "", receivingFacility: String = "", hasFileHeader: Bool = false, hasBatchHeader: Bool = true) {
        self.fileControlID = fileControlID
        self.batchControlID = batchControlID
        self.sendingApplication = sendingApplication
        self.sendingFacility = sendingFacility
        self.receivingApplication = receivingApplication
        self.receivingFacility = receivingFacility
        self.hasFileHeader = hasFileHeader
        self.hasBatchHeader = hasBatchHeader
    }
}

/// What a FHIR response message echoes.
public struct FHIRMessageContext: Sendable, Hashable {
    public var bundleID: String?
    public var messageHeaderID: String?
    /// `MessageHeader.eventCoding` (system, code) or `eventUri` in `code`.
    public var eventSystem: String?
    public var eventCode: String?
    /// The request's `source.endpoint`, which becomes the response's destination.
    public var sourceEndpoint: String?
    public var sourceName: String?
    /// Whether the message is itself a response (never answered).
    public var isResponse: Bool

    public init(bundleID: String? = nil, messageHeaderID: String? = nil, eventSystem: String? = nil, eventCode: String? = nil,
                sourceEndpoint: String? = nil, sourceName: String? = nil, isResponse: Bool = false) {
        self.bundleID = bundleID
        self.messageHeaderID = messageHeaderID
        self.eventSystem = eventSystem
        self.eventCode = eventCode
        self.sourceEndpoint = sourceEndpoint
        self.sourceName = sourceName
        self.isResponse = isResponse
    }
}

/// What the answer to a CDA document echoes.
public struct CDAAnswerContext: Sendable, Hashable {
    /// The document's `id` as `root` or `root^extension`.
    public var documentID: String?
    /// The ITK envelope's tracking id when the document came wrapped.
    public var itkTrackingID: String?
    /// How the document came: nil when bare, else `ITK`, `SOAP+ITK` or `SOAP` (a SOAP body without ITK).
    public var envelope: String?
    /// The ITK `header/@service` when wrapped.
    public var itkService: String?
    /// The WS-Addressing `MessageID` of a SOAP envelope.
    public var soapMessageID: String?

    public init(documentID: String? = nil, itkTrackingID: String? = nil, envelope: String? = nil,
                itkService: String? = nil, soapMessageID: String? = nil) {
        self.documentID = documentID
        self.itkTrackingID = itkTrackingID
        self.envelope = envelope
        self.itkService = itkService
        self.soapMessageID = soapMessageID
    }
}
