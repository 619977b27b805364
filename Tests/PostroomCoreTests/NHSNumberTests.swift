import Testing
import PostroomCore

@Suite struct NHSNumberTests {
    @Test(arguments: ["9434765919", "943 476 5919", "9449305552", "9000000009", "943-476-5919"])
    func acceptsValidNumbers(_ n: String) {
        guard case .valid(let bare) = NHSNumber.check(n) else { Issue.record("\(n) should be valid"); return }
        #expect(bare.count == 10)
    }

    @Test(arguments: ["9434765918", "9434765910", "1234567890"])
    func rejectsBadCheckDigits(_ n: String) {
        #expect(NHSNumber.check(n) == .badCheckDigit)
    }

    @Test(arguments: ["943476591", "94347659190", "94347659A9", ""])
    func rejectsMalformed(_ n: String) {
        #expect(NHSNumber.check(n) == .malformed)
    }

    @Test func aCheckOfTenIsNeverValid() {
        // 000000006x: the weighted sum is 6 × 2 = 12, 12 mod 11 = 1, 11 − 1 = 10: never issued.
        for last in 0...9 {
            #expect(NHSNumber.check("000000006\(last)") == .badCheckDigit)
        }
    }
}
