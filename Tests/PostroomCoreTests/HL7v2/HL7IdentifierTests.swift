import Testing
@testable import PostroomCore

/// The ids Postroom derives for resources mapped from HL7 v2 (`HL7FHIR.id`) are stored and linked
/// to: they must stay what they have always been.
@Suite struct HL7IdentifierTests {
    /// The id as it was made before the index was hashed digit by digit: FNV-1a over the key, then
    /// over the text "|<index>".
    static func spelledOut(_ prefix: String, _ key: String, index: Int?) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        if let index { for b in "|\(index)".utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 } }
        let hex = String(h, radix: 16)
        return prefix + "-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    @Test(arguments: [nil, 0, 1, 9, 10, 11, 99, 100, 101, 1_000, 12_345, 999_999, -1, -10, -305, Int.max, Int.min])
    func anIndexedIDIsTheHashOfTheKeyAndTheIndexText(index: Int?) {
        for key in ["", "plac|GPSYSTEM|ORD0000001", "v2|LABSYS|RX1LAB|BT-0000001"] {
            #expect(HL7FHIR.id("v2obs", key, index: index) == Self.spelledOut("v2obs", key, index: index))
        }
    }

    @Test func aKnownIDIsUnchanged() {
        // FNV-1a 64 of "plac|GPSYSTEM|ORD0000001|3", computed apart (Python).
        #expect(HL7FHIR.id("v2obs", "plac|GPSYSTEM|ORD0000001", index: 3) == "v2obs-2863e6074a5d57c0")
    }
}
