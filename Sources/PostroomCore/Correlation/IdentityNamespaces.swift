/// One identity across formats: the assigning authorities (namespaces) that v2, FHIR and CDA
/// spell differently, and the canonical key each identifier is indexed under.
///
/// Decoders produce literal keys (`plac|EPR|PLC123`, `id|https://…/placer-order-number|PLC123`,
/// `plac|urn:oid:2.16…|PLC123`); `canonical(_:)` turns every spelling of one (namespace, value)
/// into the same key, `ns|<namespace>|<value>`:
/// - a configured namespace (pipeline.json `namespaces`) is named by its `name`: its `v2` entries
///   match EI.2 / EI.3, its `fhir` entries identifier systems (exactly, as FHIR compares URIs;
///   differently-cased aliases are listed), its `oid` entries CDA `II.root`, `urn:oid:` systems and
///   EI.3 with EI.4 `ISO`;
/// - an unconfigured namespace that is itself globally unique (an OID, a UUID, a URI) is kept
///   as written (`urn:oid:X` = root `X` = EI.3 `X`/`ISO`, made equal by `CorrelationKey.normalize`);
/// - anything else (a bare v2 namespace id such as `LAB` that no entry names) keeps its literal key,
///   placer and filler numbers apart, as before.
public struct IdentityNamespaces: Sendable, Equatable {
    /// A namespace as configured.
    public struct Namespace: Sendable, Equatable {
        public var name: String
        public var v2: [String]
        public var fhir: [String]
        public var oid: [String]

        public init(name: String, v2: [String] = [], fhir: [String] = [], oid: [String] = []) {
            self.name = name
            self.v2 = v2
            self.fhir = fhir
            self.oid = oid
        }

        /// Every spelling this namespace answers to — its field, as configured, and as literal keys write it.
        var spellings: [(field: String, spelling: String, alias: String)] {
            v2.map { ("v2", $0, CorrelationKey.normalize($0)) } + fhir.map { ("fhir", $0, CorrelationKey.normalize($0)) }
                + oid.map { ("oid", $0, CorrelationKey.normalize($0.hasPrefix("urn:oid:") ? $0 : "urn:oid:" + $0)) }
        }

        var aliases: [String] { spellings.map(\.alias) }
    }

    /// Why a list of namespaces cannot be used; `index`/`field` locate the entry.
    public enum Problem: Error, Equatable, Sendable {
        case badName(index: Int)
        case duplicateName(index: Int, name: String)
        case noSpelling(index: Int)
        case badOID(index: Int, oid: String)
        case sharedSpelling(index: Int, field: String, spelling: String, otherName: String)
    }

    public let namespaces: [Namespace]
    /// alias (normalized spelling) → namespace name.
    private let byAlias: [String: String]

    /// Namespaces every Postroom knows without configuration: the NHS e-Referral UBRN, spelled
    /// both `…/Id/ubrn` and `…/Id/UBRN` in the NHS's own examples, and `UBRN` as a v2 EI.2 namespace
    /// (RF1-6 `000049295712^UBRN` in a REF or RRI^I12).
    public static let builtIn: [Namespace] = [
        Namespace(name: "UBRN", v2: ["UBRN"], fhir: ["https://fhir.nhs.uk/Id/ubrn", "https://fhir.nhs.uk/Id/UBRN"]),
    ]

    public static let standard = try! IdentityNamespaces([])

    /// Checks and indexes `configured`; built-in namespaces apply unless a configured one names
    /// one of their spellings (or their name), which then wins.
    public init(_ configured: [Namespace]) throws(Problem) {
        var names: Set<String> = []
        var byAlias: [String: String] = [:]
        for (i, ns) in configured.enumerated() {
            guard !ns.name.isEmpty, !ns.name.contains("|"), !ns.name.contains(":") else { throw .badName(index: i) }
            guard names.insert(ns.name).inserted else { throw .duplicateName(index: i, name: ns.name) }
            guard !ns.aliases.isEmpty else { throw .noSpelling(index: i) }
            for oid in ns.oid {
                let bare = oid.hasPrefix("urn:oid:") ? String(oid.dropFirst(8)) : oid
                guard CorrelationKey.isOID(bare) else { throw .badOID(index: i, oid: oid) }
            }
            for (field, spelling, alias) in ns.spellings {
                if let other = byAlias[alias], other != ns.name {
                    throw .sharedSpelling(index: i, field: field, spelling: spelling, otherName: other)
                }
                byAlias[alias] = ns.name
            }
        }
        var all = configured
        for ns in Self.builtIn where !names.contains(ns.name) && ns.aliases.allSatisfy({ byAlias[$0] == nil }) {
            for alias in ns.aliases { byAlias[alias] = ns.name }
            all.append(ns)
        }
        self.namespaces = all
        self.byAlias = byAlias
    }

