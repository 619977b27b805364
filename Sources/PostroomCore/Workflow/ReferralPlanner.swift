import Foundation

/// eRS-style referrals as a workflow (DOMAIN.md §5.5): pure decisions over a referral's Task as
/// stored, carried out by the pipeline (`Applier+Referrals`).
///
/// A referral ServiceRequest with a UBRN gets a Task `requested` / businessStatus `AWAITING_TRIAGE`.
/// Its outcomes, however they arrive (a FHIR Task update, an RRI^I12, an Appointment):
///
/// | outcome | Task status | businessStatus | booking sub-task |
/// | --- | --- | --- | --- |
/// | accept | `accepted` | `NOT_BOOKED` | opened (`requested`) |
/// | accept and book later | `accepted` | `TRIAGED_PROVIDER_TO_ACTION` | opened |
/// | reject (reason mandatory) | `rejected` + statusReason | `REJECTED` | — |
/// | return with advice (advice mandatory) | `rejected` + note | `TRIAGE_RESPONSE` | — |
/// | booked (an Appointment based on it) | `in-progress` | `BOOKED` | `completed`, output the Appointment |
/// | did not attend | stays `in-progress` | `DID_NOT_ATTEND` | — |
/// | appointment cancelled | stays `in-progress` | `APPT_CANCELLED_BY_PATIENT` / `…_BY_PROVIDER` | a new one opened, to rebook |
/// | cancelled by the referrer | `cancelled` (`failed` once work started) | `CANCELLED_REFERRAL` | cancelled |
public enum ReferralPlanner {
    /// The code system of the businessStatus codes (eRS referral states).
    public static let stateSystem = "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralState-1"
    /// The UBRN identifier systems (both spellings the NHS uses).
    public static let ubrnSystems: Set<String> = ["https://fhir.nhs.uk/Id/ubrn", "https://fhir.nhs.uk/Id/UBRN"]
    /// The canonical namespace name UBRN keys are indexed under (`ns|UBRN|<value>`).
    public static let ubrnNamespace = "UBRN"

    /// The referral states Postroom records as businessStatus.
    public enum State: String, Sendable, CaseIterable {
        case awaitingTriage = "AWAITING_TRIAGE"
        case notBooked = "NOT_BOOKED"
        case providerToAction = "TRIAGED_PROVIDER_TO_ACTION"
        case rejected = "REJECTED"
        case triageResponse = "TRIAGE_RESPONSE"
        case booked = "BOOKED"
        case didNotAttend = "DID_NOT_ATTEND"
        case cancelled = "CANCELLED_REFERRAL"
        case appointmentCancelledByPatient = "APPT_CANCELLED_BY_PATIENT"
        case appointmentCancelledByProvider = "APPT_CANCELLED_BY_PROVIDER"

        /// The text shown beside the code.
        public var display: String {
            switch self {
            case .awaitingTriage: "Awaiting triage"
            case .notBooked: "Accepted, not booked"
            case .providerToAction: "Accepted, provider to book"
            case .rejected: "Rejected"
            case .triageResponse: "Returned to referrer with advice"
            case .booked: "Booked"
            case .didNotAttend: "Did not attend"
            case .cancelled: "Referral cancelled"
            case .appointmentCancelledByPatient: "Appointment cancelled by the patient"
            case .appointmentCancelledByProvider: "Appointment cancelled by the provider"
            }
        }
    }

    /// What happened to a referral.
    public enum Outcome: Equatable, Sendable {
        case accept
        case acceptBookLater
        case reject(reason: String?)
        case returnWithAdvice(advice: String?)
        /// Booked: the Appointment (`Appointment/<id>`).
        case booked(appointment: String)
        case didNotAttend
        /// The booked Appointment (`Appointment/<id>`) was cancelled, by the patient or else by the provider.
        case appointmentCancelled(appointment: String, byPatient: Bool)
        /// The referrer cancelled the referral (its ServiceRequest revoked).
        case cancelled(reason: String?)
    }

    /// What to do with the booking sub-task.
    public enum Subtask: Equatable, Sendable {
        case none
        /// Open one (`requested`) unless one is open.
        case open
        /// Complete the open one (or one made for the purpose), with the Appointment as output.
        case complete(output: String)
        /// Cancel the open one.
        case cancel
    }

