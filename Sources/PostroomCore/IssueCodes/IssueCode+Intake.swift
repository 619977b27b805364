// The issue codes of one area; the catalogue is IssueCode.all (docs/issue-codes.md is made from it).

/// Intake, whatever the format: files, archives, duplicates, FHIR batches and transactions.
extension IssueCode {
    public static let archiveBomb = IssueCode("archive-bomb", [.fatal], in: [.anyFormat], types: ["security"],
        "A zip/tar.gz drop expands beyond its bounds (total size or compression ratio); the whole archive is refused")
    public static let archiveEmpty = IssueCode("archive-empty", [.fatal], in: [.anyFormat], types: ["security"],
        "The archive holds no files")
    public static let archiveMemberLink = IssueCode("archive-member-link", [.fatal], in: [.anyFormat], types: ["security"],
        "An archive member is a symbolic link; the whole archive is refused")
    public static let archiveMemberPath = IssueCode("archive-member-path", [.fatal], in: [.anyFormat], types: ["security"],
        "An archive member has an absolute or parent-relative path, or control characters in its name; the archive is refused")
    public static let archiveMemberTooLarge = IssueCode("archive-member-too-large", [.fatal], in: [.anyFormat], types: ["security"],
        "An archive member is larger than the channel's maxFileSize; the archive is refused")
    public static let archiveMemberType = IssueCode("archive-member-type", [.fatal], in: [.anyFormat], types: ["security"],
        "An archive member is a hard link or device; the archive is refused")
    public static let archiveOpened = IssueCode("archive-opened", [.information], in: [.anyFormat], types: ["informational"],
        "A zip/tar.gz drop was opened into drops of its own, each answered on its own")
    public static let archiveTooManyMembers = IssueCode("archive-too-many-members", [.fatal], in: [.anyFormat], types: ["security"],
        "The archive has more members than limits.archiveMembers; it is refused")
    public static let archiveUnreadable = IssueCode("archive-unreadable", [.fatal], in: [.anyFormat], types: ["security"],
        "The archive is damaged, truncated or in an unsupported format (or could not be unpacked here)")
    public static let issuesNotKept = IssueCode("issues-not-kept", [.information], in: [.fhir], types: ["informational"],
        "A batch or transaction Bundle keeps each distinct issue once, at most 1,000 errors and 1,000 other issues; this counts the rest")
    public static let bundleIDReused = IssueCode("bundle-id-reused", [.error], in: [.fhir], types: ["duplicate"],
        "Bundle.id was already used by a different message; a new message needs a new Bundle.id")
    public static let conditionalReferenceAmbiguous = IssueCode("conditional-reference-ambiguous", [.error], in: [.fhir], types: ["multiple-matches"],
        "A conditional reference in a transaction matches more than one stored resource")
    public static let conditionalReferenceUnresolved = IssueCode("conditional-reference-unresolved", [.error], in: [.fhir], types: ["not-found"],
        "A conditional reference in a transaction matches no stored resource")
    public static let alreadyApplied = IssueCode("already-applied", [.information], in: [.anyFormat], types: ["duplicate"],
        "A reprocess does not apply again a message that was applied when the file was first received (or by an earlier reprocess)")
    public static let duplicateDrop = IssueCode("duplicate-drop", [.information], in: [.anyFormat], types: ["duplicate"],
        "The same content (SHA-256) was received before; the original acknowledgement is sent again")
    public static let duplicateMessage = IssueCode("duplicate-message", [.information], in: [.anyFormat], types: ["duplicate"],
        "The message was processed before; the original response is sent again")
    public static let emptyFile = IssueCode("empty-file", [.fatal], in: [.anyFormat], types: ["structure"],
        "The file is empty")
    public static let entryNotStored = IssueCode("entry-not-stored", [.error], in: [.fhir], types: ["not-supported"],
        "Postroom does not keep this entry's resource, so it is refused rather than answered as created")
    public static let fileTooLarge = IssueCode("file-too-large", [.fatal], in: [.anyFormat], types: ["too-long"],
        "The file is larger than the channel's maxFileSize; it is rejected without being read")
    public static let fileUnreadable = IssueCode("file-unreadable", [.fatal], in: [.anyFormat], types: ["exception"],
        "The file could not be read")
    public static let formatNotAccepted = IssueCode("format-not-accepted", [.fatal], in: [.anyFormat], types: ["not-supported"],
        "The channel does not accept this content's format (channels[].formats)")
    public static let messageResubmitted = IssueCode("message-resubmitted", [.information], in: [.fhir], types: ["duplicate"],
        "A FHIR message with a MessageHeader.id processed before; it is not applied again")
    public static let nestedArchive = IssueCode("nested-archive", [.fatal], in: [.anyFormat], types: ["security"],
        "An archive inside an archive is not opened")
    public static let noMessages = IssueCode("no-messages", [.fatal], in: [.hl7v2], types: ["structure"],
        "A streamed HL7 v2 file holds no message")
    public static let unknownFormat = IssueCode("unknown-format", [.fatal], in: [.anyFormat], types: ["not-supported"],
        "The content is not HL7 v2, FHIR JSON or CDA XML")
}
