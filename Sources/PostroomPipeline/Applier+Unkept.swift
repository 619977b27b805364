import Foundation
import PostroomCore

/// Issue 13 item 3, no silent drops: what the generic path would answer as accepted without
/// keeping it is refused instead, with an OperationOutcome that says why.
extension Applier {
    /// The refusal for a message whose EPS meaning would be lost, or nil:
    /// - a `Parameters` that is not an EPS release request run on a channel that runs the prescription
    ///   workflow (on its own): an operation's input, not a resource to keep (`prescription-needs-broker`);
    /// - on a channel that does, an EPS step inside a batch or transaction Bundle — its release,
    ///   return or withdrawal Task, or an EPS message Bundle as an entry (`prescription-in-batch`).
    func unkeptPrescriptionStep(_ message: InboundMessage) -> Rejection? {
        let inBatch = message.type == "Bundle/batch" || message.type == "Bundle/transaction"
        let release = runsPrescriptions && !inBatch && message.prescription?.event == .release
        if !release, let p = message.otherResources.first(where: { $0.type == "Parameters" }) {
            return Rejection(issues: [.error(.prescriptionNeedsBroker, type: "not-supported", at: p.entryIndex.map { "Bundle.entry[\($0)]" } ?? "Parameters",
                "A Parameters is an operation's input, not a resource Postroom keeps: an EPS release request is run only on its own, "
                    + "on a channel with role broker and the nhs state machine; nothing was kept")])
        }
        guard runsPrescriptions, inBatch else { return nil }
        if message.prescription != nil {
            return Rejection(issues: [.error(.prescriptionInBatch, type: "not-supported",
                "An EPS release, return or withdrawal inside a \(message.type.dropFirst(7)) is not run as a prescription step; send it as a file of its own")])
        }
        if let nested = message.otherResources.first(where: { EPSMessageRules.isEPSMessage($0.resource) }) {
            return Rejection(issues: [.error(.prescriptionInBatch, type: "not-supported", at: nested.entryIndex.map { "Bundle.entry[\($0)]" },
                "An EPS message inside a \(message.type.dropFirst(7)) is not run as a prescription step; send it as a file of its own")])
        }
        return nil
    }
}
