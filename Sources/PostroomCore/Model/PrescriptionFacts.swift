/// What an NHS Electronic Prescription Service message says about a prescription (DOMAIN.md §5.4),
/// in workflow terms: which event, which prescription (its short-form id), the items, the
/// dispenses and the organisations involved. Found by the FHIR mapper; carried out on a broker channel.
public struct PrescriptionFacts: Sendable {
    public enum Event: String, Sendable, Equatable {
        /// `prescription-order`: a new prescription.
        case order
        /// `prescription-order-update`: a cancellation.
        case cancel
        /// A release request (Parameters with `owner`, `status`, `group-identifier`).
        case release
        /// `dispense-notification`.
        case dispense
        /// A return Task (reasonCode 33633005): the dispenser gives the prescription back.
        case returned
        /// A withdraw Task (code `abort`, reasonCode 373784005): a dispense notification retracted.
        case withdraw
    }

    /// One prescription item (a MedicationRequest).
    public struct Item: Sendable {
        /// `prescription-order-item-number`.
        public var number: String
        public var resource: JSONValue
        /// The Bundle entry it sits in (nil when contained in a MedicationDispense).
        public var entryIndex: Int?
        public init(number: String, resource: JSONValue, entryIndex: Int?) {
            self.number = number
            self.resource = resource
            self.entryIndex = entryIndex
        }
    }

    /// One MedicationDispense of a dispense notification.
    public struct Dispense: Sendable {
        /// The item it dispenses (`authorizingPrescription` → the item number).
        public var itemNumber: String?
        /// `MedicationDispense.type` in `medicationdispense-type` (0001 fully dispensed, 0003 partial, …).
        public var typeCode: String?
        public var resource: JSONValue
        public var entryIndex: Int?
        public init(itemNumber: String?, typeCode: String?, resource: JSONValue, entryIndex: Int?) {
            self.itemNumber = itemNumber
            self.typeCode = typeCode
            self.resource = resource
            self.entryIndex = entryIndex
        }
    }

    public var event: Event
    /// The short-form prescription id (`groupIdentifier`, system `…/prescription-order-number`).
    public var prescriptionID: String?
    /// The long-form id (a UUID), when given.
    public var longID: String?
    public var items: [Item] = []
    public var dispenses: [Dispense] = []
    /// ODS code of the nominated pharmacy (`dispenseRequest.performer`).
    public var nominated: String?
    /// ODS code of the sender (MessageHeader.sender, the Task's requester or owner).
    public var sender: String?
    /// ODS code of the organisation a release names as owner (or a Task's owner).
    public var owner: String?
    /// The notification's own identifier (Bundle.identifier), for dispense notifications.
    public var notificationID: String?
    /// The notification a dispense notification replaces (`Extension-replacementOf`).
    public var replacementOf: String?
    /// The identifier the Task's focus names (return: the order; withdraw: the notification).
    public var focusIdentifier: String?
    /// Why (a cancellation's or a return's statusReason), as text.
    public var reason: String?
    /// The Task resource (return, withdraw), kept as received.
    public var task: JSONValue?
    /// The Task's entry, when it came in a Bundle.
    public var taskEntryIndex: Int?

    public init(event: Event) {
        self.event = event
    }

    /// The identifier systems EPS uses.
    public static let prescriptionOrderNumberSystem = "https://fhir.nhs.uk/Id/prescription-order-number"
    public static let itemNumberSystem = "https://fhir.nhs.uk/Id/prescription-order-item-number"
    public static let longIDExtension = "https://fhir.nhs.uk/StructureDefinition/Extension-DM-PrescriptionId"
    public static let businessStatusSystem = "https://fhir.nhs.uk/CodeSystem/EPS-task-business-status"
    /// SNOMED CT reason codes of the EPS Tasks.
    public static let returnReason = "33633005"
    public static let withdrawReason = "373784005"
}
