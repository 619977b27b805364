@testable import PostroomCore
import Testing

@Suite struct JSONBundleStreamScannerTests {
    static let text = """
        \u{FEFF} {"resourceType" : "Bundle", "id":"b\\"1}", "total": 2,"meta":{"tag":[{"code":"]}"}]},
          "entry": [ {"fullUrl":"urn:uuid:a","resource":{"resourceType":"Basic","text":{"div":"{[\\\\\\"]}"}}},
                     {"resource":{"resourceType":"Basic","x":[1,{"y":[]}]}} ] ,"type":"batch", "ok": true }\n
        """

    /// Everything the scanner makes of `bytes` fed in pieces of `size` bytes.
    static func scan(_ bytes: [UInt8], size: Int) throws -> (entries: [String], members: [String]) {
        var s = JSONBundleStreamScanner()
        var entries: [String] = []
        var i = 0
        while i < bytes.count {
            entries += try s.push(Array(bytes[i..<min(i + size, bytes.count)])).map { String(decoding: $0, as: UTF8.self) }
            i += size
        }
        try s.finish()
        return (entries, s.members.map { $0.key + "=" + String(decoding: $0.raw, as: UTF8.self) })
    }

    @Test func entriesAndMembersAreTheSameWhateverTheChunks() throws {
        let bytes = Array(Self.text.utf8)
        let whole = try Self.scan(bytes, size: bytes.count)
        #expect(whole.entries.count == 2)
        #expect(whole.members == [#"resourceType="Bundle""#, #"id="b\"1}""#, "total=2", #"meta={"tag":[{"code":"]}"}]}"#,
                                  #"type="batch""#, "ok=true"])
        for e in whole.entries { #expect((try? JSONParser().parse(e)) != nil, "\(e)") }
        for size in [1, 2, 3, 7, 64] {
            let pieces = try Self.scan(bytes, size: size)
            #expect(pieces.entries == whole.entries, "chunks of \(size)")
            #expect(pieces.members == whole.members, "chunks of \(size)")
        }
        let envelope = FHIRBundleEnvelope(members: try {
            var s = JSONBundleStreamScanner()
            _ = try s.push(bytes)
            return s.members
        }())
        #expect(envelope.batchKind == .batch)
        // A Bundle made of the envelope and some entries parses as one.
        let rebuilt = try JSONParser().parse(envelope.bundleBytes(whole.entries.map { Array($0.utf8) }))
        #expect(rebuilt["entry"]?.array?.count == 2 && rebuilt["type"]?.string == "batch")
    }

    @Test(arguments: [
        (#"{"resourceType":"Bundle","entry":[{"a":1}"#, "truncated"),
        (#"{"resourceType":"Bundle","entry":[{"a":1}]"#, "truncated"),
        (#"{"resourceType":"Bundle","entry":[{"a":1}]} {}"#, "after"),
        (#"{"resourceType":"Bundle","entry":[1]}"#, "object"),
        (#"{"resourceType":"Bundle","entry":{}}"#, "array"),
        (#"{"resourceType":"Bundle" "entry":[]}"#, "','"),
        (#"{"id":"a","id":"b"}"#, "Duplicate"),
        (#"["Bundle"]"#, "object"),
    ])
    func brokenStructureIsRefusedWithWhere(text: String, says: String) throws {
        var s = JSONBundleStreamScanner()
        let failure: JSONBundleStreamScanner.Failure? = {
            do {
                _ = try s.push(Array(text.utf8))
                try s.finish()
                return nil
            } catch { return error as? JSONBundleStreamScanner.Failure }
        }()
        let f = try #require(failure, "\(text)")
        #expect(f.message.contains(says), "\(f.message)")
        #expect(f.line == 1 && f.column >= 1)
        #expect(!f.oversizedMember)
    }

    @Test func entryIndexesAndLocationsAreShiftedToTheirPlaceInTheFile() {
        let issue = Issue.error(.jsonType, at: "Bundle.entry[3].resource.status", "x")
        #expect(issue.shifted(by: 256).location == "Bundle.entry[259].resource.status")
        #expect(Issue.error(.jsonType, at: "Bundle.id", "x").shifted(by: 256).location == "Bundle.id")
    }
}
