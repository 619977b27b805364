/// A channel's part in the FHIR workflow (DESIGN.md §1).
public enum WorkflowRole: String, Sendable, Codable, CaseIterable {
    /// Option F: Postroom creates a Task `requested` for every new request it takes in.
    case placer
    /// Option G: Task files arrive from the placer; Postroom stores and tracks them.
    case filler
    /// Option H: Postroom routes Tasks to their owner and status changes back to the requester.
    case broker
}
