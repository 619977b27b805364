// The issue codes of one area; the catalogue is IssueCode.all (docs/issue-codes.md is made from it).

/// The EPS prescription workflow (DOMAIN.md §5.4) on a broker channel.
extension IssueCode {
    public static let prescriptionNeedsBroker = IssueCode("prescription-needs-broker", [.error], in: [.fhir], types: ["not-supported"],
        "An EPS release request (Parameters) is an operation, not a resource to keep: it is run only on a channel with role broker and the nhs state machine")
    public static let prescriptionInBatch = IssueCode("prescription-in-batch", [.error], in: [.fhir], types: ["not-supported"],
        "An EPS message, release, return or withdrawal inside a batch or transaction Bundle is not run as a prescription step; send it as a file of its own")
    public static let dispenseNotificationReplaced = IssueCode("dispense-notification-replaced", [.information], in: [.fhir], types: ["informational"],
        "A dispense notification replaced an earlier one (replacementOf); the earlier dispenses are kept as versions")
    public static let dispenseNotificationWithdrawn = IssueCode("dispense-notification-withdrawn", [.information], in: [.fhir], types: ["informational"],
        "A withdraw Task retracted a dispense notification; its MedicationDispenses are marked entered-in-error")
    public static let dispenseNotificationUnknown = IssueCode("dispense-notification-unknown", [.error], in: [.fhir], types: ["not-found"],
        "A withdrawal or replacement names a dispense notification Postroom does not hold for the prescription")
    public static let prescriptionCancelled = IssueCode("prescription-cancelled", [.information], in: [.fhir], types: ["informational"],
        "The prescription is cancelled (its Task cancelled / 0005, its MedicationRequests cancelled)")
    public static let prescriptionCancelPending = IssueCode("prescription-cancel-pending", [.information], in: [.fhir], types: ["informational"],
        "A dispenser has the prescription: its Task is failed and becomes cancelled when the dispenser returns it")
    public static let prescriptionDispensed = IssueCode("prescription-dispensed", [.information], in: [.fhir], types: ["informational"],
        "Every item of the prescription is dispensed: its Task is completed / 0006 and its MedicationRequests completed")
    public static let prescriptionExists = IssueCode("prescription-exists", [.error], in: [.fhir], types: ["duplicate"],
        "A prescription-order names a prescription id Postroom already holds")
    public static let prescriptionIDMissing = IssueCode("prescription-id-missing", [.error], in: [.fhir], types: ["required"],
        "The EPS message names no short-form prescription id (groupIdentifier)")
    public static let prescriptionNotWithDispenser = IssueCode("prescription-not-with-dispenser", [.error], in: [.fhir], types: ["business-rule"],
        "A dispense, return or withdrawal from an organisation that does not hold the prescription")
    public static let prescriptionState = IssueCode("prescription-state", [.error], in: [.fhir], types: ["business-rule"],
        "The prescription's Task state does not allow this step (e.g. dispensing a cancelled prescription)")
    public static let prescriptionUnknown = IssueCode("prescription-unknown", [.error], in: [.fhir], types: ["not-found"],
        "The message names a prescription Postroom does not hold")
}
