import Foundation
import PostroomCore
@testable import PostroomPipeline
import PostroomStore
import Testing

/// A transaction's `POST` entries usually carry no id, only a `fullUrl` (`urn:uuid:…`) that the other
/// entries refer to. Every such reference is stored as the `Type/id` the entry was stored under — also
/// when the entry comes later in the Bundle (DOMAIN.md §4.6: the server replaces the fullUrl with the
/// new location), and, for a streamed Bundle, when it was stored by an earlier group.
@Suite struct BundleFullUrlReferenceTests {
    static func urn(_ n: Int) -> String { "urn:uuid:00000000-0000-4000-a000-" + String(format: "%012d", n) }

    /// Entry 0 an Organization, 1…count-2 Observations naming it and the Patient, the last the Patient
    /// (naming the Organization); no resource has an id.
    static func bundle(count: Int) -> [UInt8] {
        var entries = [#"{"fullUrl":"\#(urn(0))","resource":{"resourceType":"Organization","name":"Lab"},"request":{"method":"POST","url":"Organization"}}"#]
        for n in 1..<(count - 1) {
            entries.append(#"{"fullUrl":"\#(urn(n))","resource":{"resourceType":"Observation","status":"final","code":{"text":"t\#(n)"},"subject":{"reference":"\#(urn(count - 1))"},"performer":[{"reference":"\#(urn(0))"}]},"request":{"method":"POST","url":"Observation"}}"#)
        }
        entries.append(#"{"fullUrl":"\#(urn(count - 1))","resource":{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}],"managingOrganization":{"reference":"\#(urn(0))"}},"request":{"method":"POST","url":"Patient"}}"#)
        return Array(#"{"resourceType":"Bundle","type":"transaction","entry":[\#(entries.joined(separator: ","))]}"#.utf8)
    }

    /// The run's stored Observations and Patient, and where entry 0 (the Organization) was stored.
    func run(count: Int, streamed: Bool) throws -> (observations: [JSONValue], patient: JSONValue, organization: String) {
        let h = try PipelineHarness(extra: streamed ? #", "limits": { "streamAbove": 1000 }"# : "", maxFileSize: 1 << 24)
        try h.drop("t.json", Self.bundle(count: count))
        _ = try h.pipeline.runOnce()
        let drop = try #require(try h.drops().first)
        #expect(drop.outcome == .accepted)
        #expect((drop.ackFile != nil) == streamed, "the streamed run streams, the other does not")
        let outbox = h.config.channels[0].outbox
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: outbox).first)
        let answer = try JSONParser().parse([UInt8](FileManager.default.contents(atPath: outbox + "/" + name)!))
        let location = try #require(answer["entry"]?[0]?["response"]?["location"]?.string)
        let organization = location.components(separatedBy: "/_history").first ?? location
        return try h.pipeline.store.read { r in
            let observations = try r.resourceIDs(type: "Observation").compactMap { try r.resource(type: "Observation", id: $0) }
            let patient = try #require(try r.resourceIDs(type: "Patient").first.flatMap { try r.resource(type: "Patient", id: $0) })
            return (observations, patient, organization)
        }
    }

    @Test func laterAndEarlierEntriesWithoutIdsAreReferencedWhereTheyAreStored() throws {
        let (observations, patient, organization) = try run(count: 20, streamed: false)
        #expect(organization.hasPrefix("Organization/"))
        let patientRef = "Patient/" + (patient["id"]?.string ?? "?")
        #expect(observations.count == 18)
        for o in observations {
            #expect(o["subject"]?["reference"]?.string == patientRef, "a later entry: \(JSONWriter().string(o))")
            #expect(o["performer"]?[0]?["reference"]?.string == organization, "an earlier entry: \(JSONWriter().string(o))")
        }
        #expect(patient["managingOrganization"]?["reference"]?.string == organization)
    }

    /// Streamed in groups of 64 entries: an entry without an id stored by an earlier group is referenced
    /// where it was stored (a reference to a later group's entry is not: see README, `limits.streamAbove`).
    @Test func aStreamedBundleReferencesEarlierGroupsEntriesWithoutIds() throws {
        let (observations, patient, organization) = try run(count: 200, streamed: true)
        #expect(observations.count == 198)
        let performers = Set(observations.compactMap { $0["performer"]?[0]?["reference"]?.string })
        #expect(performers == [organization], "\(performers)")
        #expect(patient["managingOrganization"]?["reference"]?.string == organization)
    }
}
