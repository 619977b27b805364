extension FHIRWalker {
    /// Rules tied to a datatype rather than to an element: identifiers, references, extensions.
    mutating func checkRole(_ role: FHIRStructure.Role, _ object: JSONObject) {
        switch role {
        case .identifier:
            guard case .string(let system)? = object["system"], case .string(let value)? = object["value"],
                  let problem = FHIRIdentifierRules.problem(system: system, value: value) else { return }
            report(problem.code, type: problem.type, at: "value", problem.text)
        case .reference:
            guard case .string(let reference)? = object["reference"] else { return }
            checkReference(reference)
        case .extension:
            var hasValue = false
            for m in object.members where m.key.hasPrefix("value") || m.key.hasPrefix("_value") {
                hasValue = true
                break
            }
            let hasExtensions = object["extension"] != nil
            if hasValue == hasExtensions {
                report(IssueCode.ext1, type: "invariant",
                       hasValue ? "An extension must not have both a value and nested extensions (ext-1)"
                                : "An extension must have either a value or nested extensions (ext-1)")
            }
        case .plain, .coding, .codeableConcept, .bundle, .narrative:
            return
        }
    }

    /// Resolves a literal reference where it can be resolved offline: `#id` against the contained
    /// resources, `urn:uuid:`/`urn:oid:` against the enclosing Bundle; records conditional references.
    mutating func checkReference(_ reference: String) {
        if reference.utf8.first == UInt8(ascii: "#") {
            guard reference.utf8.count > 1 else { return }
            let id = String(reference.dropFirst())
            if !(containedIDs.last?.contains(id) ?? false) {
                report(IssueCode.referenceContainedNotFound, type: "not-found", at: "reference",
                       "Reference to a contained resource that is not in contained")
            }
            return
        }
        if reference.utf8.contains(UInt8(ascii: "?")), !FHIRBundleIndex.isAbsoluteURL(reference), !FHIRBundleIndex.isURN(reference) {
            guard let conditional = FHIRConditionalReference(reference) else {
                report(IssueCode.referenceFormat, type: "value", at: "reference",
                       "A reference must be a literal reference (Type/id, URL, URN, #id) or a conditional Type?query")
                return
            }
            let type = bundles.last?.index.type
            if type == "transaction" || type == "batch" {
                conditionals.append(FHIRConditionalReferenceUse(entryIndex: bundles.last?.currentEntry,
                                                                location: location.render(appending: "reference"),
                                                                reference: conditional))
            } else {
                report(IssueCode.referenceConditionalNotAllowed, type: "invalid", at: "reference",
                       "Conditional references are only allowed in transaction and batch Bundles")
            }
            return
        }
        guard let frame = bundles.last, FHIRBundleIndex.isURN(reference) else { return }
        if frame.index.resolve(reference, from: frame.currentEntry) == nil,
           bundles.count > 1 || !externalFullUrls.contains(FHIRBundleIndex.normalise(FHIRBundleIndex.stripHistory(reference)).hashValue) {
            report(IssueCode.referenceNotFound, type: "not-found", at: "reference",
                   "Reference to a URN that no entry of the Bundle has as its fullUrl")
        }
    }

    /// Checks a `Coding` or `CodeableConcept` against its element's required binding.
    mutating func checkCodingBinding(_ object: JSONObject, element e: FHIRElement, structure index: Int) {
        let vs = spec.valueSets[e.valueSet]
        guard vs.isChecked else { return }
        switch spec.structures[index].role {
        case .coding:
            guard let code = object["code"]?.string else { return }
            if !vs.contains(code: code, system: object["system"]?.string) {
                report(IssueCode.codeNotInRequiredBinding, type: "code-invalid",
                       "Element \(e.path): the coding is not in the required value set \(vs.url)")
            }
        case .codeableConcept:
            let codings = object["coding"]?.array ?? []
            var matched = false
            for c in codings {
                if let code = c["code"]?.string, vs.contains(code: code, system: c["system"]?.string) {
                    matched = true
                    break
                }
            }
            if !matched {
                report(IssueCode.codeNotInRequiredBinding, type: "code-invalid",
                       codings.isEmpty ? "Element \(e.path) needs a coding from the required value set \(vs.url)"
                                       : "Element \(e.path): no coding is in the required value set \(vs.url)")
            }
        default:
            return
        }
    }
}
