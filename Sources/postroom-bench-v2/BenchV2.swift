import Foundation
import PostroomCore

/// Measures HL7 v2 parse + validate + map throughput on one core: N synthetic ORU^R01
/// messages (about 1.6 KB each, seeded, deterministic) are generated in memory, then each
/// is decoded by `HL7v2Decoder.decodeMessage`; one JSON line reports messages/s and MB/s.
///
/// Usage: `postroom-bench-v2 [messages] [seed]` (defaults 100000, 42), or
/// `postroom-bench-v2 stream [messages]` for the streaming batch pass (peak memory).
@main struct BenchV2 {
    /// A small deterministic generator (SplitMix64).
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let tests: [(String, String, String)] = [
        ("2093-3", "Cholesterol [Moles/volume] in Serum or Plasma", "mmol/L"), ("2571-8", "Triglyceride [Moles/volume] in Serum or Plasma", "mmol/L"),
        ("2085-9", "HDL Cholesterol [Moles/volume] in Serum or Plasma", "mmol/L"), ("13457-7", "LDL Cholesterol [Moles/volume] calculated", "mmol/L"),
        ("2345-7", "Glucose [Moles/volume] in Serum or Plasma", "mmol/L"), ("2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L"),
        ("2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L"), ("3094-0", "Urea nitrogen [Moles/volume] in Serum or Plasma", "mmol/L"),
        ("2160-0", "Creatinine [Moles/volume] in Serum or Plasma", "umol/L"), ("1751-7", "Albumin [Mass/volume] in Serum or Plasma", "g/L"),
    ]

    /// One synthetic ORU^R01 of about 1.6 KB.
    static func message(_ i: Int, _ rng: inout Rng) -> [UInt8] {
        let nhs = ["9434765919", "9449305552", "9000000009"][rng.int(3)]
        var s = "MSH|^~\\&|LABSYS|RXH LAB|POSTROOM|RXH|20240312\(10 + rng.int(10))1500||ORU^R01^ORU_R01|MSG\(i)|P|2.5.1|||AL|NE||UNICODE UTF-8\r"
        s += "PID|1||\(nhs)^^^NHS^NH~H\(100_000 + rng.int(800_000))^^^RXH^MR||PATIENT^TEST^A||19\(50 + rng.int(49))0\(1 + rng.int(9))1\(rng.int(9))|\(rng.int(2) == 0 ? "F" : "M")|||1 HIGH STREET^^BRIGHTON^^BN1 1AA^GBR\r"
        s += "PV1|1|O|CLINIC^^^RXH||||C1234567^WHO^JOHN^^^DR\r"
        s += "ORC|RE|PL\(i)^EPR|FL\(i)^LAB||CM||||20240312091500|||C1234567^WHO^JOHN^^^DR\r"
        s += "OBR|1|PL\(i)^EPR|FL\(i)^LAB|24331-1^Lipid and renal panel^LN|||20240312090000|||||||||C1234567^WHO^JOHN^^^DR||||||20240312110000|||\(["F", "P", "C"][rng.int(3)])\r"
        for (k, t) in tests.enumerated() {
            let value = "\(1 + rng.int(9)).\(rng.int(10))\(rng.int(10))"
            s += "OBX|\(k + 1)|NM|\(t.0)^\(t.1)^LN||\(value)|\(t.2)^\(t.2)^UCUM|1.0-9.0|\(["N", "H", "L"][rng.int(3)])|||F|||20240312090000\r"
        }
        s += "NTE|1||Sample received in good condition\\.br\\Fasting status confirmed by requester\r"
        return Array(s.utf8)
    }

