/// Maps HL7 v2 data types to FHIR R4 JSON (v2-to-FHIR conventions).
enum HL7FHIR {
    static let v20203 = "http://terminology.hl7.org/CodeSystem/v2-0203"

    /// The FHIR system of a v2 coding-system name (CWE.3), or nil when there is no standard one.
    static func system(_ name: String) -> String? {
        switch name {
        case "LN": return "http://loinc.org"
        case "UCUM": return "http://unitsofmeasure.org"
        case "SCT": return "http://snomed.info/sct"
        case "": return nil
        default: return slowSystem(name)
        }
    }

    static func slowSystem(_ name: String) -> String? {
        switch name.uppercased() {
        case "": nil
        case "LN", "LOINC": "http://loinc.org"
        case "SCT", "SNM", "SNM3", "SNOMED", "SNOMED-CT", "SNOMEDCT": "http://snomed.info/sct"
        case "UCUM": "http://unitsofmeasure.org"
        case "I10", "ICD10": "http://hl7.org/fhir/sid/icd-10"
        case "I10C", "ICD10CM": "http://hl7.org/fhir/sid/icd-10-cm"
        case "I9C": "http://hl7.org/fhir/sid/icd-9-cm"
        case "READ", "RD2", "RD3": "http://read.info/readv2"
        default:
            if name.uppercased().hasPrefix("HL7"), name.count == 7 { "http://terminology.hl7.org/CodeSystem/v2-" + name.dropFirst(3) }
            else if isOID(name) { "urn:oid:" + name }
            else { nil }
        }
    }

    static func isOID(_ s: String) -> Bool {
        !s.isEmpty && s.contains(".") && s.allSatisfy { $0 == "." || $0.isASCII && $0.isNumber }
    }

    /// A Coding from code, display and v2 system name; nil when there is no code and no display.
    static func coding(_ code: String, _ display: String, _ systemName: String) -> JSONValue? {
        guard !code.isEmpty || !display.isEmpty else { return nil }
        var o = JSONObject.reserving(3)
        o.add("system", system(systemName).map(JSONValue.string))
        if !code.isEmpty { o.add("code", .string(code)) }
        if !display.isEmpty { o.add("display", .string(display)) }
        return .object(o)
    }

    /// A CodeableConcept from a CE/CWE/CNE element (first and alternate triplets, original text).
    static func codeableConcept(_ e: HL7Element) -> JSONValue? {
        if e.isEmpty { return nil }
        func t(_ i: Int) -> String { e.componentText(i) }
        let display = t(2)
        var codings: [JSONValue] = []
        codings.reserveCapacity(2)
        if let first = coding(t(1), display, t(3)) { codings.append(first) }
        if e.hasComponent(4) || e.hasComponent(5), let alt = coding(t(4), t(5), t(6)) { codings.append(alt) }
        var o = JSONObject.reserving(2)
        if !codings.isEmpty { o.add("coding", .array(codings)) }
        let original = t(9)
        let text = original.isEmpty ? display : original
        if !text.isEmpty { o.add("text", .string(text)) }
        return o.isEmpty ? nil : .object(o)
    }

    /// The namespace of an EI (entity identifier): EI.2, else EI.3 (as `urn:oid:` for ISO), else `fallback`.
    static func namespace(_ e: HL7Element, fallback: String) -> String {
        let ns = e.component(2).text
        if !ns.isEmpty { return ns }
        return universalNamespace(e) ?? fallback
    }

    /// The namespace named by EI.3 (universal id) and EI.4 (its type), when EI.3 is given.
    static func universalNamespace(_ e: HL7Element) -> String? {
        let universal = e.component(3).text
        guard !universal.isEmpty else { return nil }
        switch e.component(4).text.uppercased() {
        case "ISO": return "urn:oid:" + universal
        case "UUID": return "urn:uuid:" + universal.lowercased()
        case "", "URI": return universal
        default: return universal + "^" + e.component(4).text
        }
    }

    /// A FHIR Identifier typed PLAC/FILL/PGN for an EI.
    static func identifier(_ e: HL7Element, type: String, namespace: String) -> JSONValue {
        var o = JSONObject.reserving(3)
        o.add("type", identifierType(type))
        let isURI = namespace.hasPrefix("urn:")
        if isURI { o.add("system", .string(namespace)) }
        o.add("value", .string(e.componentText(1)))
        if !isURI { o.add("assigner", ["display": .string(namespace)]) }
        return .object(o)
    }

    static let placerType: JSONValue = ["coding": [["system": .string(v20203), "code": "PLAC"]]]
    static let fillerType: JSONValue = ["coding": [["system": .string(v20203), "code": "FILL"]]]

