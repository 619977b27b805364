import Testing
@testable import PostroomCore

@Suite struct JSONParserTests {
    let parser = JSONParser()

    @Test func keepsMemberOrderAndNumberText() throws {
        let v = try parser.parse(#"{"b": 1.50, "a": [true, null, "x"], "c": -0.0e+5}"#)
        #expect(v.object?.keys == ["b", "a", "c"])
        #expect(v["b"] == .number("1.50"))
        #expect(v["c"] == .number("-0.0e+5"))
        #expect(v["a"]?[2]?.string == "x")
    }

    @Test func roundTripsThroughTheWriter() throws {
        let text = #"{"resourceType":"Patient","name":[{"text":"Zoë \"Q\"\n"}],"x":1.0}"#
        let v = try parser.parse(text)
        #expect(JSONWriter().string(v) == text)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let v = try parser.parse(#"["\u00e9\ud83d\ude00\/\t"]"#)
        #expect(v[0]?.string == "é😀/\t")
    }

    @Test(arguments: [
        #"{"a":1,"a":2}"#, "[1,]", "{\"a\" 1}", "01", "1.", "\"abc", "[\"\u{01}\"]", "{} x", "", "nul",
        #""\ud800""#, #""\q""#,
    ])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try parser.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParser.Failure.self) { try parser.parse(bytes) }
    }

    @Test func boundsNestingDepth() {
        let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: JSONParser.Failure.self) { try JSONParser(maxDepth: 100).parse(deep) }
        #expect((try? JSONParser(maxDepth: 600).parse(deep)) != nil)
    }

    @Test func reportsLineAndColumn() {
        do {
            _ = try parser.parse("{\n  \"a\": tru\n}")
            Issue.record("expected a failure")
        } catch {
            #expect(error.line == 2)
        }
    }
}
