/// What Postroom reads from a CDA header (DOMAIN.md §7.1): the facts mapping and correlation need.
struct CDAHeader: Sendable {
    /// A coded value (`code`, `codeSystem`, `displayName`).
    struct Coded: Sendable, Hashable {
        var code: String
        var system: String?
        var display: String?
    }

    /// The patient of one `recordTarget/patientRole`.
    struct Patient: Sendable {
        /// All `patientRole/id`s with a root.
        var ids: [InstanceIdentifier] = []
        /// The NHS number when one is present and passes Modulus 11.
        var nhsNumber: String?
        var family: String?
        var given: [String] = []
        var prefix: [String] = []
        var gender: Coded?
        var birthTime: HL7Timestamp?
    }

    /// One `relatedDocument`.
    struct Related: Sendable {
        /// `RPLC`, `APND` or `XFRM`.
        var typeCode: String
        var parentIDs: [InstanceIdentifier]
        var parentSetID: InstanceIdentifier?
        var parentVersion: Int?
    }

    /// The kind of body.
    enum Body: Sendable, Hashable {
        case structured
        /// A `nonXMLBody`; the media type of its `text` when given.
        case nonXML(mediaType: String?)
    }

    var id: InstanceIdentifier?
    var code: Coded?
    var title: String?
    var effectiveTime: HL7Timestamp?
    var confidentiality: Coded?
    var languageCode: String?
    var setID: InstanceIdentifier?
    var versionNumber: Int?
    /// The first `recordTarget`'s patient.
    var patient: Patient?
    /// Display names of the authors (person or organisation or device).
    var authors: [String] = []
    /// The custodian organisation's name and id.
    var custodianName: String?
    var custodianID: InstanceIdentifier?
    /// `inFulfillmentOf/order/id`, all of them, in document order.
    var orderIDs: [InstanceIdentifier] = []
    var related: [Related] = []
    var body: Body?
    /// NHS `npfitlc:messageType` (the domain message type, e.g. `POCD_MT200001GB02`).
    var nhsMessageType: InstanceIdentifier?
    /// `documentationOf/serviceEvent/effectiveTime` low and high of the first service event.
    var serviceStart: HL7Timestamp?
    var serviceEnd: HL7Timestamp?

    /// The `relatedDocument` of a type, if any.
    func related(_ typeCode: String) -> Related? { related.first { $0.typeCode == typeCode } }
}
