/// Rules of the NHS Electronic Prescription Service on its FHIR messages (DOMAIN.md §5.4),
/// applied to message Bundles whose event is in `https://fhir.nhs.uk/CodeSystem/message-event`.
public enum EPSMessageRules {
    /// The code system of NHS FHIR message events.
    public static let eventSystem = "https://fhir.nhs.uk/CodeSystem/message-event"
    /// The MedicationRequest intents a prescription order may use (plan and reflex-order are refused).
    public static let orderIntents: Set<String> = ["order", "original-order", "instance-order"]

    /// Whether a resource is an EPS message: a `message` Bundle whose MessageHeader's event is an NHS message event.
    public static func isEPSMessage(_ resource: JSONValue) -> Bool {
        guard resource["resourceType"]?.string == "Bundle", resource["type"]?.string == "message" else { return false }
        return (resource["entry"]?.array ?? []).contains { e in
            e["resource"]?["resourceType"]?.string == "MessageHeader" && e["resource"]?["eventCoding"]?["system"]?.string == eventSystem
        }
    }

    /// The issues of an EPS message Bundle (empty for other Bundles and other events).
    ///
    /// - `prescription-order`: every MedicationRequest `active`, with an order intent, and all
    ///   sharing one `groupIdentifier` (the prescription).
    /// - `prescription-order-update` (cancellation): MedicationRequests `cancelled` with a `statusReason`.
    public static func check(_ bundle: JSONObject) -> [Issue] {
        guard bundle["type"]?.string == "message", let entries = bundle["entry"]?.array,
              let header = entries.first?["resource"], header["resourceType"]?.string == "MessageHeader",
              header["eventCoding"]?["system"]?.string == eventSystem, let event = header["eventCoding"]?["code"]?.string else {
            return []
        }
        var issues: [Issue] = []
        var groups: Set<String> = []
        for (i, entry) in entries.enumerated() {
            guard let r = entry["resource"], r["resourceType"]?.string == "MedicationRequest" else { continue }
            let at = "Bundle.entry[\(i)].resource"
            switch event {
            case "prescription-order":
                if let intent = r["intent"]?.string, !orderIntents.contains(intent) {
                    issues.append(.error(.epsMedicationRequestIntent, type: "business-rule", at: at + ".intent",
                                         "A prescription-order MedicationRequest must have intent order, original-order or instance-order"))
                }
                if let status = r["status"]?.string, status != "active" {
                    issues.append(.error(.epsMedicationRequestStatus, type: "business-rule", at: at + ".status",
                                         "A prescription-order MedicationRequest must have status active"))
                }
                if let group = r["groupIdentifier"]?["value"]?.string { groups.insert(group) }
            case "prescription-order-update":
                if r["status"]?.string != "cancelled" {
                    issues.append(.error(.epsCancellationStatus, type: "business-rule", at: at + ".status",
                                         "A prescription-order-update MedicationRequest must have status cancelled"))
                }
                if r["statusReason"] == nil {
                    issues.append(.error(.epsCancellationReason, type: "business-rule", at: at + ".statusReason",
                                         "A prescription-order-update MedicationRequest must have a statusReason"))
                }
            default:
                continue
            }
        }
        if groups.count > 1 {
            issues.append(.error(.epsGroupIdentifierMismatch, type: "business-rule", at: "Bundle.entry",
                                 "All MedicationRequests of a prescription-order must share one groupIdentifier"))
        }
        return issues
    }
}
