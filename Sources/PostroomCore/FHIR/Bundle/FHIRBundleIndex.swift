/// The entries of a Bundle with a `fullUrl` → entry map, and reference resolution inside the
/// Bundle as FHIR R4 describes it (DOMAIN.md §4.8).
public struct FHIRBundleIndex: Sendable {
    /// One entry of the Bundle.
    public struct Entry: Sendable {
        /// Its position in `Bundle.entry`.
        public var index: Int
        /// The entry's `fullUrl`.
        public var fullUrl: String?
        /// The entry's resource, when it has one.
        public var resource: JSONObject?
        /// The resource's `resourceType`.
        public var resourceType: String?
        /// The resource's `id`.
        public var id: String?
        /// The resource's `meta.versionId`.
        public var versionId: String?
    }

    /// `Bundle.type`.
    public let type: String?
    /// Every entry, in order (with or without a resource).
    public let entries: [Entry]
    /// Normalised fullUrl → entry indexes (several when versions differ).
    let byFullUrl: [String: [Int]]
    /// `Type/id` → entry indexes (for the lenient fallback).
    let byTypeAndID: [String: [Int]]

    /// Indexes a Bundle object (entries without a resource are kept, so indexes match `Bundle.entry[i]`).
    public init(bundle: JSONObject) {
        type = bundle["type"]?.string
        var entries: [Entry] = []
        var byFullUrl: [String: [Int]] = [:]
        var byTypeAndID: [String: [Int]] = [:]
        for (i, item) in (bundle["entry"]?.array ?? []).enumerated() {
            let o = item.object
            let resource = o?["resource"]?.object
            let rt = resource?["resourceType"]?.string
            let id = resource?["id"]?.string
            let entry = Entry(index: i, fullUrl: o?["fullUrl"]?.string, resource: resource, resourceType: rt, id: id,
                              versionId: resource?["meta"]?["versionId"]?.string)
            if let f = entry.fullUrl { byFullUrl[Self.normalise(f), default: []].append(i) }
            if let rt, let id { byTypeAndID[rt + "/" + id, default: []].append(i) }
            entries.append(entry)
        }
        self.entries = entries
        self.byFullUrl = byFullUrl
        self.byTypeAndID = byTypeAndID
    }

    /// URNs compare case-insensitively (UUIDs are written lower-case, matched in any case).
    static func normalise(_ url: String) -> String {
        isURN(url) ? url.lowercased() : url
    }

    /// Whether a string is a URN (`urn:uuid:`, `urn:oid:`) that can only be resolved inside the Bundle.
    public static func isURN(_ reference: String) -> Bool {
        hasPrefixIgnoringCase(reference, "urn:uuid:") || hasPrefixIgnoringCase(reference, "urn:oid:")
    }

    /// An ASCII prefix test that ignores case, without allocating.
    static func hasPrefixIgnoringCase(_ text: String, _ prefix: StaticString) -> Bool {
        var it = text.utf8.makeIterator()
        let p = prefix.utf8Start
        for i in 0..<prefix.utf8CodeUnitCount {
            guard let b = it.next() else { return false }
            let lower = b >= 0x41 && b <= 0x5A ? b + 0x20 : b
            if lower != p[i] { return false }
        }
        return true
    }

    /// Whether a string is an absolute http(s) URL.
    public static func isAbsoluteURL(_ reference: String) -> Bool {
        reference.hasPrefix("http://") || reference.hasPrefix("https://")
    }

    /// The RESTful base and `Type/id` of an absolute URL such as `http://x/fhir/Patient/1` (or `…/_history/2`).
    public static func restfulParts(_ url: String) -> (base: String, type: String, id: String)? {
        guard isAbsoluteURL(url) else { return nil }
        var parts = url.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 4, parts[parts.count - 2] == "_history" { parts.removeLast(2) }
        guard parts.count >= 5 else { return nil }
        let id = parts[parts.count - 1]
        let type = parts[parts.count - 2]
        guard let first = type.unicodeScalars.first, first.properties.isUppercase, !id.isEmpty else { return nil }
        return (parts.dropLast(2).joined(separator: "/"), type, id)
    }

    /// `Type/id` (optionally `/_history/v`) when the string is a relative literal reference.
    public static func relativeParts(_ reference: String) -> (type: String, id: String)? {
        let u = reference.utf8
        guard !u.contains(UInt8(ascii: ":")), u.first != UInt8(ascii: "#"), !u.contains(UInt8(ascii: "?")) else { return nil }
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || (parts.count == 4 && parts[2] == "_history") else { return nil }
        guard let first = parts[0].unicodeScalars.first, first.properties.isUppercase, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// The entry a reference points at, resolved from the entry at `from` (nil when the reference
    /// is outside any entry). Order: exact fullUrl match; a relative `Type/id` against the
    /// referencing entry's RESTful base; then, leniently, an entry whose resource has that type
    /// and id (many real Bundles use relative or missing fullUrls). With several matches the
    /// latest `meta.versionId` wins.
    public func resolve(_ reference: String, from: Int?) -> Entry? {
        if let hits = byFullUrl[Self.normalise(Self.stripHistory(reference))], let best = pick(hits) { return best }
        guard let rel = Self.relativeParts(reference) else {
            if let parts = Self.restfulParts(reference), let hits = byTypeAndID[parts.type + "/" + parts.id],
               let best = pick(hits.filter { entries[$0].fullUrl == nil }) {
                return best
            }
            return nil
        }
        if let from, entries.indices.contains(from), let f = entries[from].fullUrl, let parts = Self.restfulParts(f),
           let hits = byFullUrl[parts.base + "/" + rel.type + "/" + rel.id], let best = pick(hits) {
            return best
        }
        if let hits = byFullUrl[rel.type + "/" + rel.id], let best = pick(hits) { return best }
        if let hits = byTypeAndID[rel.type + "/" + rel.id], let best = pick(hits) { return best }
        return nil
    }

    /// The reference without a `/_history/<version>` suffix.
    static func stripHistory(_ reference: String) -> String {
        guard let at = historyOffset(reference) else { return reference }
        return String(decoding: reference.utf8.prefix(at), as: UTF8.self)
    }

    static let historyNeedle: [UInt8] = Array("/_history/".utf8)

    /// The UTF-8 offset of `/_history/` in `text`, found without Foundation (this is on the hot path).
    static func historyOffset(_ text: String) -> Int? {
        let search = { (buf: UnsafeBufferPointer<UInt8>) -> Int? in
            let needle = historyNeedle
            guard buf.count >= needle.count else { return nil }
            for i in 0...(buf.count - needle.count) where buf[i] == 0x2F {
                var k = 1
                while k < needle.count, buf[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            return nil
        }
        if let found = text.utf8.withContiguousStorageIfAvailable(search) { return found }
        return Array(text.utf8).withUnsafeBufferPointer(search)
    }

    func pick(_ hits: [Int]) -> Entry? {
        guard !hits.isEmpty else { return nil }
        if hits.count == 1 { return entries[hits[0]] }
        return hits.map { entries[$0] }.max { (Int($0.versionId ?? "") ?? 0) < (Int($1.versionId ?? "") ?? 0) }
    }

    /// The first entry whose resource has the given type.
    public func first(ofType type: String) -> Entry? {
        entries.first { $0.resourceType == type }
    }
}
