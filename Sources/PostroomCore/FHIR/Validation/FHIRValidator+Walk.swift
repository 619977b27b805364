extension FHIRWalker {
    /// Walks the members of an object whose shape is `structure`.
    mutating func walkObject(_ object: JSONObject, structure index: Int, isResource: Bool) {
        let s = spec.structures[index]
        if object.members.isEmpty {
            report(IssueCode.jsonEmpty, type: "structure", "An empty object is not allowed in FHIR JSON")
            return
        }
        var enteredEntry = false
        var savedEntry: Int?
        if index == bundleEntryStructure, !bundles.isEmpty {
            savedEntry = bundles[bundles.count - 1].currentEntry
            bundles[bundles.count - 1].currentEntry = location.lastIndex
            enteredEntry = true
        }
        var seenRequired: UInt64 = 0
        var seenChoices: UInt64 = 0
        for member in object.members {
            let key = member.key
            if key.utf8.first == UInt8(ascii: "_") {
                walkPrimitiveExtension(member, in: object, structure: s)
                if let ei = s.elementIndex[String(key.dropFirst())] {
                    let e = s.elements[ei]
                    if e.requiredSlot >= 0 { seenRequired |= 1 << UInt64(e.requiredSlot) }
                    if e.choiceGroup >= 0, object[e.name] == nil { noteChoice(e, &seenChoices, s) }
                }
                continue
            }
            guard let ei = s.elementIndex[key] else {
                if isResource && key == "resourceType" { continue }
                report(IssueCode.unknownElement, type: "structure", at: key, "Unknown element '\(key)' in \(s.name)")
                continue
            }
            let e = s.elements[ei]
            if e.requiredSlot >= 0 { seenRequired |= 1 << UInt64(e.requiredSlot) }
            if e.choiceGroup >= 0 { noteChoice(e, &seenChoices, s) }
            location.push(key)
            walkMember(member.value, element: e, in: object)
            location.pop()
        }
        if seenRequired != s.requiredMask {
            let missing = s.requiredMask & ~seenRequired
            for slot in 0..<s.requiredSlotPaths.count where missing & (1 << UInt64(slot)) != 0 {
                let path = s.requiredSlotPaths[slot]
                let name = path.split(separator: ".").last.map(String.init) ?? path
                report(IssueCode.requiredElementMissing, type: "required", at: name, "Element \(path) is required (min 1) but missing")
            }
        }
        if s.role != .plain { checkRole(s.role, object) }
        if enteredEntry { bundles[bundles.count - 1].currentEntry = savedEntry }
    }

    mutating func noteChoice(_ e: FHIRElement, _ seen: inout UInt64, _ s: FHIRStructure) {
        guard e.choiceGroup < 64 else { return }
        let bit: UInt64 = 1 << UInt64(e.choiceGroup)
        if seen & bit != 0 {
            report(IssueCode.choiceMultiple, type: "structure", at: e.name,
                   "Choice element \(s.choiceGroups[e.choiceGroup]) must have only one type")
        }
        seen |= bit
    }

    /// Checks one member's value (an array for repeating elements) against its element definition.
    mutating func walkMember(_ value: JSONValue, element e: FHIRElement, in object: JSONObject) {
        if e.max == 0 {
            report(IssueCode.cardinalityMax, type: "structure", "Element \(e.path) is not allowed here (max 0)")
        }
        switch value {
        case .array(let items):
            if !e.isRepeating {
                report(IssueCode.cardinalityMax, type: "structure", "Element \(e.path) does not repeat (max 1): an array is not allowed")
            } else if items.count > e.max {
                report(IssueCode.cardinalityMax, type: "structure", "Element \(e.path) allows at most \(e.max) repeats")
            }
            if items.isEmpty {
                report(IssueCode.jsonEmpty, type: "structure", "An empty array is not allowed in FHIR JSON")
                return
            }
            for (i, item) in items.enumerated() {
                location.push(index: i)
                if case .null = item {
                    if !hasExtensionCompanion(e, in: object, at: i) {
                        report(IssueCode.jsonNull, type: "structure", "null is only allowed in a primitive array aligned with its _\(e.name) extensions")
                    }
                } else {
                    walkValue(item, element: e)
                }
                location.pop()
            }
        case .null:
            report(IssueCode.jsonNull, type: "structure", "null is not allowed in FHIR JSON")
        default:
            if e.isRepeating {
                report(IssueCode.jsonArrayExpected, type: "structure", "Element \(e.path) repeats: FHIR JSON requires an array")
            }
            walkValue(value, element: e)
        }
    }

    func hasExtensionCompanion(_ e: FHIRElement, in object: JSONObject, at i: Int) -> Bool {
        guard case .primitive = e.kind, let companion = object["_" + e.name]?.array, companion.indices.contains(i) else { return false }
        if case .object = companion[i] { return true }
        return false
    }

    /// Checks one value (not an array) against its element's type.
    mutating func walkValue(_ value: JSONValue, element e: FHIRElement) {
        switch e.kind {
        case .primitive(let p):
            checkPrimitive(value, p, element: e)
        case .structure(let index):
            guard case .object(let o) = value else {
                report(IssueCode.jsonType, type: "structure", "Element \(e.path) must be a JSON object, not \(value.kindName)")
                return
            }
            walkObject(o, structure: index, isResource: false)
            if e.valueSet >= 0 { checkCodingBinding(o, element: e, structure: index) }
        case .resource:
            walkResource(value, contained: e.path == "DomainResource.contained" || e.path.hasSuffix(".contained"))
        }
    }

    /// Checks a primitive's JSON type, lexical form and required binding.
    mutating func checkPrimitive(_ value: JSONValue, _ p: FHIRPrimitive, element e: FHIRElement) {
        let text: String
        switch (value, p.jsonKind) {
        case (.string(let s), .string): text = s
        case (.number(let n), .number): text = n
        case (.bool, .boolean): return
        default:
            let expected = p.jsonKind == .string ? "string" : p.jsonKind == .number ? "number" : "boolean"
            report(IssueCode.jsonType, type: "structure", "Element \(e.path) (\(p.rawValue)) must be a JSON \(expected), not \(value.kindName)")
            return
        }
        if let problem = p.formatProblem(text) {
            report(IssueCode.primitiveFormat, type: "value", "Element \(e.path) (\(p.rawValue)) \(problem)")
            return
        }
        if e.valueSet >= 0 {
            let vs = spec.valueSets[e.valueSet]
            if vs.isChecked, !vs.codes.contains(text) {
                report(IssueCode.codeNotInRequiredBinding, type: "code-invalid",
                       "Element \(e.path): the code is not in the required value set \(vs.url)")
            }
        }
    }

    /// Walks a `_element` member: the id and extensions of a primitive (an array for repeats).
    mutating func walkPrimitiveExtension(_ member: JSONObject.Member, in object: JSONObject, structure s: FHIRStructure) {
        let name = String(member.key.dropFirst())
        guard let ei = s.elementIndex[name], case .primitive = s.elements[ei].kind else {
            report(IssueCode.unknownElement, type: "structure", at: member.key, "Unknown element '\(member.key)' in \(s.name)")
            return
        }
        let e = s.elements[ei]
        location.push(member.key)
        defer { location.pop() }
        switch member.value {
        case .object(let o):
            if e.isRepeating {
                report(IssueCode.jsonArrayExpected, type: "structure", "Element _\(e.name) repeats: FHIR JSON requires an array")
            }
            walkObject(o, structure: elementStructure, isResource: false)
        case .array(let items):
            if !e.isRepeating {
                report(IssueCode.cardinalityMax, type: "structure", "Element _\(e.name) does not repeat (max 1): an array is not allowed")
            }
            if let values = object[name]?.array, values.count != items.count {
                report(IssueCode.primitiveExtensionMismatch, type: "structure",
                       "Array _\(e.name) must have as many items as \(e.name)")
            }
            var allNull = !items.isEmpty
            for (i, item) in items.enumerated() {
                switch item {
                case .null: continue
                case .object(let o):
                    allNull = false
                    location.push(index: i)
                    walkObject(o, structure: elementStructure, isResource: false)
                    location.pop()
                default:
                    allNull = false
                    location.push(index: i)
                    report(IssueCode.jsonType, type: "structure", "Items of _\(e.name) must be objects or null")
                    location.pop()
                }
            }
            if items.isEmpty { report(IssueCode.jsonEmpty, type: "structure", "An empty array is not allowed in FHIR JSON") }
            if allNull { report(IssueCode.jsonNull, type: "structure", "Array _\(e.name) holds only nulls") }
        default:
            report(IssueCode.jsonType, type: "structure", "Element _\(e.name) must be an object, not \(member.value.kindName)")
        }
    }
}
