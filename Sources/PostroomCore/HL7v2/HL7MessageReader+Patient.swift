extension HL7MessageReader {
    /// The patient of the message from PID-3 (NHS number Modulus-11 checked), PID-5, -7, -8.
    mutating func patient(_ pid: HL7Segment) -> PatientFacts {
        var nhs: String?
        var keys: Set<String> = []
        var identifiers: [JSONValue] = []
        let reps = pid.field(3).repetitions
        if !require(pid, 3, 0, "PID-3 (patient identifier list)") { return PatientFacts() }
        for (r, rep) in reps.enumerated() where rep.isPresent {
            let value = rep.component(1).text
            guard !value.isEmpty else { continue }
            let authority = rep.component(4)
            let hd1 = authority.subcomponent(1).text
            let hd2 = authority.subcomponent(2).text
            let type = rep.component(5).text
            let loc = pid.location(3, 1, repetition: reps.count > 1 ? r + 1 : nil).description
            if hd1.uppercased() == "NHS" || type.uppercased() == "NH" || hd2 == NHSNumber.oid {
                if case .valid(let digits) = NHSNumber.check(value) {
                    if nhs == nil { nhs = digits }
                    identifiers.append(["system": .string(NHSNumber.system), "value": .string(digits)])
                } else if let issue = NHSNumber.issue(for: value, at: loc) {
                    issues.append(issue)
                }
                continue
            }
            let system = !hd1.isEmpty ? hd1 : (!hd2.isEmpty ? hd2 : type)
            if !system.isEmpty { keys.insert(CorrelationKey.identifier(system: system, value: value)) }
            var ident = JSONObject()
            if !type.isEmpty { ident["type"] = ["coding": [["system": .string(HL7FHIR.v20203), "code": .string(type)]]] }
            if HL7FHIR.isOID(hd2) { ident["system"] = .string("urn:oid:" + hd2) }
            ident["value"] = .string(value)
            if !hd1.isEmpty { ident["assigner"] = ["display": .string(hd1)] }
            identifiers.append(.object(ident))
        }
        var resource = JSONObject()
        resource["resourceType"] = "Patient"
        if !identifiers.isEmpty { resource["identifier"] = .array(identifiers) }
        let names = pid.field(5).repetitions.compactMap(HL7FHIR.humanName)
        if !names.isEmpty { resource["name"] = .array(names) }
        switch pid.text(8) {
        case "M": resource["gender"] = "male"
        case "F": resource["gender"] = "female"
        case "O", "A": resource["gender"] = "other"
        case "U", "N": resource["gender"] = "unknown"
        default: break
        }
        if pid.element(7, 1).isPresent {
            if let dt = HL7Timestamp(pid.text(7, 1)) { resource["birthDate"] = .string(dt.fhirDate) } else {
                issues.append(.error(.dataType, type: "value", at: pid.location(7).description, "PID-7 (date of birth) is not a valid HL7 date"))
            }
        }
        return PatientFacts(nhsNumber: nhs, keys: keys, resource: .object(resource))
    }

    /// A FHIR reference to the patient by its strongest identifier.
    static func subject(_ patient: PatientFacts?) -> JSONValue? {
        guard let patient else { return nil }
        if let nhs = patient.nhsNumber { return ["identifier": ["system": .string(NHSNumber.system), "value": .string(nhs)]] }
        if let first = patient.resource?["identifier"]?[0] { return ["identifier": first] }
        return nil
    }
}