    /// CPU time of the calling thread, in seconds.
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Peak resident set size of the process, in MiB.
    static func peakRSSMiB() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // KiB on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1024 / 1024  // bytes on macOS
        #endif
    }

    /// Streams one big FHS/BHS batch through `HL7BatchScanner` in 64 KiB chunks, generated on the
    /// fly (never held whole), in two passes as the pipeline does: count, then decode each message.
    static func stream(count: Int, seed: UInt64) {
        let options = DecodeOptions()
        func feed(_ body: ([UInt8]) -> Void) {
            var rng = Rng(state: seed)
            var chunk: [UInt8] = Array("FHS|^~\\&|LABSYS|RXH LAB|POSTROOM|RXH|20240312||||F1\rBHS|^~\\&|LABSYS|RXH LAB|POSTROOM|RXH|20240312||||B1\r".utf8)
            for i in 0..<count {
                chunk += message(i, &rng)
                if chunk.count >= 65_536 { body(chunk); chunk.removeAll(keepingCapacity: true) }
            }
            chunk += Array("BTS|\(count)\rFTS|1\r".utf8)
            body(chunk)
        }
        let start = ContinuousClock.now
        var pass1 = HL7BatchScanner(collectMessages: false)
        var bytes = 0
        feed { bytes += $0.count; _ = pass1.push($0) }
        _ = pass1.finish()
        let fileIssues = pass1.envelope.check()
        var pass2 = HL7BatchScanner(terminator: pass1.sawCarriageReturn ? .carriageReturn : .lineFeed)
        var decoded = 0
        var accepted = 0
        func handle(_ raws: [[UInt8]]) {
            for raw in raws {
                let m = HL7v2Decoder.decodeMessage(raw, index: decoded, options: options, terminator: pass2.terminator)
                decoded += 1
                if !m.issues.hasErrors { accepted += 1 }
            }
        }
        feed { handle(pass2.push($0)) }
        handle(pass2.finish())
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("{\"benchmark\":\"hl7v2-stream-batch\",\"messages\":\(count),\"bytes\":\(bytes),\"fileIssues\":\(fileIssues.count),"
            + "\"decoded\":\(decoded),\"accepted\":\(accepted),\"wallSeconds\":\(String(format: "%.2f", seconds)),"
            + "\"peakRSSMiB\":\(String(format: "%.1f", peakRSSMiB()))}")
    }

    static func main() {
        let args = CommandLine.arguments
        if args.count > 1, args[1] == "stream" {
            stream(count: args.count > 2 ? Int(args[2]) ?? 200_000 : 200_000, seed: 42)
            return
        }
        let count = args.count > 1 ? Int(args[1]) ?? 100_000 : 100_000
        var rng = Rng(state: args.count > 2 ? UInt64(args[2]) ?? 42 : 42)
        let messages = (0..<count).map { message($0, &rng) }
        let bytes = messages.reduce(0) { $0 + $1.count }
        let options = DecodeOptions()
        // Warm up (time zone data, caches).
        for m in messages.prefix(1000) { _ = HL7v2Decoder.decodeMessage(m, options: options) }
        // Pass 1: parse + header and structure checks only.
        var structural = 0
        let lightStart = cpuSeconds()
        for m in messages {
            if case .success(let (message, issues)) = HL7Message.parse(m) {
                if !(issues + HL7v2Decoder.checkStructure(message, options: options)).hasErrors { structural += 1 }
            }
        }
        let lightCPU = cpuSeconds() - lightStart
        print("{\"benchmark\":\"hl7v2-parse-structure\",\"messages\":\(count),\"bytes\":\(bytes),\"cpuSeconds\":\(String(format: "%.3f", lightCPU)),"
            + "\"messagesPerSecond\":\(Int(Double(count) / lightCPU)),\"megabytesPerSecond\":\(String(format: "%.1f", Double(bytes) / lightCPU / 1_000_000)),"
            + "\"valid\":\(structural)}")
        // Pass 2: the whole decoder.
        var accepted = 0
        var observations = 0
        let start = ContinuousClock.now
        let cpuStart = cpuSeconds()
        for m in messages {
            let decoded = HL7v2Decoder.decodeMessage(m, options: options)
            if !decoded.issues.hasErrors { accepted += 1 }
            // The Observations are built here, as storing them does (on the view encoder's thread): the
            // reader only checks them (`DeferredResource`), and this benchmark measures the whole mapping.
            observations += decoded.reports.first?.observations.count ?? 0
        }
        let cpu = cpuSeconds() - cpuStart
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // Rates per CPU second of this thread (one core), so other load on the machine does not skew them.
        let rate = Double(count) / cpu
        let mbps = Double(bytes) / cpu / 1_000_000
        print("{\"benchmark\":\"hl7v2-parse-validate-map\",\"messages\":\(count),\"bytes\":\(bytes),\"avgMessageBytes\":\(bytes / max(count, 1)),"
            + "\"wallSeconds\":\(String(format: "%.3f", seconds)),\"cpuSeconds\":\(String(format: "%.3f", cpu)),"
            + "\"messagesPerSecond\":\(Int(rate)),\"megabytesPerSecond\":\(String(format: "%.1f", mbps)),"
            + "\"accepted\":\(accepted),\"observations\":\(observations)}")
    }
}