    /// The `Identifier.type` of a v2-0203 code (shared values for PLAC and FILL).
    static func identifierType(_ code: String) -> JSONValue {
        switch code {
        case "PLAC": placerType
        case "FILL": fillerType
        default: ["coding": [["system": .string(v20203), "code": .string(code)]]]
        }
    }

    /// A HumanName from an XPN repetition.
    static func humanName(_ e: HL7Element) -> JSONValue? {
        let family = e.component(1).subcomponent(1).text
        let given = [e.component(2).text, e.component(3).text].filter { !$0.isEmpty }
        var o = JSONObject()
        if !family.isEmpty { o["family"] = .string(family) }
        if !given.isEmpty { o["given"] = .array(given.map(JSONValue.string)) }
        let suffix = e.component(4).text
        if !suffix.isEmpty { o["suffix"] = [.string(suffix)] }
        let prefix = e.component(5).text
        if !prefix.isEmpty { o["prefix"] = [.string(prefix)] }
        return o.isEmpty ? nil : .object(o)
    }

    /// A display reference for a person in an XCN (id, family, given).
    static func practitionerReference(_ e: HL7Element) -> JSONValue? {
        guard e.isPresent else { return nil }
        let name = [e.component(3).text, e.component(2).subcomponent(1).text].filter { !$0.isEmpty }.joined(separator: " ")
        var o = JSONObject()
        let id = e.component(1).text
        if !id.isEmpty {
            var ident = JSONObject()
            let authority = e.component(9).subcomponent(1).text
            if let sys = authority.uppercased() == "NPI" ? "http://hl7.org/fhir/sid/us-npi" : nil { ident["system"] = .string(sys) }
            ident["value"] = .string(id)
            o["identifier"] = .object(ident)
        }
        if !name.isEmpty { o["display"] = .string(name) }
        return o.isEmpty ? nil : .object(o)
    }

    /// A stable FHIR id from a key (FNV-1a 64-bit, hex), prefixed.
    static func id(_ prefix: String, _ key: String, index: Int? = nil) -> String {
        // FNV-1a (64 bits) over the key, then over the text "|\(index)", whose digits are hashed without
        // making the string (one allocation per Observation).
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        for b in key.utf8 { mix(b) }
        if let index {
            mix(UInt8(ascii: "|"))
            if index < 0 { mix(UInt8(ascii: "-")) }
            var digits = index.magnitude, scale: UInt = 1
            while digits / scale >= 10 { scale *= 10 }
            while scale > 0 {
                mix(0x30 + UInt8(digits / scale))
                digits %= scale
                scale /= 10
            }
        }
        let p = prefix.utf8
        return String(unsafeUninitializedCapacity: p.count + 17) { out in
            var n = 0
            for b in p { out[n] = b; n += 1 }
            out[n] = 0x2D
            n += 1
            for shift in stride(from: 60, through: 0, by: -4) {
                let nibble = UInt8((h >> UInt64(shift)) & 0xF)
                out[n] = Hex.digits[Int(nibble)]
                n += 1
            }
            return n
        }
    }

    /// A decimal in FHIR JSON form, or nil when the text is not a number (`+.50` → `0.50`).
    static func decimal(_ text: String) -> String? {
        var s = text
        return s.withUTF8 { decimal($0) }
    }

    /// A decimal in FHIR JSON form from the bytes of a v2 NM value, or nil when it is not a number.
    static func decimal(_ all: UnsafeBufferPointer<UInt8>) -> String? {
        var end = all.count
        while end > 0, all[end - 1] == 0x20 { end -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: all[0..<end])
        var i = 0
        while i < bytes.count, bytes[i] == 0x20 { i += 1 }
        var negative = false
        if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { negative = bytes[i] == 0x2D; i += 1 }
        var intStart = i
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        let intEnd = i
        var fracStart = i, fracEnd = i
        if i < bytes.count, bytes[i] == 0x2E {
            i += 1
            fracStart = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            fracEnd = i
        }
        guard i == bytes.count, intEnd > intStart || fracEnd > fracStart else { return nil }
        while intEnd - intStart > 1, bytes[intStart] == 0x30 { intStart += 1 }
        let hasPoint = intEnd < bytes.count
        if !negative, intStart == 0, intEnd > 0, !hasPoint || fracEnd > fracStart {
            return String(decoding: bytes, as: UTF8.self)  // already in JSON form
        }
        var out: [UInt8] = negative ? [0x2D] : []
        if intEnd > intStart { out += bytes[intStart..<intEnd] } else { out.append(0x30) }
        if fracEnd > fracStart { out.append(0x2E); out += bytes[fracStart..<fracEnd] }
        return String(decoding: out, as: UTF8.self)
    }
}
