/// A large `batch` or `transaction` Bundle decoded group by group (its entries read by
/// `JSONBundleStreamScanner`), so that no more than one group of entries is ever held decoded.
///
/// Each group is decoded as a Bundle of its own — the envelope (every root member but `entry`) and
/// the group's entries — by the same validation and mapping as a whole Bundle (`FHIRDecoder.message`),
/// then its entry indexes are shifted to their place in the file. `urn:uuid:` references to entries of
/// other groups resolve against the fullUrls of the whole file (collected in the first pass).
public struct FHIRBundleEnvelope: Sendable {
    /// The root members other than `entry`, raw, in file order.
    public var members: [(key: String, raw: [UInt8])]
    /// `resourceType` and `type` as read from the members.
    public var resourceType: String?
    public var type: String?

    public init(members: [(key: String, raw: [UInt8])]) {
        self.members = members
        func string(_ key: String) -> String? {
            guard let raw = members.first(where: { $0.key == key })?.raw else { return nil }
            return (try? JSONParser().parse(raw))?.string
        }
        resourceType = string("resourceType")
        type = string("type")
    }

    /// The kind of a Bundle whose entries can be settled group by group, else nil.
    public var batchKind: FHIRBatchContext.Kind? {
        resourceType == "Bundle" ? type.flatMap(FHIRBatchContext.Kind.init(rawValue:)) : nil
    }

    /// The JSON of a Bundle with this envelope and `entries` (raw entry objects).
    public func bundleBytes(_ entries: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [0x7B]
        out.reserveCapacity(entries.reduce(256) { $0 + $1.count + 1 })
        for m in members {
            JSONWriter.writeString(m.key, into: &out)
            out.append(0x3A)
            out.append(contentsOf: m.raw)
            out.append(0x2C)
        }
        out.append(contentsOf: "\"entry\":[".utf8)
        for (i, e) in entries.enumerated() {
            if i > 0 { out.append(0x2C) }
            out.append(contentsOf: e)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }
}

public enum FHIRStreamedBundle {
    /// What one entry adds to the first pass: the hash of its fullUrl (normalised as references are compared).
    public static func fullUrl(ofEntry entry: JSONValue) -> Int? {
        entry["fullUrl"]?.string.map { FHIRBundleIndex.normalise($0).hashValue }
    }

    /// Decodes one group of entries (starting at entry `first` of the file) as the whole-file path decodes a
    /// Bundle; file-level issues (not JSON, another FHIR version) come back as `fileIssues`.
    public static func decodeGroup(_ envelope: FHIRBundleEnvelope, entries: [[UInt8]], first: Int, index: FHIRStreamedBundleIndex,
                                   options: DecodeOptions) -> (message: InboundMessage?, fileIssues: [Issue]) {
        let bytes = envelope.bundleBytes(entries)
        let root: JSONValue
        do {
            root = try JSONParser(maxDepth: options.maxJSONDepth).parse(bytes)
        } catch {
            return (nil, [.fatal(IssueCode.jsonSyntax, type: "structure", at: "Bundle.entry[\(first)…\(first + entries.count - 1)]",
                                 "The file is not valid JSON: \(error.message)")])
        }
        guard let object = root.object else { return (nil, []) }
        let otherVersion = FHIRVersionDetector.evidence(in: root)
        if !otherVersion.isEmpty { return (nil, otherVersion) }
        var validator = FHIRValidator()
        validator.externalFullUrls = index.fullUrls
        validator.externalRepeats = index.local(first: first, count: entries.count)
        var message = FHIRDecoder.message(for: object, root: root, validator: validator)
        message.shiftEntries(by: first)
        return (message, [])
    }
}

extension InboundMessage {
    /// Moves every entry index (and `Bundle.entry[i]` location) of a group's message to its place in the file.
    mutating func shiftEntries(by offset: Int) {
        guard offset != 0 else { return }
        func shift(_ i: Int?) -> Int? { i.map { $0 + offset } }
        issues = issues.map { $0.shifted(by: offset) }
        for i in requests.indices { requests[i].entryIndex = shift(requests[i].entryIndex) }
        for i in reports.indices {
            reports[i].entryIndex = shift(reports[i].entryIndex)
            reports[i].observationEntries = reports[i].observationEntries.map(shift)
        }
        for i in tasks.indices { tasks[i].entryIndex = shift(tasks[i].entryIndex) }
        for i in otherResources.indices { otherResources[i].entryIndex = shift(otherResources[i].entryIndex) }
        if let p = patient?.entryIndex { patient?.entryIndex = p + offset }
        entryFullUrls = Dictionary(uniqueKeysWithValues: entryFullUrls.map { ($0.key + offset, $0.value) })
        guard var batch = fhirBatch else { return }
        batch.bundleIssues = batch.bundleIssues.map { $0.shifted(by: offset) }
        for i in batch.entries.indices {
            batch.entries[i].index += offset
            batch.entries[i].issues = batch.entries[i].issues.map { $0.shifted(by: offset) }
            batch.entries[i].conditionalReferences = batch.entries[i].conditionalReferences.map { use in
                var u = use
                u.entryIndex = shift(u.entryIndex)
                u.location = Issue.shiftedLocation(u.location, by: offset) ?? u.location
                return u
            }
        }
        fhirBatch = batch
    }
}

extension Issue {
    /// The issue with its `Bundle.entry[i]` location moved by `offset` entries.
    func shifted(by offset: Int) -> Issue {
        var issue = self
        issue.location = Self.shiftedLocation(location, by: offset)
        return issue
    }

    static func shiftedLocation(_ location: String?, by offset: Int) -> String? {
        guard let location, let i = FHIRBatchContext.entryIndex(of: location) else { return location }
        let head = "Bundle.entry[\(i)]"
        guard location.hasPrefix(head) else { return location }
        return "Bundle.entry[\(i + offset)]" + location.dropFirst(head.count)
    }
}
