import Foundation
import Testing
@testable import PostroomCore

@Suite struct HL7AckBuilderTests {
    let env = AckEnvironment(now: Date(timeIntervalSince1970: 1_720_000_000), timeZone: TimeZone(identifier: "Europe/London")!,
                             makeID: { "ACKID" })

    func context(_ m: InboundMessage) -> HL7AckContext {
        guard case .hl7v2(let ctx) = m.answer else { return HL7AckContext() }
        return ctx
    }

    /// Parses ACK bytes with Postroom's own parser into (MSA-1, MSA-2, ERR-3 codes) per ACK message.
    func read(_ bytes: [UInt8]) -> [(msh: HL7Segment, msa1: String, msa2: String, errors: [String])] {
        let drop = HL7v2Decoder.decode(bytes, options: DecodeOptions())
        var out: [(HL7Segment, String, String, [String])] = []
        var scanner = HL7BatchScanner()
        let raws = scanner.push(bytes) + scanner.finish()
        #expect(raws.count == drop.messages.count)
        for raw in raws {
            guard case .success(let (m, _)) = HL7Message.parse(raw), let msa = m.first("MSA") else { continue }
            out.append((m.segment(0), msa.text(1), msa.text(2), m.segments("ERR").map { $0.text(3, 1) }))
        }
        return out
    }

    @Test func originalModeAcceptsWithSwappedHeaderAndEchoedControlID() throws {
        let m = HL7Samples.message(HL7Samples.oru())
        let bytes = HL7AckBuilder.acknowledgement(for: context(m), result: MessageResult(disposition: .accepted, issues: m.issues), env: env)
        let acks = read(bytes)
        #expect(acks.count == 1)
        let a = try #require(acks.first)
        #expect(a.msa1 == "AA")
        #expect(a.msa2 == "RES1")
        #expect(a.msh.text(3) == "POSTROOM" && a.msh.text(4) == "TRUST" && a.msh.text(5) == "LABSYS" && a.msh.text(6) == "LABFAC")
        #expect(a.msh.field(9).raw == "ACK^R01^ACK")
        #expect(a.msh.text(10) == "ACKID")
        #expect(a.msh.text(11) == "P" && a.msh.text(12) == "2.5.1")
        #expect(a.msh.text(7) == "20240703104640+0100")
        #expect(String(decoding: bytes, as: UTF8.self).hasSuffix("\r"))
    }

    @Test func controlIDsFitTheTwentyCharactersOfMSH10() throws {
        var uuidEnv = env
        uuidEnv.makeID = { "3f2c9a1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f" }
        let m = HL7Samples.message(HL7Samples.oru())
        let a = try #require(read(HL7AckBuilder.acknowledgement(for: context(m), result: MessageResult(disposition: .accepted, issues: []), env: uuidEnv)).first)
        #expect(a.msh.text(10) == "3F2C9A1E7B4D4E8A9C0F")
        var realEnv = env
        realEnv.makeID = AckEnvironment().makeID
        let ids = Set((0..<50).map { _ in realEnv.makeControlID() })
        #expect(ids.count == 50)
        #expect(ids.allSatisfy { $0.count == 20 && $0.allSatisfy(\.isHexDigit) })
    }

