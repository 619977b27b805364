/// The Bundle invariants of FHIR R4 (bdl-1 … bdl-12), `fullUrl`/id consistency, and the
/// consistency of transaction and batch requests.
public enum FHIRBundleRules {
    /// One broken rule, located relative to the Bundle (`entry[2].request`).
    public struct Finding: Sendable, Equatable {
        /// The invariant key (`bdl-3`) or Postroom code.
        public var code: String
        /// The FHIR IssueType.
        public var type: String
        /// Where, relative to the Bundle.
        public var location: String
        /// A human sentence without values.
        public var text: String
    }

    static let requestTypes: Set<String> = ["batch", "transaction", "history"]
    static let responseTypes: Set<String> = ["batch-response", "transaction-response", "history"]

    /// Every broken rule of a Bundle (entries' contents are checked by the validator's walk).
    ///
    /// - Parameter repeats: entries known to repeat an entry outside `bundle` (a streamed Bundle's earlier groups).
    public static func check(_ bundle: JSONObject, index: FHIRBundleIndex, repeats: FHIRStreamedBundleIndex.Local = .init()) -> [Finding] {
        var out: [Finding] = []
        func add(_ code: IssueCode, _ type: String, _ location: String, _ text: String) {
            out.append(Finding(code: code.code, type: type, location: location, text: text))
        }
        let type = index.type ?? ""
        if bundle["total"] != nil, type != "searchset", type != "history" {
            add(.bdl1, "invariant", "total", "total is only allowed in searchset and history Bundles (bdl-1)")
        }
        var seenFullUrls: [String: [String?]] = [:]
        var identities: Set<String> = []
        let items = bundle["entry"]?.array ?? []
        for (i, item) in items.enumerated() {
            guard let entry = item.object else { continue }
            let at = "entry[\(i)]"
            if entry["search"] != nil, type != "searchset" {
                add(.bdl2, "invariant", at + ".search", "entry.search is only allowed in searchset Bundles (bdl-2)")
            }
            let hasRequest = entry["request"] != nil
            if requestTypes.contains(type), !hasRequest {
                add(.bdl3, "invariant", at, "entry.request is required in \(type) Bundles (bdl-3)")
            } else if !requestTypes.contains(type), hasRequest {
                add(.bdl3, "invariant", at + ".request", "entry.request is not allowed in \(type) Bundles (bdl-3)")
            }
            let hasResponse = entry["response"] != nil
            if responseTypes.contains(type), !hasResponse {
                add(.bdl4, "invariant", at, "entry.response is required in \(type) Bundles (bdl-4)")
            } else if !responseTypes.contains(type), hasResponse {
                add(.bdl4, "invariant", at + ".response", "entry.response is not allowed in \(type) Bundles (bdl-4)")
            }
            if entry["resource"] == nil, !hasRequest, !hasResponse {
                add(.bdl5, "invariant", at, "An entry must have a resource unless it has a request or a response (bdl-5)")
            }
            let e = index.entries.indices.contains(i) ? index.entries[i] : nil
            if let fullUrl = e?.fullUrl {
                if FHIRBundleIndex.historyOffset(fullUrl) != nil {
                    add(.bdl8, "invariant", at + ".fullUrl", "fullUrl must not be version specific (bdl-8)")
                }
                if type != "history" {
                    let earlier = seenFullUrls[fullUrl] ?? []
                    if !earlier.isEmpty && (e?.versionId == nil || earlier.contains(where: { $0 == nil || $0 == e?.versionId }))
                        || repeats.fullUrls.contains(i) {
                        add(.bdl7, "invariant", at + ".fullUrl", "fullUrl must be unique in a Bundle unless versionIds differ (bdl-7)")
                    }
                    seenFullUrls[fullUrl, default: []].append(e?.versionId)
                }
                if let parts = FHIRBundleIndex.restfulParts(fullUrl), let id = e?.id, parts.type == e?.resourceType, parts.id != id {
                    add(IssueCode.bundleFullURLIDMismatch, "invalid", at + ".fullUrl", "The id in a RESTful fullUrl must equal the resource's id")
                }
            }
            if type == "transaction" || type == "batch", let request = entry["request"]?.object {
                out.append(contentsOf: requestFindings(request, entry: e, at: at, type: type, identities: &identities,
                                                       repeated: repeats.identities.contains(i)))
            }
        }
        let first = index.entries.first
        if type == "document" {
            let identifier = bundle["identifier"]?.object
            if identifier?["system"] == nil || identifier?["value"] == nil {
                add(.bdl9, "invariant", "identifier", "A document must have an identifier with a system and a value (bdl-9)")
            }
            if bundle["timestamp"] == nil {
                add(.bdl10, "invariant", "timestamp", "A document must have a timestamp (bdl-10)")
            }
            if first?.resourceType != "Composition" {
                add(.bdl11, "invariant", "entry[0]", "A document must begin with a Composition (bdl-11)")
            }
        }
        if type == "message", first?.resourceType != "MessageHeader" {
            add(.bdl12, "invariant", "entry[0]", "A message must begin with a MessageHeader (bdl-12)")
        }
        return out
    }

    /// Transaction/batch requests: the method fits the url and the resource.
    static func requestFindings(_ request: JSONObject, entry: FHIRBundleIndex.Entry?, at: String, type: String,
                                identities: inout Set<String>, repeated: Bool = false) -> [Finding] {
        guard let method = request["method"]?.string, let url = request["url"]?.string else { return [] }
        var out: [Finding] = []
        func add(_ text: String, _ code: IssueCode = .bundleRequestInvalid) {
            out.append(Finding(code: code.code, type: "invalid", location: at + ".request", text: text))
        }
        let path = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? url
        let segments = path.split(separator: "/").map(String.init)
        switch method {
        case "POST", "PUT":
            if entry?.resource == nil { add("A \(method) entry must carry a resource") }
            let isOperation = segments.contains { $0.hasPrefix("$") }
            if let rt = entry?.resourceType, let first = segments.first, first != rt, !isOperation {
                add("The request url names another resource type than the entry's resource")
            }
            if method == "PUT", segments.count == 2, let id = entry?.id, segments[1] != id {
                add("A PUT url's id must equal the resource's id")
            }
            if method == "PUT", segments.count == 1, !url.contains("?"), !isOperation {
                add("A PUT url must be Type/id or a conditional Type?query")
            }
        case "DELETE", "PATCH":
            if segments.count == 1, !url.contains("?") { add("A \(method) url must be Type/id or a conditional Type?query") }
        default:
            break
        }
        if type == "transaction", let identity = transactionIdentity(request), !identities.insert(identity).inserted || repeated {
            add("Two entries of the transaction act on \(segments[0]) with the same id", IssueCode.transactionIdentityOverlap)
        }
        return out
    }

    /// The `Type/id` a transaction entry's request acts on (not a read, not conditional), if any.
    public static func transactionIdentity(_ request: JSONObject) -> String? {
        guard let method = request["method"]?.string, let url = request["url"]?.string, method != "GET", method != "HEAD",
              !url.contains("?") else { return nil }
        let segments = url.split(separator: "/")
        return segments.count == 2 ? segments[0] + "/" + segments[1] : nil
    }
}

extension FHIRWalker {
    /// Reports the Bundle rules at the Bundle's location.
    mutating func checkBundleRules(_ bundle: JSONObject, index: FHIRBundleIndex, repeats: FHIRStreamedBundleIndex.Local) {
        for f in FHIRBundleRules.check(bundle, index: index, repeats: repeats) {
            report(f.code, type: f.type, at: f.location, f.text)
        }
    }
}
