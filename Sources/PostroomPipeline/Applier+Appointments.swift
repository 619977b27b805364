import Foundation
import PostroomCore
import PostroomStore

/// Appointments (a booking, a BaRS booking-request): stored, and linked to the request they are
/// based on when Postroom holds it (`Appointment.basedOn` → `ServiceRequest/<id>`); a booked one
/// books its eRS referral, a `noshow` records did-not-attend (`ReferralPlanner`).
extension Applier {
    func applyAppointment(_ other: OtherResource, id proposedID: String) throws -> [Issue] {
        var resource = refs.rewrite(other.resource)
        let basedOn = resource["basedOn"]?.array ?? []
        var matched: RequestRecord?
        var linked: [JSONValue] = []
        for (i, entry) in basedOn.enumerated() {
            let original = other.resource["basedOn"]?[i]
            if matched == nil, let request = try reader.requestMatches(keys: Self.keys(of: entry) + Self.keys(of: original)).first?.request {
                matched = request
                var o = entry.object ?? JSONObject()
                o["reference"] = .string("ServiceRequest/" + request.id)
                linked.append(.object(o))
            } else {
                linked.append(entry)
            }
        }
        guard let request = matched else {
            let v = try writer.putResource(type: "Appointment", id: proposedID, resource: resource, messageID: messageID, at: now)
            locations?.note(other.entryIndex, type: "Appointment", id: proposedID, version: v)
            return [.information(.appointmentReferralUnknown, at: "Appointment.basedOn",
                                 "The Appointment names no referral Postroom holds; it is stored unlinked")]
        }
        if var o = resource.object {
            o["basedOn"] = .array(linked)
            resource = .object(o)
        }
        let id = try appointmentID(proposed: other.resource["id"]?.string, assigned: proposedID, requestID: request.id)
        let v = try writer.putResource(type: "Appointment", id: id, resource: resource, messageID: messageID, at: now)
        locations?.note(other.entryIndex, type: "Appointment", id: id, version: v)
        var issues: [Issue] = [.information(.appointmentLinked, at: "Appointment.basedOn",
                                            "The Appointment was stored as Appointment/\(id) and linked to its referral")]
        if let task = try referralTask(of: request.id), try isERSReferral(request),
           let outcome = ReferralPlanner.outcome(ofAppointment: resource["status"]?.string, reference: "Appointment/" + id,
                                                cancelationReason: resource["cancelationReason"]) {
            issues += try applyReferralOutcome(outcome, request: request, task: task).issues
        }
        return issues
    }

    /// The id to store the Appointment under: the sender's own when an Appointment of that id is
    /// already stored for the same request (a new version of it, e.g. marked `noshow`), else the one given.
    func appointmentID(proposed: String?, assigned: String, requestID: String) throws -> String {
        guard let proposed, proposed != assigned, FHIRIdentifierRules.isValidID(proposed),
              let stored = try reader.resource(type: "Appointment", id: proposed) else { return assigned }
        let target = "ServiceRequest/" + requestID
        return (stored["basedOn"]?.array ?? []).contains { $0["reference"]?.string == target } ? proposed : assigned
    }

    /// Keys a `basedOn` Reference names a request by: its literal reference and its identifier.
    static func keys(of reference: JSONValue?) -> [String] {
        guard let reference else { return [] }
        var keys: [String] = []
        if let ref = reference["reference"]?.string { keys.append(CorrelationKey.reference(ref)) }
        if let system = reference["identifier"]?["system"]?.string, let value = reference["identifier"]?["value"]?.string {
            keys.append(CorrelationKey.identifier(system: system, value: PostroomCore.FHIRIdentifierRules.normalisedValue(value, system: system)))
        }
        return keys
    }
}
