/// What the first pass over a streamed Bundle learns of the whole file, for groups of the second pass
/// that each see only their own entries (`FHIRStreamedBundle`): the entries' fullUrls (to resolve `urn:`
/// references to other groups) and the entries that repeat an earlier entry's `fullUrl` (bdl-7) or, in
/// a transaction, the resource an earlier entry acts on (the rules of `FHIRBundleRules.check`). Held as
/// 64-bit hashes: 8 bytes an entry, not the strings.
public struct FHIRStreamedBundleIndex: Sendable {
    /// Hashes of the entries' normalised fullUrls (see `FHIRValidator.externalFullUrls`).
    public private(set) var fullUrls: Set<Int> = []
    /// Raw fullUrl hash → the versionIds of the entries seen with it, kept only once one has a versionId
    /// (a hash seen without an entry here had only entries without one).
    private var seen: Set<Int> = []
    private var versions: [Int: [String?]] = [:]
    private var identities: Set<Int> = []
    /// File indexes of entries whose fullUrl repeats an earlier one's (bdl-7).
    public private(set) var fullUrlRepeats: Set<Int> = []
    /// File indexes of entries acting on the same `Type/id` as an earlier entry (transactions only).
    public private(set) var identityRepeats: Set<Int> = []

    public init() {}

    /// Notes entry `index` (its JSON), in file order.
    public mutating func note(entry: JSONValue, at index: Int) {
        if let url = FHIRStreamedBundle.fullUrl(ofEntry: entry) { fullUrls.insert(url) }
        if let url = entry["fullUrl"]?.string, noteFullUrl(url.hashValue, versionID: entry["resource"]?["meta"]?["versionId"]?.string) {
            fullUrlRepeats.insert(index)
        }
        if let request = entry["request"]?.object, let identity = FHIRBundleRules.transactionIdentity(request),
           !identities.insert(identity.hashValue).inserted {
            identityRepeats.insert(index)
        }
    }

    /// bdl-7: a fullUrl seen before repeats unless this entry and every earlier one have different versionIds.
    private mutating func noteFullUrl(_ hash: Int, versionID: String?) -> Bool {
        if seen.insert(hash).inserted {
            if let versionID { versions[hash] = [versionID] }
            return false
        }
        guard var earlier = versions[hash] else {
            // Every earlier entry with this fullUrl had no versionId.
            if let versionID { versions[hash] = [nil, versionID] }
            return true
        }
        let repeats = versionID == nil || earlier.contains { $0 == nil || $0 == versionID }
        earlier.append(versionID)
        versions[hash] = earlier
        return repeats
    }

    /// The repeats among the entries `first..<first + count`, by their index in that group.
    public func local(first: Int, count: Int) -> Local {
        let range = first..<(first + count)
        return Local(fullUrls: Set(fullUrlRepeats.filter(range.contains).map { $0 - first }),
                     identities: Set(identityRepeats.filter(range.contains).map { $0 - first }))
    }

    /// Repeats of a group's entries with earlier entries anywhere in the file, by index in the group.
    public struct Local: Sendable, Equatable {
        public var fullUrls: Set<Int> = []
        public var identities: Set<Int> = []

        public init(fullUrls: Set<Int> = [], identities: Set<Int> = []) {
            self.fullUrls = fullUrls
            self.identities = identities
        }
    }
}
