/// What Postroom reads from a CDA header (DOMAIN.md §7.1): the facts mapping and correlation need.
public struct CDAHeader: Sendable {
    /// A coded value (`code`, `codeSystem`, `displayName`).
    public struct Coded: Sendable, Hashable {
        public var code: String
        public var system: String?
        public var display: String?
    }

    /// The patient of one `recordTarget/patientRole`.
    public struct Patient: Sendable {
        /// All `patientRole/id`s with a root.
        public var ids: [InstanceIdentifier] = []
        /// The NHS number when one is present and passes Modulus 11.
        public var nhsNumber: String?
        public var family: String?
        public var given: [String] = []
        public var prefix: [String] = []
        public var gender: Coded?
        public var birthTime: HL7Timestamp?
    }

    /// One `relatedDocument`.
    public struct Related: Sendable {
        /// `RPLC`, `APND` or `XFRM`.
        public var typeCode: String
        public var parentIDs: [InstanceIdentifier]
        public var parentSetID: InstanceIdentifier?
        public var parentVersion: Int?
    }

    /// The kind of body.
    public enum Body: Sendable, Hashable {
        case structured
        /// A `nonXMLBody`; the media type of its `text` when given.
        case nonXML(mediaType: String?)
    }

    public var id: InstanceIdentifier?
    public var code: Coded?
    public var title: String?
    public var effectiveTime: HL7Timestamp?
    public var confidentiality: Coded?
    public var languageCode: String?
    public var setID: InstanceIdentifier?
    public var versionNumber: Int?
    /// The first `recordTarget`'s patient.
    public var patient: Patient?
    /// Display names of the authors (person or organisation or device).
    public var authors: [String] = []
    /// The custodian organisation's name and id.
    public var custodianName: String?
    public var custodianID: InstanceIdentifier?
    /// `inFulfillmentOf/order/id`, all of them, in document order.
    public var orderIDs: [InstanceIdentifier] = []
    public var related: [Related] = []
    public var body: Body?
    /// NHS `npfitlc:messageType` (the domain message type, e.g. `POCD_MT200001GB02`).
    public var nhsMessageType: InstanceIdentifier?
    /// `documentationOf/serviceEvent/effectiveTime` low and high of the first service event.
    public var serviceStart: HL7Timestamp?
    public var serviceEnd: HL7Timestamp?

    /// The `relatedDocument` of a type, if any.
    public func related(_ typeCode: String) -> Related? { related.first { $0.typeCode == typeCode } }
}
