import PostroomCore
import Testing

/// Canonical keys: every spelling of one (namespace, value) meets; unknown namespaces stay literal.
@Suite struct IdentityNamespacesTests {
    static let epr = IdentityNamespaces.Namespace(name: "EPR", v2: ["EPR"], fhir: ["https://fhir.example-trust.nhs.uk/Id/placer-order-number"],
                                                  oid: ["2.16.840.1.113883.2.1.3.2.4.18.42"])
    let ids = try! IdentityNamespaces([Self.epr])

    @Test func theThreeFormatsSpellingsOfOneOrderMeet() {
        let forms = ["plac|EPR|PLC123",                                                   // v2 ORC-2 = PLC123^EPR
                     "id|https://fhir.example-trust.nhs.uk/Id/placer-order-number|PLC123", // FHIR basedOn.identifier
                     "plac|https://fhir.example-trust.nhs.uk/Id/placer-order-number|PLC123", // typed PLAC
                     "plac|urn:oid:2.16.840.1.113883.2.1.3.2.4.18.42|PLC123"]               // CDA root / EI.3 ISO
        #expect(Set(forms.map { ids.canonical($0) }) == ["ns|EPR|PLC123"])
    }

    @Test func standardEquivalencesHoldWithoutConfiguration() {
        let std = IdentityNamespaces.standard
        #expect(std.canonical("plac|urn:oid:1.2.3|X") == std.canonical("id|urn:oid:1.2.3|X"))
        #expect(std.canonical("plac|https://a.example/Id/order|X") == "ns|https://a.example/Id/order|X")
        // A bare v2 namespace id no entry names keeps today's literal key: placer and filler apart.
        #expect(std.canonical("plac|LAB|X") == "plac|LAB|X")
        #expect(std.canonical("fill|LAB|X") == "fill|LAB|X")
        // Other kinds of keys are not identifiers of a namespace.
        #expect(std.canonical("ref|ServiceRequest/1") == "ref|ServiceRequest/1")
        #expect(std.canonical("nhs|9990000018") == "nhs|9990000018")
        #expect(std.canonical("id||X") == "id||X")
    }

    /// ASCII keys are read by byte and any other by Character: both readings give these answers.
    @Test func keysBeyondASCIIAreReadAsBefore() {
        let std = IdentityNamespaces.standard
        let cases: [(String, String)] = [
            ("plac|urn:oid:1.2.3|X", "ns|urn:oid:1.2.3|X"),
            ("plac|urn:oid:1.2.3|Ä", "ns|urn:oid:1.2.3|Ä"),        // a value beyond ASCII
            ("id|https://a.example/Id/ö|X", "ns|https://a.example/Id/ö|X"),
            ("plac|é+x:1|X", "plac|é+x:1|X"),                        // a scheme beyond ASCII is no scheme
            ("plac|x\r\n:1|X", "plac|x\r\n:1|X"),                    // nor is one with a line break
            ("plac|\u{301}x:1|X", "plac|\u{301}x:1|X"),
            ("plac|:x|X", "plac|:x|X"),                              // no scheme before the colon
            ("plac|LAB|X|Y", "plac|LAB|X|Y"),                        // the value keeps its bars
            ("plac|urn:oid:1.2|X|Y", "ns|urn:oid:1.2|X|Y"),
            ("plac||X", "plac||X"), ("plac|A|", "plac|A|"), ("plac|A", "plac|A"), ("other|urn:x|X", "other|urn:x|X"),
            ("PLAC|urn:x|X", "PLAC|urn:x|X"), ("plac\u{301}|urn:x|X", "plac\u{301}|urn:x|X"),
        ]
        for (key, canonical) in cases { #expect(std.canonical(key) == canonical, "\(key)") }
        #expect(ids.canonical("plac|EPR|Ä1") == "ns|EPR|Ä1")
    }

    @Test func uriComparisonIsExactUnlessAliasesAreListed() {
        let std = IdentityNamespaces.standard
        #expect(std.canonical("id|https://a.example/Id/Order|X") != std.canonical("id|https://a.example/Id/order|X"))
        // The NHS's own UBRN spellings are built in.
        #expect(std.canonical("id|https://fhir.nhs.uk/Id/ubrn|000000070000") == std.canonical("id|https://fhir.nhs.uk/Id/UBRN|000000070000"))
    }

    @Test func aConfiguredNamespaceMayTakeOverABuiltInSpelling() throws {
        let mine = try IdentityNamespaces([.init(name: "REFERRAL", fhir: ["https://fhir.nhs.uk/Id/ubrn"])])
        #expect(mine.canonical("id|https://fhir.nhs.uk/Id/ubrn|1") == "ns|REFERRAL|1")
        #expect(mine.canonical("id|https://fhir.nhs.uk/Id/UBRN|1") == "ns|https://fhir.nhs.uk/Id/UBRN|1")
    }

    @Test func mistakesAreNamed() {
        #expect(throws: IdentityNamespaces.Problem.duplicateName(index: 1, name: "EPR")) {
            try IdentityNamespaces([Self.epr, .init(name: "EPR", v2: ["X"])])
        }
        #expect(throws: IdentityNamespaces.Problem.sharedSpelling(index: 1, field: "v2", spelling: "EPR", otherName: "EPR")) {
            try IdentityNamespaces([Self.epr, .init(name: "OTHER", v2: ["EPR"])])
        }
        #expect(throws: IdentityNamespaces.Problem.sharedSpelling(index: 1, field: "fhir", spelling: "urn:oid:2.16.840.1.113883.2.1.3.2.4.18.42",
                                                                   otherName: "EPR")) {
            try IdentityNamespaces([Self.epr, .init(name: "OTHER", fhir: ["urn:oid:2.16.840.1.113883.2.1.3.2.4.18.42"])])
        }
        #expect(throws: IdentityNamespaces.Problem.badOID(index: 0, oid: "EPR")) { try IdentityNamespaces([.init(name: "A", oid: ["EPR"])]) }
        #expect(throws: IdentityNamespaces.Problem.noSpelling(index: 0)) { try IdentityNamespaces([.init(name: "A")]) }
        #expect(throws: IdentityNamespaces.Problem.badName(index: 0)) { try IdentityNamespaces([.init(name: "a|b", v2: ["X"])]) }
    }

    @Test func theFingerprintChangesWithTheMapping() throws {
        let other = try IdentityNamespaces([.init(name: "EPR2", v2: ["EPR"])])
        #expect(ids.fingerprint != other.fingerprint)
        #expect(ids.fingerprint == (try IdentityNamespaces([Self.epr])).fingerprint)
    }
}
