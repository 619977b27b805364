/// How each format says what happened to a referral (README "Referrals (eRS)").
extension ReferralPlanner {
    /// A FHIR Task update on a referral's Task:
    /// - businessStatus `DID_NOT_ATTEND` → did not attend; `TRIAGE_RESPONSE` → returned with advice
    ///   (the advice in `note`, else `statusReason`);
    /// - status `rejected` → rejected (the reason in `statusReason`);
    /// - status `accepted` with businessStatus `TRIAGED_PROVIDER_TO_ACTION` or `DEFERRED_TO_PROVIDER`
    ///   → accepted to be booked later; otherwise accepted.
    /// Nil: not a triage outcome (the Task update is applied as any other).
    public static func outcome(ofTask task: JSONValue) -> Outcome? {
        let state = businessStatus(of: task)
        switch state {
        case State.didNotAttend.rawValue: return .didNotAttend
        case State.triageResponse.rawValue:
            let notes = (task["note"]?.array ?? []).compactMap { $0["text"]?.string }
            return .returnWithAdvice(advice: nonEmpty(notes.joined(separator: "\n")) ?? text(of: task["statusReason"]))
        default: break
        }
        switch task["status"]?.string {
        case "rejected": return .reject(reason: text(of: task["statusReason"]))
        case "accepted":
            return state == State.providerToAction.rawValue || state == "DEFERRED_TO_PROVIDER" ? .acceptBookLater : .accept
        default: return nil
        }
    }

    /// An HL7 v2 referral response (RRI^I12): RF1-1 `A` accepted, `R` rejected (the reason from RF1-10 or NTE);
    /// a referral revoked by its referrer (FHIR ServiceRequest `revoked`): cancelled.
    public static func outcome(ofEvent event: RequestEvent) -> Outcome? {
        switch event {
        case .accepted: .accept
        case .rejected(let reason): .reject(reason: reason)
        case .cancelled(let reason): .cancelled(reason: reason)
        default: nil
        }
    }

    /// An Appointment based on a referral: booked (or later in its life: arrived, checked-in, fulfilled)
    /// books it; `noshow` is did-not-attend; `cancelled` is the eRS state `APPT_CANCELLED_BY_PATIENT`
    /// when its `cancelationReason` is a patient's (R4 appointment-cancellation-reason `pat…`), else
    /// `APPT_CANCELLED_BY_PROVIDER`. Nil: stored and linked, no Task change (proposed, pending, waitlist…).
    public static func outcome(ofAppointment status: String?, reference: String, cancelationReason: JSONValue? = nil) -> Outcome? {
        switch status {
        case "booked", "arrived", "checked-in", "fulfilled": .booked(appointment: reference)
        case "noshow": .didNotAttend
        case "cancelled": .appointmentCancelled(appointment: reference, byPatient: cancelledByPatient(cancelationReason))
        default: nil
        }
    }

    /// Whether an Appointment's `cancelationReason` names the patient: a code `pat` or `pat-…`, or text saying "patient".
    static func cancelledByPatient(_ reason: JSONValue?) -> Bool {
        for coding in reason?["coding"]?.array ?? [] {
            if let code = coding["code"]?.string?.lowercased(), code == "pat" || code.hasPrefix("pat-") { return true }
        }
        return reason?["text"]?.string?.lowercased().contains("patient") ?? false
    }

    /// The code of a Task's businessStatus (its first coding's code, else its text).
    public static func businessStatus(of task: JSONValue?) -> String? {
        guard let bs = task?["businessStatus"] else { return nil }
        return bs["coding"]?.array?.first?["code"]?.string ?? bs["text"]?.string
    }

    /// The businessStatus element of a state.
    public static func businessStatus(_ state: State) -> JSONValue {
        .object(JSONObject([
            "coding": .array([.object(JSONObject(["system": .string(stateSystem), "code": .string(state.rawValue),
                                                  "display": .string(state.display)]))]),
        ]))
    }

    /// The words of a CodeableConcept: its text, else its first coding's display, else its code.
    static func text(of concept: JSONValue?) -> String? {
        guard let concept else { return nil }
        if let t = nonEmpty(concept["text"]?.string) { return t }
        let coding = concept["coding"]?.array?.first
        return nonEmpty(coding?["display"]?.string) ?? nonEmpty(coding?["code"]?.string)
    }
}
