import Testing
@testable import PostroomCore

/// Bad input never crashes, hangs or escapes `decode`: every mutation gives a drop with a clear outcome.
@Suite struct FHIRRobustnessTests {
    static let samples = ["r4ex_Bundle-bundle-transaction.json", "eps_1-Process-Request-Send-200_OK.json", "r4ex_Task-example1.json",
                          "r4ex_Bundle-father.json", "bars_request_Booking_POST.json"]

    /// Deterministic mutations: truncations, byte flips, structural characters swapped in.
    static func mutations(of bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var state: UInt64 = UInt64(bytes.count)
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
        let specials: [UInt8] = Array("{}[]\",:0-ntf\\ \u{0}".utf8) + [0xFF, 0xC3]
        for _ in 0..<40 {
            var b = bytes
            switch next(4) {
            case 0: b = Array(b.prefix(next(b.count)))
            case 1: b[next(b.count)] = specials[next(specials.count)]
            case 2: b.remove(at: next(b.count))
            default: b.insert(specials[next(specials.count)], at: next(b.count))
            }
            out.append(b)
        }
        return out
    }

    @Test(arguments: samples)
    func mutatedFilesAlwaysGiveAnOutcome(_ name: String) {
        for bytes in Self.mutations(of: FHIRFixtures.corpusBytes(name)) {
            let drop = Decoder.decode(bytes, accepting: [.fhir])
            let issues = drop.issues + drop.messages.flatMap(\.issues)
            #expect(drop.messages.count == 1 || issues.hasErrors)
            for issue in issues { #expect(!issue.code.isEmpty && !issue.text.isEmpty) }
        }
    }

    @Test func structurallyOddButParseableJSONIsHandled() {
        let odd = [
            #"{"resourceType":"Bundle","type":"message","entry":[{"resource":"not an object"},null,[],{"resource":{"resourceType":7}}]}"#,
            #"{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"PUT","url":""}},{"request":{}}]}"#,
            #"{"resourceType":"Bundle","entry":{"resource":{"resourceType":"Task"}}}"#,
            ##"{"resourceType":"Task","status":"requested","intent":"order","for":{"reference":"#"},"focus":{"reference":"?x"},"partOf":[{"reference":"Task?"}]}"##,
            #"{"resourceType":"Parameters","parameter":[{"name":"x","resource":{"resourceType":"Bundle","type":"document","entry":[{"resource":{"resourceType":"Composition"}}]}}]}"#,
            #"{"resourceType":"Bundle","type":"document","entry":[{"fullUrl":"http://x/Composition/1","resource":{"resourceType":"Composition","id":"2","relatesTo":[{"code":"replaces"}]}}]}"#,
            #"{"resourceType":"Patient","_birthDate":[null,null],"name":[{"_given":"x"}],"extension":[{"url":"u","_valueString":{"id":"a"}}]}"#,
        ]
        for text in odd {
            let drop = FHIRFixtures.decode(text)
            #expect(drop.messages.count == 1, "\(text)")
            #expect(drop.messages.first?.issues.hasErrors == true, "\(text)")
        }
    }
}
