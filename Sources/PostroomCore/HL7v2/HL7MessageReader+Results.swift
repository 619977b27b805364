extension HL7MessageReader {
    /// OBX-11 values that need no OBX-5 (cannot be obtained, not asked, in lab, order detail, deleted).
    static let statusesWithoutValue: Set<String> = ["X", "N", "I", "O", "D"]

    /// One report per ORDER_OBSERVATION of an ORU^R01.
    mutating func results(_ tree: HL7GroupNode, patient: PatientFacts?) -> [ReportFacts] {
        var out: [ReportFacts] = []
        let subject = Self.subject(patient)
        // Observations are journalled as recipes when their subject reads back as written.
        let writable = HL7ObservationRecipe.readsBack(subject: subject)
        // What builds the Observations later: this reader without the issues recorded here.
        var builder = self
        builder.issues = []
        for (n, group) in tree.groups("ORDER_OBSERVATION").enumerated() {
            guard let obrIndex = group.directSegments.first(where: { message.segmentID($0) == "OBR" }) else { continue }
            let obr = message.segment(obrIndex)
            let orc = group.children("COMMON_ORDER").first?.directSegments.first.map(message.segment)
            require(obr, 4, 0, "OBR-4 (universal service identifier)")
            // Results come from the filler: the placer is the receiving application.
            let numbers = orderNumbers(obr, then: orc, obr: obr, placerNamespace: receiver, fillerNamespace: sender)
            let placer = numbers.placer, filler = numbers.filler
            if placer == nil, filler == nil {
                issues.append(.warning(.orderNumberMissing, type: "required", at: obr.location(2).description,
                                       "The result names no placer (OBR-2/ORC-2) or filler (OBR-3/ORC-3) order number, so it cannot be linked to its order"))
            }
            let service = obr.text(4, 1)
            let identity = "v2-report|" + (placer?.key ?? filler?.key ?? "msg|\(sender)|\(message.segment(0).text(10))|\(n + 1)") + "|" + service

            let (observations, observationIDs, obxStatuses) = checkObservations(in: group, obr: obrIndex, identity: identity, subject: subject,
                                                                                 builder: builder, asRecipes: writable)
            let status = resultStatus(obr, obxStatuses: obxStatuses)
            let dr = diagnosticReport(obr, identity: identity, numbers: numbers, status: status, subject: subject, observationIDs: observationIDs)
            var facts = ReportFacts(kind: .diagnosticReport, resource: .object(dr), requestKeys: numbers.keys,
                                    identity: identity, status: status)
            facts.deferredObservations = observations
            facts.madeUpIDs = true
            facts.referencesOnlyResults = true
            out.append(facts)
        }
        return out
    }

    /// The report's status: OBR-25 mapped, or derived from the OBX-11s when it is empty (recording either).
    mutating func resultStatus(_ obr: HL7Segment, obxStatuses: [String]) -> String {
        let resultStatus = obr.text(25, 1)
        if resultStatus.isEmpty {
            issues.append(.warning(.requiredFieldMissing, type: "required", at: obr.location(25).description,
                                   "OBR-25 (result status) is empty; the report status is derived from OBX-11"))
            return Self.derivedStatus(obxStatuses)
        }
        if let mapped = HL7Tables.resultStatus[resultStatus] { return mapped }
        table(obr, 25, 0, resultStatus, { _ in false }, "0123")
        return "unknown"
    }

    /// The DiagnosticReport of one ORDER_OBSERVATION, naming its Observations by `observationIDs`.
    mutating func diagnosticReport(_ obr: HL7Segment, identity: String, numbers: OrderNumbers, status: String, subject: JSONValue?,
                                   observationIDs: [String]) -> JSONObject {
        var dr = JSONObject.reserving(11)
        dr.add("resourceType", "DiagnosticReport")
        dr.add("id", .string(HL7FHIR.id("v2dr", identity)))
        var identifiers: [JSONValue] = []
        let placerIdentifier = numbers.placer.map { HL7FHIR.identifier(numbers.placerEI, type: "PLAC", namespace: $0.namespace) }
        if let placerIdentifier { identifiers.append(placerIdentifier) }
        if let filler = numbers.filler { identifiers.append(HL7FHIR.identifier(numbers.fillerEI, type: "FILL", namespace: filler.namespace)) }
        if !identifiers.isEmpty { dr.add("identifier", .array(identifiers)) }
        if let placerIdentifier {
            var basedOn = JSONObject.reserving(2)
            basedOn.add("type", "ServiceRequest")
            basedOn.add("identifier", placerIdentifier)
            dr.add("basedOn", .array([.object(basedOn)]))
        }
        dr.add("status", .string(status))
        dr.add("code", HL7FHIR.codeableConcept(obr.element(4)) ?? ["text": "unknown"])
        dr.add("subject", subject)
        if let effective = dateTime(obr, 7) { dr.add("effectiveDateTime", .string(effective)) }
        if let issued = instant(obr, 22) { dr.add("issued", .string(issued)) }
        var results: [JSONValue] = []
        results.reserveCapacity(observationIDs.count)
        for id in observationIDs {
            results.append(.object(JSONObject([.init("reference", .string("Observation/" + id))])))
        }
        if !results.isEmpty { dr.add("result", .array(results)) }
        return dr
    }

    /// Checks the OBSERVATION groups of one report (recording their issues): how `builder` builds each
    /// Observation (with a recipe to journal when `asRecipes`), the ids the report names them by, and their
    /// OBX-11 statuses.
    mutating func checkObservations(in group: HL7GroupNode, obr obrIndex: Int, identity: String, subject: JSONValue?,
                                    builder: HL7MessageReader, asRecipes: Bool) -> ([DeferredResource], [String], [String]) {
        let observationGroups = group.children("OBSERVATION")
        let obr = message.segment(obrIndex)
        var observations: [DeferredResource] = [], ids: [String] = [], statuses: [String] = []
        observations.reserveCapacity(observationGroups.count)
        ids.reserveCapacity(observationGroups.count)
        statuses.reserveCapacity(observationGroups.count)
        for (k, og) in observationGroups.enumerated() {
            let segs = og.directSegments
            guard let first = segs.first else { continue }
            let obx = message.segment(first)
            statuses.append(obx.text(11, 1))
            checkObservation(obx, fallbackEffective: obr)
            let id = HL7FHIR.id("v2obs", identity, index: k + 1)
            ids.append(id)
            let recipe = HL7ObservationRecipe(reader: builder, group: segs, obr: obrIndex, id: id, subject: subject)
            observations.append(asRecipes ? DeferredResource(recipe) : DeferredResource { recipe.build() })
        }
        return (observations, ids, statuses)
    }

    static let interpretationSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"

    static func interpretationConcept(_ code: String) -> JSONValue {
        var coding = JSONObject.reserving(2)
        coding.add("system", .string(interpretationSystem))
        coding.add("code", .string(code))
        var concept = JSONObject.reserving(1)
        concept.add("coding", .array([.object(coding)]))
        return .object(concept)
    }

    /// Shared values for the common abnormal flags (table 0078), built once.
    static let commonInterpretations: [String: JSONValue] = Dictionary(uniqueKeysWithValues:
        ["N", "A", "AA", "H", "HH", "L", "LL", "<", ">", "S", "R", "I", "POS", "NEG", "IND", "DET", "ND"].map { ($0, interpretationConcept($0)) })

    /// The Observation.interpretation of an OBX-8 flag.
    static func interpretation(_ code: String) -> JSONValue {
        commonInterpretations[code] ?? interpretationConcept(code)
    }

    static let dataAbsentNotPerformed: JSONValue = ["coding": [["system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "not-performed"]]]
    static let dataAbsentUnknown: JSONValue = ["coding": [["system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "unknown"]]]

    /// A report status from OBX-11 values when OBR-25 is empty.
    static func derivedStatus(_ statuses: [String]) -> String {
        if statuses.isEmpty { return "registered" }
        if statuses.contains("C") { return "corrected" }
        if statuses.allSatisfy({ $0 == "F" || $0 == "U" }) { return "final" }
        if statuses.contains(where: { $0 == "P" || $0 == "R" || $0 == "S" }) { return "preliminary" }
        return "unknown"
    }

    /// Records the issues of one OBX, as an Observation (`observation`), without building it.
    mutating func checkObservation(_ obx: HL7Segment, fallbackEffective obr: HL7Segment) {
        let type = obx.text(2, 1)
        let status = obx.text(11, 1)
        require(obx, 3, 0, "OBX-3 (observation identifier)")
        if require(obx, 11, 0, "OBX-11 (observation result status)") { table(obx, 11, 1, status, { HL7Tables.observationStatus[$0] != nil }, "0085") }
        let hasValue = obx.field(5).isPresent
        if hasValue { if require(obx, 2, 0, "OBX-2 (value type)") { table(obx, 2, 1, type, HL7Tables.valueTypes.contains, "0125") } }
        else if !Self.statusesWithoutValue.contains(status) {
            issues.append(.error(.requiredFieldMissing, type: "required", at: obx.location(5).description,
                                 "OBX-5 (observation value) is required unless OBX-11 says there is none (X, N, I, O, D)"))
        }
        if dateTime(obx, 14) == nil { _ = dateTime(obr, 7, severity: .warning) }
        if hasValue, HL7Tables.valueTypes.contains(type) { checkValue(obx, type: type) }
    }

    /// Records an OBX-5 that does not fit its type (OBX-2).
    mutating func checkValue(_ obx: HL7Segment, type: String) {
        guard let what = valueProblem(obx, type: type) else { return }
        issues.append(.error(.dataType, type: "value", at: obx.location(5).description, "OBX-5 is not a valid \(what) (OBX-2 \(type))"))
    }

    /// One Observation from an OBX, with its value typed by OBX-2. It records nothing (it is not
    /// `mutating`): its issues are `checkObservation`'s, recorded when the message was read.
    func observation(_ obx: HL7Segment, id: String, subject: JSONValue?, notes: [JSONValue], fallbackEffective obr: HL7Segment) -> JSONValue {
        let type = obx.text(2, 1)
        let status = obx.text(11, 1)
        let hasValue = obx.field(5).isPresent
        var o = JSONObject.reserving(12)
        o.add("resourceType", "Observation")
        o.add("id", .string(id))
        o.add("status", .string(HL7Tables.observationStatus[status] ?? "unknown"))
        o.add("code", HL7FHIR.codeableConcept(obx.element(3)) ?? ["text": "unknown"])
        o.add("subject", subject)
        if let effective = dateTimeValue(obx, 14) ?? dateTimeValue(obr, 7) { o.add("effectiveDateTime", .string(effective)) }
        if hasValue, HL7Tables.valueTypes.contains(type) {
            if let (key, value) = observationValue(obx, type: type) { o.add(key, value) }
        } else if !hasValue {
            o.add("dataAbsentReason", status == "X" ? Self.dataAbsentNotPerformed : Self.dataAbsentUnknown)
        }
        let flags = obx.field(8)
        if flags.isPresent {
            var interpretation: [JSONValue] = []
            var k = 1
            while true {
                let rep = flags.repetition(k)
                k += 1
                if rep.range.lowerBound >= flags.range.upperBound && k > 2 { break }
                guard rep.isPresent else { continue }
                interpretation.append(Self.interpretation(rep.componentText(1)))
            }
            if !interpretation.isEmpty { o.add("interpretation", .array(interpretation)) }
        }
        let range = obx.text(7)
        if !range.isEmpty { o.add("referenceRange", [["text": .string(range)]]) }
        if !notes.isEmpty { o.add("note", .array(notes)) }
        return .object(o)
    }

    /// What an OBX-5 of type `type` (OBX-2) fails to be ("number", "date/time", …), or nil when it fits
    /// its type: exactly when `observationValue` returns no value for a type it checks.
    func valueProblem(_ obx: HL7Segment, type: String) -> String? {
        let field = obx.field(5)
        guard field.isPresent else { return nil }
        let first = field.repetition(1)
        switch type {
        case "NM": return first.withBytes(HL7FHIR.decimal) == nil ? "number" : nil
        case "DT", "DTM", "TS": return HL7Timestamp(first.component(1).text) == nil ? "date/time" : nil
        case "TM": return Self.timeDigits(first.text) == nil ? "time" : nil
        case "SN": return structuredNumeric(first, units: obx.element(6)) == nil ? "structured numeric" : nil
        default: return nil
        }
    }

    /// The digits of an HL7 TM value (HH[MM[SS…]], at most six kept), or nil when it is not one.
    static func timeDigits(_ t: String) -> [Character]? {
        guard t.count >= 2, t.prefix(6).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Array(t.prefix(6))
    }

    /// The `value[x]` member of an OBX-5 by its type (OBX-2); nil when the value does not fit the type
    /// (`valueProblem` says how, and `checkObservation` records it).
    func observationValue(_ obx: HL7Segment, type: String) -> (String, JSONValue)? {
        let field = obx.field(5)
        guard field.isPresent else { return nil }
        let first = field.repetition(1)
        var reps: [HL7Element] { field.repetitions.filter(\.isPresent) }
        switch type {
        case "NM":
            guard let number = first.withBytes(HL7FHIR.decimal) else { return nil }
            return ("valueQuantity", quantity(number, units: obx.element(6)))
        case "ST", "TX", "FT":
            return ("valueString", .string(reps.map(\.text).joined(separator: "\n")))
        case "CE", "CWE", "CNE", "CF":
            return HL7FHIR.codeableConcept(first).map { ("valueCodeableConcept", $0) }
        case "DT", "DTM", "TS":
            guard let dt = HL7Timestamp(first.component(1).text) else { return nil }
            return ("valueDateTime", .string(type == "DT" ? dt.fhirDate : dt.fhirDateTime(zone: zone)))
        case "TM":
            guard let digits = Self.timeDigits(first.text) else { return nil }
            func pair(_ i: Int) -> String { i + 1 < digits.count ? String(digits[i...(i + 1)]) : "00" }
            return ("valueTime", .string("\(pair(0)):\(pair(2)):\(pair(4))"))
        case "SN":
            return structuredNumeric(first, units: obx.element(6))
        default:
            let text = reps.map { $0.components.map(\.text).filter { !$0.isEmpty }.joined(separator: " ") }.joined(separator: "\n")
            return ("valueString", .string(text))
        }
    }

    /// A Quantity with units from OBX-6 (UCUM when the units say so).
    func quantity(_ number: String, units: HL7Element, comparator: String? = nil) -> JSONValue {
        var q = JSONObject.reserving(5)
        q.add("value", .number(number))
        if let comparator { q.add("comparator", .string(comparator)) }
        guard units.isPresent else { return .object(q) }
        let code = units.componentText(1)
        let text = units.componentText(2)
        if !code.isEmpty || !text.isEmpty { q.add("unit", .string(text.isEmpty ? code : text)) }
        if !code.isEmpty, let system = HL7FHIR.system(units.componentText(3)) {
            q.add("system", .string(system))
            q.add("code", .string(code))
        }
        return .object(q)
    }

    /// SN (comparator ^ num1 ^ separator ^ num2) as a Quantity, Range or Ratio.
    func structuredNumeric(_ e: HL7Element, units: HL7Element) -> (String, JSONValue)? {
        let comparator = e.component(1).text
        guard let n1 = HL7FHIR.decimal(e.component(2).text) else { return nil }
        let separator = e.component(3).text
        let n2text = e.component(4).text
        if separator.isEmpty && n2text.isEmpty {
            let allowed = ["<", ">", "<=", ">="]
            if comparator.isEmpty || comparator == "=" { return ("valueQuantity", quantity(n1, units: units)) }
            guard allowed.contains(comparator) else { return nil }
            return ("valueQuantity", quantity(n1, units: units, comparator: comparator))
        }
        guard let n2 = HL7FHIR.decimal(n2text) else { return nil }
        switch separator {
        case "-": return ("valueRange", ["low": quantity(n1, units: units), "high": quantity(n2, units: units)])
        case ":", "/": return ("valueRatio", ["numerator": ["value": .number(n1)], "denominator": ["value": .number(n2)]])
        default: return nil
        }
    }
}