    /// The namespace name a spelling belongs to, if any.
    public func name(of spelling: String) -> String? { byAlias[CorrelationKey.normalize(spelling)] }

    /// The key the store indexes for a literal key (see the type's documentation). Keys of other
    /// kinds (`ref|…`, `nhs|…`, report identities) are returned unchanged.
    public func canonical(_ key: String) -> String {
        guard let parts = LiteralKey(key) else { return key }
        if let name = byAlias[parts.namespace] { return "ns|" + name + "|" + String(parts.value) }
        if Self.isGloballyUnique(parts.namespace) { return "ns|" + parts.namespace + "|" + String(parts.value) }
        return key
    }

    /// Canonical keys of a list, in order, without repeats.
    public func canonical(_ keys: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(keys.count)
        for k in keys {
            let c = canonical(k)
            if !out.contains(c) { out.append(c) }
        }
        return out
    }

    /// Canonical patient keys (identifiers of one patient meet across formats as orders do).
    public func canonical(_ keys: Set<String>) -> Set<String> { Set(keys.map { canonical($0) }) }

    /// A namespace that names itself uniquely: an OID or UUID URN, or any URI with a scheme.
    static func isGloballyUnique(_ namespace: String) -> Bool {
        if LiteralKey.isPlainASCII(namespace) {
            // The usual namespace, read by byte (the same answer as by Character, one byte being one Character).
            let u = namespace.utf8
            guard let colon = u.firstIndex(of: UInt8(ascii: ":")), colon != u.startIndex else { return false }
            return u[..<colon].allSatisfy { b in
                (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2D || b == 0x2E
            }
        }
        guard let colon = namespace.firstIndex(of: ":"), colon != namespace.startIndex else { return false }
        return namespace[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }

    /// A text that changes whenever the mapping from literal to canonical keys changes; the store
    /// re-derives its keys when it differs from the one they were made with.
    public var fingerprint: String {
        let lines = byAlias.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "identity-v1\n" + lines.joined(separator: "\n")
    }
}

/// A literal key of an identifier: `plac|<ns>|<value>`, `fill|<ns>|<value>` or `id|<system>|<value>`.
struct LiteralKey {
    var kind: Substring
    var namespace: String
    var value: Substring

    init?(_ key: String) {
        // The usual key is read by byte: a store indexes several per message, and by Character this
        // was ~4% of the writer thread on a batch.
        let bars = Self.isPlainASCII(key) ? Self.firstTwo(UInt8(ascii: "|"), in: key.utf8) : Self.firstTwo("|", in: key)
        guard let (bar1, bar2) = bars else { return nil }
        let kind = key[..<bar1]
        guard kind == "plac" || kind == "fill" || kind == "id" else { return nil }
        let ns = String(key[key.index(after: bar1)..<bar2])
        let value = key[key.index(after: bar2)...]
        guard !ns.isEmpty, !value.isEmpty else { return nil }
        self.kind = kind
        self.namespace = ns
        self.value = value
    }

    /// Where `element` is first and second found in `c`.
    private static func firstTwo<C: Collection>(_ element: C.Element, in c: C) -> (C.Index, C.Index)? where C.Element: Equatable {
        guard let first = c.firstIndex(of: element), let second = c[c.index(after: first)...].firstIndex(of: element) else { return nil }
        return (first, second)
    }

    /// ASCII without a carriage return: each byte is a Character of its own (only CR LF joins two
    /// ASCII bytes into one), so reading by byte gives what reading by Character gives.
    static func isPlainASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    }
}
