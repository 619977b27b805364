import Testing
@testable import PostroomCore

/// Mutated real messages (truncations, delimiter and escape bytes dropped in, high bytes) must
/// always decode to a defined outcome and an answerable acknowledgement, never crash.
@Suite struct HL7FuzzTests {
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static let seeds = ["mscvt_ORU-R01-01.hl7", "mscvt_OML-O21-03.hl7", "mscvt_REF-I12-01.hl7", "prs_batch_message.hl7",
                        "ti_003_CA_ORU_R01_CDPH_produced_0_initial_message.hl7", "hapi_segmentfinder_a24.hl7", "mscvt_ORM-O01-01.hl7"]

    @Test(arguments: seeds)
    func mutatedMessagesNeverCrash(_ name: String) {
        let original = HL7Fixtures.corpusFile(name)
        #expect(!original.isEmpty)
        var rng = Rng(state: name.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) })
        let interesting: [UInt8] = Array("|^~\\&#\r\n\"X.0Z".utf8) + [0x0B, 0x1C, 0xFF, 0xC3, 0x00]
        let env = AckEnvironment(makeID: { "F" })
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + rng.int(6)) {
                switch rng.int(4) {
                case 0: if !bytes.isEmpty { bytes[rng.int(bytes.count)] = interesting[rng.int(interesting.count)] }
                case 1: bytes.insert(interesting[rng.int(interesting.count)], at: rng.int(bytes.count + 1))
                case 2: if bytes.count > 4 { bytes.removeSubrange(rng.int(bytes.count)..<bytes.count) }
                default: if bytes.count > 10 { let s = rng.int(bytes.count - 5); bytes.removeSubrange(s..<(s + rng.int(5))) }
                }
            }
            let drop = Decoder.decode(bytes, accepting: [.hl7v2])
            for m in drop.messages {
                guard case .hl7v2(let ctx) = m.answer else { continue }
                let result = MessageResult(disposition: m.issues.hasErrors ? .rejected : .accepted, issues: m.issues)
                let ack = HL7AckBuilder.acknowledgement(for: ctx, result: result, env: env)
                if !ack.isEmpty, case .success(let (a, _)) = HL7Message.parse(ack) {
                    #expect(a.first("MSA") != nil)
                }
            }
            var scanner = HL7BatchScanner()
            var got: [[UInt8]] = []
            var i = 0
            while i < bytes.count { got += scanner.push(bytes[i..<min(i + 17, bytes.count)]); i += 17 }
            got += scanner.finish()
            _ = scanner.envelope.check()
        }
    }
}
