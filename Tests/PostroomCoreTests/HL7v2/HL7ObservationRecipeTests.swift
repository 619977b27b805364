import Foundation
@testable import PostroomCore
import Testing

/// A v2 result's Observations are written into view records as recipes (`HL7ObservationRecipe`) and
/// built where the record is read: the recipe read back must build exactly what the reading's own
/// mapping builds, for every corpus file and for the delimiters, character sets, escapes, notes and
/// time zones the corpus lacks; a shortened recipe must be refused and a damaged one must not crash.
@Suite struct HL7ObservationRecipeTests {
    /// The JSON of `d` built, and of `d` written and read back; the written form's size.
    static func builtBothWays(_ d: DeferredResource) throws -> (direct: [UInt8], readBack: [UInt8], size: Int) {
        var recipe: [UInt8] = []
        d.writeRecipe(into: &recipe)
        let back = try #require(DeferredResource(recipe: recipe[...]))
        var a: [UInt8] = [], b: [UInt8] = []
        JSONWriter().append(d.build(), to: &a)
        JSONWriter().append(back.build(), to: &b)
        return (a, b, recipe.count)
    }

    @Test func everyCorpusObservationIsBuiltTheSameFromItsRecipe() throws {
        var observations = 0
        for name in HL7Fixtures.corpusNames {
            for m in Decoder.decode(HL7Fixtures.corpusFile(name), accepting: [.hl7v2]).messages {
                for r in m.reports {
                    for d in r.deferredObservations {
                        #expect(d.hasRecipe)
                        for given in [d, d.settingReference("subject", to: "Patient/p1").settingReference("specimen", to: "Specimen/s")] {
                            let (direct, back, _) = try Self.builtBothWays(given)
                            #expect(direct == back, "\(name): message \(m.index)")
                        }
                        observations += 1
                    }
                }
            }
        }
        #expect(observations > 100)
    }

    @Test func delimitersCharacterSetsEscapesNotesAndZonesSurviveTheRecipe() throws {
        let obr = "OBR|1|P1^EPR||X^Y^LN|||20240312090000||||||||||||||||||F"
        let cases: [(segments: [String], zone: String)] = [
            ([HL7Samples.msh("ORU^R01"), HL7Samples.pid, obr, #"OBX|1|ST|C^D^LN||a \T\ b \F\ c~second|||H~L||F|||20240301"#,
              "NTE|1||first note~line two", "NTE|2||", "NTE|3||third"], "Europe/London"),
            ([HL7Samples.msh("ORU^R01", charset: "8859/1"), HL7Samples.pid, obr, "OBX|1|ST|C^Caf\u{E9}^LN||d\u{E9}j\u{E0}||||||F"], "UTC"),
            ([HL7Samples.msh("ORU^R01"), HL7Samples.pid, obr, "OBX|1|TX|C^D^LN||\u{93}quoted\u{94}||||||F"], "America/New_York"),
            ([HL7Samples.msh("ORU^R01"), HL7Samples.pid, obr, "OBX|1|NM|C^D^LN||7.5|mmol/L^mmol/L^UCUM|3-8|N|||F|||20240305120000"],
             "America/New_York"),
            ([HL7Samples.msh("ORU^R01"), HL7Samples.pid, obr, "OBX|1|SN|C^D^LN||^2^-^4|mg||||F"], "Not/AZone"),
        ]
        for (n, c) in cases.enumerated() {
            // Latin-1 and Windows-1252 bytes as received: one byte per scalar below 256.
            let bytes = c.segments.joined(separator: "\r").unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
            let m = HL7v2Decoder.decodeMessage(bytes, options: DecodeOptions(timeZone: c.zone))
            let d = try #require(m.reports.first?.deferredObservations.first, "case \(n)")
            let (direct, back, _) = try Self.builtBothWays(d)
            #expect(direct == back, "case \(n): \(String(decoding: direct, as: UTF8.self))")
        }
        // Delimiters other than the usual ones, with a truncation character (v2.7).
        let odd = ["MSH#*$!%@#LAB#FAC#PR#TR#20240312101500##ORU*R01#C1#P#2.7", "PID#1##9434765919***NHS*NH",
                   "OBR#1#P1*EPR##X*Y*LN", "OBX#1#CWE#C*D*LN##A*Alpha*L$B*Beta*L#####F", "NTE#1##!T!a note"]
        let m = HL7v2Decoder.decodeMessage(HL7Fixtures.bytes(odd), options: DecodeOptions())
        let d = try #require(m.reports.first?.deferredObservations.first)
        let (direct, back, _) = try Self.builtBothWays(d)
        #expect(direct == back)
        #expect(String(decoding: direct, as: UTF8.self).contains("Alpha"))
    }

    /// Every shortened recipe, and one with each byte changed, is refused or read without a crash; none
    /// of the shortened ones is read.
    @Test func damagedRecipesAreRefused() throws {
        let segs = [HL7Samples.msh("ORU^R01"), HL7Samples.pid, "OBR|1|P1^EPR||X^Y^LN", "OBX|1|NM|C^D^LN||7|mg||||F", "NTE|1||n"]
        let d = try #require(HL7Samples.message(segs).reports.first?.deferredObservations.first)
        var recipe: [UInt8] = []
        d.settingReference("subject", to: "Patient/p").writeRecipe(into: &recipe)
        #expect(DeferredResource(recipe: recipe[...]) != nil)
        for n in 0..<recipe.count { #expect(DeferredResource(recipe: recipe[..<n]) == nil, "prefix \(n)") }
        #expect(DeferredResource(recipe: (recipe + [0])[...]) == nil)
        for i in recipe.indices {
            var damaged = recipe
            damaged[i] ^= 0xFF
            _ = DeferredResource(recipe: damaged[...])?.build()
        }
    }

    /// A subject whose JSON would not read back (repeated member names, a number the parser refuses)
    /// would make its record unreadable: Observations of such a message are not given recipes.
    @Test func onlyASubjectThatReadsBackGoesIntoARecipe() {
        let identifier: JSONValue = ["identifier": ["system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"]]
        #expect(HL7ObservationRecipe.readsBack(subject: nil))
        #expect(HL7ObservationRecipe.readsBack(subject: identifier))
        #expect(!HL7ObservationRecipe.readsBack(subject: .object(JSONObject([.init("a", "x"), .init("a", "y")]))))
        #expect(!HL7ObservationRecipe.readsBack(subject: ["identifier": ["value": .number("+1")]]))
    }

    @Test func aResourceBuiltByAClosureHasNoRecipe() {
        let d = DeferredResource { ["resourceType": "Observation"] }
        var out: [UInt8] = []
        d.writeRecipe(into: &out)
        #expect(!d.hasRecipe && out.isEmpty)
        #expect(d.settingReference("subject", to: "Patient/p").build()["subject"]?["reference"]?.string == "Patient/p")
    }
}
