// The issue codes of one area; the catalogue is IssueCode.all (docs/issue-codes.md is made from it).

/// Correlation, the stored reports and requests, Task workflow and NHS numbers.
extension IssueCode {
    public static let cancelRequested = IssueCode("cancel-requested", [.information], in: [.anyFormat], types: ["informational"],
        "Cancellation requested; the order stays active until the filler confirms")
    public static let documentSuperseded = IssueCode("document-superseded", [.information], in: [.anyFormat], types: ["informational"],
        "The replaced document is kept and marked superseded")
    public static let heldReportLinked = IssueCode("held-report-linked", [.information], in: [.anyFormat], types: ["informational"],
        "A result received earlier was linked to this request")
    public static let multipleRequestsMatch = IssueCode("multiple-requests-match", [.error], in: [.anyFormat], types: ["multiple-matches"],
        "A result's or request's identifiers match more than one stored request, so it is not linked")
    public static let parentTaskUnknown = IssueCode("parent-task-unknown", [.warning], in: [.anyFormat], types: ["not-found"],
        "The parent Task is not known")
    public static let patientMismatch = IssueCode("patient-mismatch", [.error], in: [.anyFormat], types: ["business-rule"],
        "A result or request names a stored request of a different patient; never linked across patients")
    public static let patientUnverifiable = IssueCode("patient-unverifiable", [.error], in: [.anyFormat], types: ["business-rule"],
        "The report or its request names no patient, so they cannot be linked safely")
    public static let replacementHeld = IssueCode("replacement-held", [.information], in: [.anyFormat], types: ["informational"],
        "The document it replaces has not arrived; it is held until it does")
    public static let replacementReleased = IssueCode("replacement-released", [.information], in: [.anyFormat], types: ["informational"],
        "A replacement received earlier now supersedes this document")
    public static let reportHeld = IssueCode("report-held", [.information], in: [.anyFormat], types: ["informational"],
        "No request matches yet; the report is held until it arrives")
    public static let reportNewVersion = IssueCode("report-new-version", [.information], in: [.anyFormat], types: ["informational"],
        "The report was received before; stored as a new version")
    public static let reportStatusRegression = IssueCode("report-status-regression", [.warning], in: [.anyFormat], types: ["business-rule"],
        "A report version with an earlier status arrived after a later one; the newer status is kept")
    public static let requestEventNoted = IssueCode("request-event-noted", [.information], in: [.anyFormat], types: ["informational"],
        "An order event was recorded without a workflow change")
    public static let requestNotFound = IssueCode("request-not-found", [.error], in: [.anyFormat], types: ["not-found"],
        "The message refers to a request Postroom does not know")
    public static let requestUpdated = IssueCode("request-updated", [.information], in: [.anyFormat], types: ["informational"],
        "The request was already known; stored as a new version")
    public static let taskCreated = IssueCode("task-created", [.information], in: [.anyFormat], types: ["informational"],
        "The Task created for a new request (its id is to be quoted in updates)")
    public static let taskFailedAfterStart = IssueCode("task-failed-after-start", [.information], in: [.anyFormat], types: ["informational"],
        "Work had started, so the Task is failed rather than cancelled")
    public static let taskFocusUnknown = IssueCode("task-focus-unknown", [.information], in: [.anyFormat], types: ["informational"],
        "The Task's focus is not a request Postroom holds")
    public static let taskInvalidTransition = IssueCode("task-invalid-transition", [.error, .warning], in: [.anyFormat], types: ["business-rule"],
        "A Task status change that the channel's Task state machine does not allow")
    public static let taskOpenSubtasks = IssueCode("task-open-subtasks", [.error, .warning], in: [.anyFormat], types: ["business-rule"],
        "The report is final but the Task has open sub-tasks, so it is not completed")
    public static let taskOwnerUnroutable = IssueCode("task-owner-unroutable", [.error], in: [.anyFormat], types: ["business-rule"],
        "No route is configured for the Task's owner organisation")
    public static let taskRouted = IssueCode("task-routed", [.information], in: [.anyFormat], types: ["informational"],
        "A broker routed the Task to its owner's channel")
    public static let taskStatusNotified = IssueCode("task-status-notified", [.information], in: [.anyFormat], types: ["informational"],
        "A broker sent the Task's status change to the requester's channel")
    public static let taskStatusUnknown = IssueCode("task-status-unknown", [.error], in: [.anyFormat], types: ["code-invalid"],
        "Task.status is not an R4 task-status code")
    public static let taskUnassigned = IssueCode("task-unassigned", [.warning], in: [.anyFormat], types: ["business-rule"],
        "The Task has no owner yet, so it was not routed")
}
