/// The state of one validation walk.
struct FHIRWalker {
    /// A Bundle being walked: its index and the entry currently inside.
    struct BundleFrame {
        var index: FHIRBundleIndex
        var currentEntry: Int?
    }

    let spec: FHIRSpec
    var issues: [Issue] = []
    var conditionals: [FHIRConditionalReferenceUse] = []
    var location = FHIRLocation()
    var bundles: [BundleFrame] = []
    /// The index of the root Bundle, when the caller made it (see `FHIRValidator.validate(_:rootIndex:)`).
    var rootIndex: FHIRBundleIndex?
    /// fullUrls of the rest of a streamed Bundle (see `FHIRValidator.externalFullUrls`).
    var externalFullUrls: Set<Int> = []
    /// Entries that repeat one outside the Bundle (see `FHIRValidator.externalRepeats`).
    var externalRepeats = FHIRStreamedBundleIndex.Local()
    /// Ids of the contained resources of the resources being walked (contained ones share their container's).
    var containedIDs: [[String]] = []
    let elementStructure: Int
    let bundleEntryStructure: Int

    init(spec: FHIRSpec) {
        self.spec = spec
        elementStructure = spec.elementStructure
        bundleEntryStructure = spec.bundleEntryStructure
    }

    mutating func report(_ code: String, type: String, at name: String? = nil, _ text: String, severity: Issue.Severity = .error) {
        issues.append(Issue(severity, code, type: type, at: location.render(appending: name), text))
    }

    mutating func report(_ code: IssueCode, type: String, at name: String? = nil, _ text: String, severity: Issue.Severity = .error) {
        report(code.code, type: type, at: name, text, severity: severity)
    }

    /// Walks a resource: checks its `resourceType`, then its members against its type.
    mutating func walkResource(_ value: JSONValue, contained: Bool) {
        let isRoot = location.segments.isEmpty
        guard case .object(let object) = value else {
            report(IssueCode.jsonType, type: "structure", "A resource must be a JSON object, not \(value.kindName)")
            return
        }
        guard case .string(let type)? = object["resourceType"] else {
            report(IssueCode.resourceTypeMissing, type: "required", "A resource must have a resourceType string")
            return
        }
        guard spec.resourceTypes.contains(type), let structure = spec.typeIndex[type] else {
            if let version = FHIRVersionDetector.otherVersion(ofResourceType: type) {
                report(version.code, type: "not-supported", at: "resourceType",
                       "resourceType \(type) is \(version.name), not FHIR R4: Postroom accepts FHIR R4 (4.0.1) only")
            } else {
                report(IssueCode.unknownResourceType, type: "structure", at: "resourceType", "resourceType \(type) is not a FHIR R4 resource")
            }
            return
        }
        if isRoot { location.push(type) }
        defer { if isRoot { location.pop() } }
        if contained, object["contained"] != nil {
            report(IssueCode.dom2, type: "invariant", at: "contained", "A contained resource must not contain other resources (dom-2)")
        }
        if !contained {
            var ids: [String] = []
            for item in object["contained"]?.array ?? [] { if let id = item["id"]?.string { ids.append(id) } }
            containedIDs.append(ids)
        }
        defer { if !contained { containedIDs.removeLast() } }
        if type == "Bundle" {
            let index = (isRoot ? rootIndex : nil) ?? FHIRBundleIndex(bundle: object)
            bundles.append(BundleFrame(index: index, currentEntry: nil))
            // Repeats outside the Bundle concern the outermost one only, never a Bundle inside an entry.
            checkBundleRules(object, index: index, repeats: bundles.count == 1 ? externalRepeats : .init())
            walkObject(object, structure: structure, isResource: true)
            bundles.removeLast()
        } else {
            walkObject(object, structure: structure, isResource: true)
        }
    }
}