    /// The steps for one outcome.
    public struct Plan: Equatable, Sendable {
        /// The statuses the Task moves through (empty: the status stays).
        public var path: [TaskStatus]
        public var state: State
        public var statusReason: String?
        /// Notes added to the Task (the advice of a return).
        public var notes: [String] = []
        /// The history line's reason.
        public var reason: String
        public var subtask: Subtask
    }

    public enum Decision: Equatable, Sendable {
        case plan(Plan)
        case refused(Issue)
    }

    /// Whether a UBRN is well formed: exactly 12 ASCII digits.
    public static func isUBRN(_ value: String) -> Bool {
        value.utf8.count == 12 && value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Whether a request's keys carry a UBRN (an eRS referral), in any spelling `identity` knows.
    public static func hasUBRN(_ keys: [String], identity: IdentityNamespaces) -> Bool {
        identity.canonical(keys).contains { $0.hasPrefix("ns|\(ubrnNamespace)|") }
    }

    /// The steps for `outcome` on a referral Task now `current`.
    public static func plan(_ outcome: Outcome, current: TaskStatus, machine: TaskStateMachine) -> Decision {
        switch outcome {
        case .accept:
            return move(current, to: .accepted, machine, Plan(path: [], state: .notBooked, reason: "referral accepted", subtask: .open))
        case .acceptBookLater:
            return move(current, to: .accepted, machine, Plan(path: [], state: .providerToAction,
                                                               reason: "referral accepted, to be booked later", subtask: .open))
        case .reject(let reason):
            guard let reason = nonEmpty(reason) else {
                return .refused(.error(.referralRejectReasonMissing, type: "business-rule", at: "Task.statusReason",
                                       "A referral can be rejected only with a reason; nothing was changed"))
            }
            return move(current, to: .rejected, machine, Plan(path: [], state: .rejected, statusReason: reason,
                                                              reason: "referral rejected: " + reason, subtask: .none))
        case .returnWithAdvice(let advice):
            guard let advice = nonEmpty(advice) else {
                return .refused(.error(.referralAdviceMissing, type: "business-rule", at: "Task.note",
                                       "A referral returned with advice must carry the advice; nothing was changed"))
            }
            return move(current, to: .rejected, machine, Plan(path: [], state: .triageResponse, statusReason: "Returned to referrer with advice",
                                                              notes: [advice], reason: "referral returned to the referrer with advice",
                                                              subtask: .none))
        case .booked(let appointment):
            return move(current, to: .inProgress, machine, Plan(path: [], state: .booked, reason: "appointment booked: " + appointment,
                                                                subtask: .complete(output: appointment)))
        case .didNotAttend:
            guard current == .inProgress else {
                return .refused(.error(.referralNotBooked, type: "business-rule", at: "Task.businessStatus",
                                       "Did-not-attend needs a booked referral; the referral's Task is \(current.rawValue)"))
            }
            return .plan(Plan(path: [], state: .didNotAttend, reason: "patient did not attend", subtask: .none))
        case .appointmentCancelled(let appointment, let byPatient):
            guard current == .inProgress else {
                return .refused(.error(.referralNotBooked, type: "business-rule", at: "Appointment.status",
                                       "A cancelled appointment needs a booked referral; the referral's Task is \(current.rawValue)"))
            }
            let state: State = byPatient ? .appointmentCancelledByPatient : .appointmentCancelledByProvider
            return .plan(Plan(path: [], state: state, reason: "appointment cancelled: " + appointment, subtask: .open))
        case .cancelled(let reason):
            // DOMAIN.md §2.2: nothing leads from in-progress to cancelled; a started referral is failed.
            let target: TaskStatus = machine.allows(current, .cancelled) ? .cancelled : .failed
            let why = nonEmpty(reason) ?? "Referral cancelled"
            return move(current, to: target, machine, Plan(path: [], state: .cancelled, statusReason: why,
                                                           reason: "referral cancelled by the referrer: " + why, subtask: .cancel))
        }
    }

    static func move(_ current: TaskStatus, to target: TaskStatus, _ machine: TaskStateMachine, _ plan: Plan) -> Decision {
        guard let path = machine.path(from: current, to: target) else { return .refused(machine.refusal(from: current, to: target)) }
        var p = plan
        p.path = path
        return .plan(p)
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }
}
