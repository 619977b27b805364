// The issue codes of one area; the catalogue is IssueCode.all (docs/issue-codes.md is made from it).

/// eRS-style referrals: UBRNs, triage outcomes, bookings (DOMAIN.md §5.5).
extension IssueCode {
    public static let ubrnFormat = IssueCode("ubrn-format", [.error], in: [.fhir, .hl7v2], types: ["value"],
        "An e-Referral UBRN (Unique Booking Reference Number) must be exactly 12 digits")
    public static let referralRejectReasonMissing = IssueCode("referral-reject-reason-missing", [.error], in: [.anyFormat],
        types: ["business-rule"],
        "A referral is rejected only with a reason (Task.statusReason, or RF1-10 / NTE in an RRI^I12); nothing was changed")
    public static let referralAdviceMissing = IssueCode("referral-advice-missing", [.error], in: [.anyFormat], types: ["business-rule"],
        "A referral returned to the referrer with advice (TRIAGE_RESPONSE) must carry the advice (Task.note or statusReason)")
    public static let referralNotBooked = IssueCode("referral-not-booked", [.error], in: [.anyFormat], types: ["business-rule"],
        "Did-not-attend and a cancelled appointment are recorded only on a referral whose appointment is booked")
    public static let referralTriaged = IssueCode("referral-triaged", [.information], in: [.anyFormat], types: ["informational"],
        "The referral's triage or booking outcome was recorded on its Task")
    public static let appointmentLinked = IssueCode("appointment-linked", [.information], in: [.fhir], types: ["informational"],
        "The Appointment was stored and linked to its referral (Appointment.basedOn)")
    public static let appointmentReferralUnknown = IssueCode("appointment-referral-unknown", [.information], in: [.fhir],
        types: ["informational"], "The Appointment names no referral Postroom holds; it is stored unlinked")
}