    /// The byte readings of the version id and the control id give what the character readings gave.
    @Test func versionsAndControlIDsReadByBytesAsByCharacters() {
        let versions = ["2.4", "2.5.1", "2.3.1a", "", "2", "2..4", ".2.4", "2.4.", "99999999999999999999.1", "2.99999999999999999999.3", "184467440737095516160.5",
                        "2.4\u{0663}", "\u{0662}.\u{0664}", "v2.4", "2.4 ", "2\r\n.4", "2.\u{00BD}", "02.04", "2.4-rc"]
        for v in versions {
            #expect(HL7AckBuilder.versionNumbers(v) == v.prefix { $0.isNumber || $0 == "." }.split(separator: ".").compactMap { Int($0) }, "\(v)")
        }
        let ids = ["3f2c9a1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f", "abc-def", "ABCdef-ghi-jkl-mno-pqr-stu-vwx", "é-ü-straße", "a\r\nb-c",
                   "----", "", "short", "0123456789abcdefghijklmnop", "ß\u{0301}-x"]
        for id in ids {
            var e = env
            e.makeID = { id }
            #expect(e.makeControlID() == String(id.filter { $0 != "-" }.uppercased().prefix(20)), "\(id)")
        }
        let d = HL7Delimiters.standard
        let escapes = ["POSTROOM": "POSTROOM", "Bad | value": "Bad \\F\\ value", "line\rbreak": "line\\.br\\break",
                       "new\nline": "new\\.br\\line", "a^b": "a\\S\\b", "a~b": "a\\R\\b", "a&b": "a\\T\\b", "a\\b": "a\\E\\b",
                       "é only": "é only", "": ""]
        for (text, escaped) in escapes {
            #expect(HL7Escape.escape(text, delimiters: d) == escaped, "\(text)")
        }
        #expect(HL7Escape.escape("100#", delimiters: HL7Delimiters(field: 0x7C, component: 0x5E, repetition: 0x7E, escape: 0x5C,
                                                                  subcomponent: 0x26, truncation: 0x23)) == "100\\P\\")
    }

    @Test func contentErrorsGiveAEWithLocatedErrSegments() throws {
        var segs = HL7Samples.oru()
        segs[1] = "PID|1||9434765918^^^NHS^NH"
        let m = HL7Samples.message(segs)
        let bytes = HL7AckBuilder.acknowledgement(for: context(m), result: MessageResult(disposition: .rejected, issues: m.issues), env: env)
        let a = try #require(read(bytes).first)
        #expect(a.msa1 == "AE")
        #expect(a.errors == ["102"])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("ERR||PID^1^3^1^1|102^Data type error^HL70357|E|nhs-number-check-digit^^POSTROOM|"))
    }

    @Test func unsupportedMessagesAndOurFailuresGiveAR() throws {
        let adt = HL7Samples.message([HL7Samples.msh("ADT^A01"), HL7Samples.pid])
        let a = try #require(read(HL7AckBuilder.acknowledgement(for: context(adt), result: MessageResult(disposition: .rejected, issues: adt.issues), env: env)).first)
        #expect(a.msa1 == "AR")
        #expect(a.errors == ["200"])
        #expect(a.msh.field(9).raw == "ACK^A01^ACK")
        let v = HL7Samples.message([HL7Samples.msh("ORU^R01", version: "2.9")] + HL7Samples.oru().dropFirst())
        #expect(read(HL7AckBuilder.acknowledgement(for: context(v), result: MessageResult(disposition: .rejected, issues: v.issues), env: env)).first?.errors == ["203"])
        let ok = HL7Samples.message(HL7Samples.oru())
        let t = read(HL7AckBuilder.acknowledgement(for: context(ok), result: MessageResult(disposition: .rejected, issues: [], transient: true), env: env))
        #expect(t.first?.msa1 == "AR")
        #expect(HL7AckPolicy.applicationCode(MessageResult(disposition: .duplicate, issues: [])) == "AA")
    }

    @Test func enhancedModeSendsCommitThenApplicationAckAsAsked() {
        func codes(_ accept: String, _ app: String, rejected: Bool = false, unsupported: Bool = false) -> [String] {
            let segs = unsupported ? [HL7Samples.msh("ORU^R01", ack: (accept, app), processing: "X")] + HL7Samples.oru().dropFirst()
                : [HL7Samples.msh("ORU^R01^ORU_R01", ack: (accept, app))] + HL7Samples.oru().dropFirst()
            let m = HL7Samples.message(Array(segs))
            let issues = rejected ? [PostroomCore.Issue.error("required-field-missing", at: "OBX-3", "x")] : m.issues
            let result = MessageResult(disposition: rejected || unsupported ? .rejected : .accepted, issues: issues)
            return read(HL7AckBuilder.acknowledgement(for: context(m), result: result, env: env)).map(\.msa1)
        }
        #expect(codes("AL", "AL") == ["CA", "AA"])
        #expect(codes("AL", "NE") == ["CA"])
        #expect(codes("NE", "NE") == [])
        #expect(codes("AL", "ER") == ["CA"])
        #expect(codes("AL", "ER", rejected: true) == ["CA", "AE"])
        #expect(codes("AL", "SU", rejected: true) == ["CA"])
        #expect(codes("ER", "AL") == ["AA"])
        #expect(codes("AL", "AL", unsupported: true) == ["CR"])
        #expect(codes("NE", "AL", unsupported: true) == ["AR"])
    }

    @Test func escapesTextWithTheMessagesOwnDelimiters() {
        let segs = ["MSH^~|\\&^APP^FAC^R^RF^20240101^^ORU~R01^C9^P^2.5.1", "PID^1^^X~~~H~MR"]
        let m = HL7Samples.message(segs)
        let issue = PostroomCore.Issue.error("custom", at: "PID-3", "Bad | value ^ here ~ and & \\")
        let bytes = HL7AckBuilder.acknowledgement(for: context(m), result: MessageResult(disposition: .rejected, issues: [issue]), env: env)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("MSH^~|\\&^R^RF^APP^FAC^"))
        #expect(text.contains("MSA^AE^C9"))
        #expect(text.contains("Bad \\R\\ value \\F\\ here \\S\\ and \\T\\ \\E\\"))
        guard case .success(let (ack, _)) = HL7Message.parse(Array(bytes)) else { Issue.record("parse"); return }
        #expect(ack.first("ERR")?.text(8) == "Bad | value ^ here ~ and & \\")
    }

    @Test func olderVersionsGetERR1() {
        let m = HL7Samples.message([HL7Samples.msh("ORU^R01", version: "2.3")] + HL7Samples.oru().dropFirst())
        let issue = PostroomCore.Issue.error("required-field-missing", at: "OBX[2]-3", "OBX-3 is required")
        let text = String(decoding: HL7AckBuilder.acknowledgement(for: context(m), result: MessageResult(disposition: .rejected, issues: [issue]), env: env), as: UTF8.self)
        #expect(text.contains("MSA|AE|MSG001|OBX-3 is required"))
        #expect(text.contains("ERR|OBX^2^3^101&Required field missing&HL70357"))
    }

    @Test func batchAckAnswersEveryMessageOrOnlyTheNegativeOnes() throws {
        let file = ["FHS|^~\\&|LAB|LF|POSTROOM|T|20240101||||FILE7", "BHS|^~\\&|LAB|LF|POSTROOM|T|20240101||||BATCH7"]
            + HL7Samples.oru(control: "M1") + HL7Samples.oru(control: "M2", value: "bad") + ["BTS|2", "FTS|1"]
        let drop = HL7Samples.decode(file)
        #expect(drop.issues.isEmpty)
        let batch = try #require(drop.batch)
        let results = drop.messages.map { MessageResult(disposition: $0.issues.hasErrors ? .rejected : .accepted, issues: $0.issues) }
        let all = HL7AckBuilder.batchAcknowledgement(batch: batch, messages: drop.messages, results: results, fileIssues: [], errorsOnly: false, env: env)
        let text = String(decoding: all.bytes, as: UTF8.self)
        #expect(text.hasPrefix("FHS|^~\\&|POSTROOM|POSTROOM|LAB|LF|"))
        #expect(text.contains("||ACKID|FILE7\rBHS|"))
        #expect(text.contains("||ACKID|BATCH7\rMSH|"))
        #expect(text.hasSuffix("BTS|2\rFTS|1\r"))
        let back = HL7v2Decoder.decode(all.bytes, options: DecodeOptions())
        #expect(back.issues.isEmpty)
        #expect(back.messages.map(\.type) == ["ACK", "ACK"])
        #expect(read(all.bytes).map { "\($0.msa1):\($0.msa2)" } == ["AA:M1", "AE:M2"])
        let negative = HL7AckBuilder.batchAcknowledgement(batch: batch, messages: drop.messages, results: results, fileIssues: [], errorsOnly: true, env: env)
        #expect(read(negative.bytes).map(\.msa2) == ["M2"])
        #expect(String(decoding: negative.bytes, as: UTF8.self).contains("BTS|1\r"))
    }

    @Test func truncatedBatchRejectsEveryMessage() throws {
        let file = ["BHS|^~\\&|LAB|LF|POSTROOM|T|20240101||||B1"] + HL7Samples.oru(control: "M1") + ["BTS|3"]
        let drop = HL7Samples.decode(file)
        #expect(drop.issues.map(\.code) == ["batch-count-mismatch"])
        let batch = try #require(drop.batch)
        let results = drop.messages.map { _ in MessageResult(disposition: .accepted, issues: []) }
        let ack = HL7AckBuilder.batchAcknowledgement(batch: batch, messages: drop.messages, results: results, fileIssues: drop.issues, errorsOnly: false, env: env)
        #expect(read(ack.bytes).map(\.msa1) == ["AR"])
        #expect(!batch.hasFileHeader)
    }

    @Test func backToBackMessagesGetOneAckEach() throws {
        let drop = HL7Samples.decode(HL7Samples.oru(control: "A") + HL7Samples.orm(control: "B"), terminator: "\n")
        #expect(drop.messages.count == 2)
        let batch = try #require(drop.batch)
        #expect(!batch.hasBatchHeader)
        let results = drop.messages.map { _ in MessageResult(disposition: .accepted, issues: []) }
        let ack = HL7AckBuilder.batchAcknowledgement(batch: batch, messages: drop.messages, results: results, fileIssues: [], errorsOnly: false, env: env)
        #expect(!String(decoding: ack.bytes, as: UTF8.self).contains("BHS"))
        #expect(read(ack.bytes).map(\.msa2) == ["A", "B"])
    }

    /// An independent reader: Python's `hl7` package when installed, and plain string splitting always.
    @Test func acksAreReadableByAnIndependentParser() throws {
        let m = HL7Samples.message(HL7Samples.oru(control: "CTRL-42"))
        let issue = PostroomCore.Issue.warning("custom", at: "OBX[1]-5", "Check | this")
        let bytes = HL7AckBuilder.acknowledgement(for: context(m), result: MessageResult(disposition: .accepted, issues: [issue]), env: env)
        let text = String(decoding: bytes, as: UTF8.self)
        let segments = text.split(separator: "\r").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(segments.map { $0[0] } == ["MSH", "MSA", "ERR"])
        #expect(segments[1][2] == "CTRL-42")
        #expect(segments[0][8] == "ACK^R01^ACK")

        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/env") else { return }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import hl7"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { return }  // the hl7 package is not installed: string check only
        let script = "import sys, hl7\nm = hl7.parse(sys.stdin.read())\nprint(str(m.segment('MSA')[1]) + ' ' + str(m.segment('MSA')[2]) + ' ' + str(m.segment('MSH')[9]))"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        let answer = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(answer == "AA CTRL-42 ACK^R01^ACK")
        print("independent check (python hl7):", answer)
    }
}
