/// What the answer to a FHIR `transaction` or `batch` Bundle needs: its entries in order, with
/// each entry's request, the issues located in it, and its conditional references.
///
/// A transaction is all or nothing (any error fails it, answered with an OperationOutcome);
/// a batch is answered entry by entry. Facts taken from an entry carry its `entryIndex`.
public struct FHIRBatchContext: Sendable, Hashable {
    /// Transaction (all or nothing) or batch (entry by entry).
    public enum Kind: String, Sendable, Hashable {
        case transaction, batch

        /// The Bundle type of the answer.
        public var responseType: String { rawValue + "-response" }
    }

    /// One entry of the request Bundle.
    public struct Entry: Sendable, Hashable {
        /// Its position in `Bundle.entry`.
        public var index: Int
        /// `request.method` (GET, HEAD, POST, PUT, DELETE, PATCH).
        public var method: String
        /// `request.url` (`Task`, `Task/123`, `Task?identifier=…`).
        public var url: String
        /// `request.ifNoneExist` for conditional creates.
        public var ifNoneExist: String?
        /// The entry's `fullUrl`.
        public var fullUrl: String?
        /// The entry resource's type.
        public var resourceType: String?
        /// The entry resource's id.
        public var resourceID: String?
        /// Issues located under `Bundle.entry[index]`.
        public var issues: [Issue]
        /// Conditional references inside the entry's resource, for the store to resolve.
        public var conditionalReferences: [FHIRConditionalReferenceUse]

        /// Whether validation found an error in this entry.
        public var hasErrors: Bool { issues.hasErrors }
    }

    /// Transaction or batch.
    public var kind: Kind
    /// The request Bundle's id.
    public var bundleID: String?
    /// Every entry of the request Bundle, in order.
    public var entries: [Entry]
    /// Issues of the Bundle that belong to no single entry.
    public var bundleIssues: [Issue]

    /// Splits issues by the entry they are located in (`Bundle.entry[i]…`); the rest go to `bundleIssues`.
    static func split(_ issues: [Issue], entryCount: Int) -> (perEntry: [[Issue]], rest: [Issue]) {
        var perEntry = Array(repeating: [Issue](), count: entryCount)
        var rest: [Issue] = []
        for issue in issues {
            if let i = entryIndex(of: issue.location), i < entryCount {
                perEntry[i].append(issue)
            } else {
                rest.append(issue)
            }
        }
        return (perEntry, rest)
    }

    /// The entry index of a location such as `Bundle.entry[3].resource.status`.
    public static func entryIndex(of location: String?) -> Int? {
        guard let location, location.hasPrefix("Bundle.entry[") else { return nil }
        let digits = location.dropFirst("Bundle.entry[".count).prefix { $0.isNumber }
        return Int(digits)
    }
}
