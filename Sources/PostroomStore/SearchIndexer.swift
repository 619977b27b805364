import Foundation
import PostroomCore

/// Computes the FHIR search index rows of a resource from its parsed JSON (no re-parsing in SQLite).
///
/// One row per search parameter value: identifier, status, subject, subject:identifier, authored,
/// focus, part-of, owner:identifier, requester:identifier, modified, based-on, result, related,
/// group-identifier (a MedicationRequest's prescription), prescription (a MedicationDispense's item) —
/// and, for a DiagnosticReport, `based-on` rows for the Observations it lists as results (they are
/// based on what the report is based on). Dates become UTC periods `[lo, hi)` so partial dates compare.
enum SearchIndexer {
    struct Row: Equatable {
        var type: String
        var id: String
        var name: String
        var system: String?
        var value: String?
        var lo: String?
        var hi: String?
    }

    static let subjectTypes: Set<String> = ["ServiceRequest", "DiagnosticReport", "Observation", "DocumentReference", "MedicationRequest",
                                            "MedicationDispense"]
    /// Types searched by `status`.
    static let statusTypes: Set<String> = ["ServiceRequest", "Task", "DiagnosticReport", "MedicationRequest", "MedicationDispense", "Appointment"]
    /// Types with rows that another resource's JSON produced (`based-on` of the Observations a
    /// DiagnosticReport lists): such a row may name a resource that was never stored.
    static let producedByOthers: Set<String> = ["Observation"]

    static func rows(type: String, id: String, resource r: JSONValue) -> [Row] {
        guard SearchIndex.types.contains(type) else { return [] }
        var out: [Row] = []
        func token(_ name: String, _ v: JSONValue?) {
            for e in each(v) {
                guard let value = e["value"]?.string else { continue }
                out.append(Row(type: type, id: id, name: name, system: e["system"]?.string, value: value))
            }
        }
        func reference(_ name: String, _ v: JSONValue?) {
            for e in each(v) {
                guard let ref = e["reference"]?.string else { continue }
                out.append(Row(type: type, id: id, name: name, value: ref))
            }
        }
        func date(_ name: String, _ v: JSONValue?) {
            guard let text = v?.string else { return }
            let p = period(text)
            out.append(Row(type: type, id: id, name: name, value: text, lo: p?.lo, hi: p?.hi))
        }
        // Only what `postroom serve` searches (each row costs a write on every resource stored).
        if type == "ServiceRequest" || type == "Patient" || type == "MedicationRequest" || type == "Appointment" { token("identifier", r["identifier"]) }
        if Self.statusTypes.contains(type), let s = r["status"]?.string {
            out.append(Row(type: type, id: id, name: "status", value: s))
        }
        if subjectTypes.contains(type) {
            reference("subject", r["subject"])
            token("subject:identifier", r["subject"]?["identifier"])
        }
        switch type {
        case "ServiceRequest":
            date("authored", r["authoredOn"])
        case "Task":
            reference("focus", r["focus"])
            reference("part-of", r["partOf"])
            token("owner:identifier", r["owner"]?["identifier"])
            token("requester:identifier", r["requester"]?["identifier"])
            date("modified", r["lastModified"])
        case "DiagnosticReport":
            reference("based-on", r["basedOn"])
            reference("result", r["result"])
            if let results = r["result"]?.array, let basedOn = r["basedOn"]?.array {
                for o in results {
                    guard let ref = o["reference"]?.string, ref.hasPrefix("Observation/"), ref.count > 12 else { continue }
                    for b in basedOn {
                        guard let target = b["reference"]?.string else { continue }
                        out.append(Row(type: "Observation", id: String(ref.dropFirst(12)), name: "based-on", value: target))
                    }
                }
            }
        case "Observation":
            reference("based-on", r["basedOn"])
        case "DocumentReference":
            reference("related", r["context"]?["related"])
        case "MedicationRequest":
            token("group-identifier", r["groupIdentifier"])
        case "MedicationDispense":
            reference("prescription", r["authorizingPrescription"])
        case "Appointment":
            reference("based-on", r["basedOn"])
        default:
            break
        }
        return out
    }

    /// A single element or the elements of a repeating one.
    static func each(_ v: JSONValue?) -> [JSONValue] {
        guard let v else { return [] }
        if case .array(let a) = v { return a }
        if case .null = v { return [] }
        return [v]
    }

    /// `[lo, hi)` of a FHIR date, dateTime or instant as sortable UTC text, or nil when it is not one.
    static func period(_ text: String) -> (lo: String, hi: String)? {
        guard case .success(let value) = FHIRDateTime.parse(text, grammar: .stored) else { return nil }
        let (lo, hi) = value.period
        return (CivilDate.utcText(milliseconds: lo), CivilDate.utcText(milliseconds: hi))
    }
}
