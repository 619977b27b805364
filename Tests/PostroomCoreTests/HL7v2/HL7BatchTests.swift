import Testing
@testable import PostroomCore

@Suite struct HL7BatchTests {
    func fileIssues(_ segments: [String]) -> [String] { HL7Samples.decode(segments).issues.map(\.code) }

    let fhs = "FHS|^~\\&|LAB|LF|POSTROOM|T|20240101||||F1"
    let bhs = "BHS|^~\\&|LAB|LF|POSTROOM|T|20240101||||B1"

    @Test func checksBatchAndFileCounts() {
        let two = HL7Samples.oru(control: "1") + HL7Samples.oru(control: "2")
        #expect(fileIssues([fhs, bhs] + two + ["BTS|2", "FTS|1"]) == [])
        #expect(fileIssues([fhs, bhs] + two + ["BTS|3", "FTS|1"]) == ["batch-count-mismatch"])
        #expect(fileIssues([fhs, bhs] + two + ["BTS|2", "FTS|2"]) == ["batch-count-mismatch"])
        #expect(fileIssues([fhs, bhs] + two + ["BTS|x", "FTS|1"]) == ["batch-count-mismatch"])
        #expect(fileIssues([fhs, bhs] + two) == ["batch-truncated", "batch-truncated"])
        #expect(fileIssues([bhs] + two) == ["batch-truncated"])
        #expect(fileIssues([fhs, bhs] + two + ["BTS|2"]) == ["batch-truncated"])
        #expect(fileIssues([bhs] + two + ["BTS|2"]) == [])
        #expect(fileIssues([fhs, bhs] + two + ["BTS|2", "FTS|1", "PID|1"]) == ["batch-envelope-invalid"])
        #expect(fileIssues(["PID|1"] + two) == ["segment-outside-message"])
        // An empty "nothing to send" batch is fine.
        #expect(fileIssues([fhs, bhs, "BTS|0", "FTS|1"]) == [])
    }

    @Test func eachMessageOfABatchHasItsOwnOutcome() throws {
        var bad = HL7Samples.oru(control: "2")
        bad[4] = "OBX|1|NM|2093-3^Cholesterol^LN||high||||||F"
        let drop = HL7Samples.decode([fhs, bhs] + HL7Samples.oru(control: "1") + bad + HL7Samples.orm(control: "3") + ["BTS|3", "FTS|1"])
        #expect(drop.issues.isEmpty)
        #expect(drop.messages.map(\.index) == [0, 1, 2])
        #expect(drop.messages.map { $0.issues.hasErrors } == [false, true, false])
        #expect(drop.messages[2].requests.count == 1)
        #expect(drop.messages.allSatisfy { $0.raw != nil })
        let batch = try #require(drop.batch)
        #expect(batch.fileControlID == "F1")
        #expect(batch.batchControlID == "B1")
        #expect(batch.sendingApplication == "LAB")
        #expect(batch.hasFileHeader)
    }

    @Test func singleMessagesHaveNoBatchAndNoRaw() {
        let drop = HL7Samples.decode(HL7Samples.oru())
        #expect(drop.batch == nil)
        #expect(drop.messages.count == 1)
        #expect(drop.messages[0].raw == nil)
    }

    @Test func repeatedControlIDsInOneFileAreFlagged() {
        let drop = HL7Samples.decode(HL7Samples.oru(control: "1") + HL7Samples.oru(control: "1"))
        #expect(!drop.messages[0].issues.hasErrors)
        #expect(drop.messages[1].issues.contains { $0.code == "duplicate-control-id" })
    }

    @Test(arguments: ["\r", "\n", "\r\n"])
    func chunkedScanningMatchesTheWholeFile(terminator: String) {
        var file = HL7Fixtures.bytes([fhs, bhs] + HL7Samples.oru(control: "1") + ["", "NTE|1||a\u{0A}b"] + HL7Samples.orm(control: "2")
                                     + ["BTS|2", "FTS|1"], terminator: terminator)
        file = [0xEF, 0xBB, 0xBF] + file
        let whole = HL7v2Decoder.decode(file, options: DecodeOptions())
        let wholeRaw = whole.messages.compactMap(\.raw)
        #expect(wholeRaw.count == 2)
        let mode = HL7Segmenter.terminator(for: file)
        for size in 1...64 {
            var scanner = HL7BatchScanner(terminator: mode)
            var raws: [[UInt8]] = []
            var i = 0
            while i < file.count {
                raws += scanner.push(file[i..<min(i + size, file.count)])
                i += size
            }
            raws += scanner.finish()
            #expect(raws == wholeRaw, "chunk size \(size)")
            #expect(scanner.envelope.check().isEmpty)
            #expect(scanner.envelope.messageCount == 2)
            #expect(scanner.sawCarriageReturn == terminator.contains("\r"))
            // The same scanner with no terminator hint decides from the first line break.
            var auto = HL7BatchScanner()
            var autoRaws: [[UInt8]] = []
            i = 0
            while i < file.count {
                autoRaws += auto.push(file[i..<min(i + size, file.count)])
                i += size
            }
            autoRaws += auto.finish()
            #expect(autoRaws == wholeRaw, "auto, chunk size \(size)")
        }
        let decoded = wholeRaw.enumerated().map { HL7v2Decoder.decodeMessage($1, index: $0, options: DecodeOptions()) }
        #expect(decoded.map(\.type) == whole.messages.map(\.type))
        #expect(decoded.map { $0.issues.map(\.code) } == whole.messages.map { $0.issues.map(\.code) })
    }

    @Test func countingPassKeepsNoMessages() {
        let file = HL7Fixtures.bytes([bhs] + HL7Samples.oru(control: "1") + HL7Samples.oru(control: "2") + ["BTS|2"])
        var scanner = HL7BatchScanner(collectMessages: false)
        let out = scanner.push(file) + scanner.finish()
        #expect(out.isEmpty)
        #expect(scanner.envelope.messageCount == 2)
        #expect(scanner.envelope.check().isEmpty)
    }
}
