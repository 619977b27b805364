import Foundation
import PostroomConfig
import PostroomCore
import Testing

@testable import postroom_bench

/// Medians, ratios, the generated `pipeline.json`, and the verifier that refuses untrusted numbers.
@Suite struct BenchBookkeepingTests {
    static func manifest(_ kind: LoadKind = .v2, files: Int = 3, messages: Int = 3, folder: String = "/nowhere") -> LoadManifest {
        LoadManifest(kind: kind, seed: 1, count: files, files: files, messages: messages, bytes: 3_000, folder: folder)
    }

    static func sample(wall: Double, rss: Int64 = 10 << 20) -> RunSample {
        RunSample(run: 1, outcome: ChildProcess.Outcome(exitCode: 0, signal: nil, wallSeconds: wall, userSeconds: wall / 2,
                                                        systemSeconds: wall / 4, peakRSSBytes: rss), files: 3, messages: 3)
    }

    @Test func mediansOfOddAndEvenCounts() {
        #expect(BenchResult.median([3, 1, 2]) == 2)
        #expect(BenchResult.median([4, 1, 3, 2]) == 2.5)
        #expect(BenchResult.median([]).isNaN)
    }

    @Test func ratesAndRatiosUseTheMedianWallTime() {
        var postroom = BenchResult(load: Self.manifest(files: 300, messages: 300), program: .postroom)
        postroom.samples = [Self.sample(wall: 1), Self.sample(wall: 3), Self.sample(wall: 2, rss: 80 << 20)]
        var floor = BenchResult(load: Self.manifest(files: 300, messages: 300), program: .floor)
        floor.samples = [Self.sample(wall: 1)]
        #expect(postroom.filesPerSecond == 150)
        #expect(postroom.ratio(to: floor) == 0.5)
        #expect(postroom.maxRSSBytes == 80 << 20)
        #expect(postroom.ratio(to: BenchResult(load: Self.manifest(), program: .peer)) == nil)
    }

    @Test(arguments: ["gzip", "zstd", "none"])
    func theGeneratedPipelineJSONIsAcceptedByPostroom(_ compression: String) throws {
        for kind in LoadKind.allCases {
            let folder = RunFolder(path: "/tmp/run", program: .postroom, load: Self.manifest(kind, folder: "/tmp/load"))
            let paths = ProgramPaths(postroom: "/bin/true", compression: compression, level: compression == "none" ? nil : 3, groupSize: 512)
            let config = try PipelineConfig.parse(folder.pipelineJSON(paths), base: "/tmp/run", configPath: "/tmp/run/pipeline.json")
            #expect(config.channels.map(\.name) == kind.channels)
            #expect(config.channels.allSatisfy { $0.completion == .rename && $0.role == .placer })
            #expect(config.channels.map(\.inbox) == kind.channels.map { folder.inbox($0) })
            #expect(config.groupSize == 512)
            #expect(config.dataFolder == "/tmp/run/data")
        }
    }

    /// A finished run folder as a program would leave it: empty inbox, answers, an archive, a summary.
    static func finishedRun(_ tmp: TempFolder, program: Program, answers: Int, summary: String) throws -> RunFolder {
        let folder = RunFolder(path: tmp.path + "/run", program: program, load: Self.manifest())
        try FileManager.default.createDirectory(atPath: folder.inbox("results"), withIntermediateDirectories: true)
        for i in 0..<answers { try tmp.write("MSA|AA|\(i)\r", to: "run/outbox/f\(i).ack") }
        try tmp.write("x", to: "run/archive/run-1.tar.gz")
        try tmp.write(summary, to: "run/stdout.txt")
        return folder
    }

    static let ok = ChildProcess.Outcome(exitCode: 0, signal: nil, wallSeconds: 1, userSeconds: 0.5, systemSeconds: 0.1, peakRSSBytes: 1 << 20)

    @Test func aCompleteFloorRunIsTrusted() throws {
        let tmp = try TempFolder()
        let folder = try Self.finishedRun(tmp, program: .floor, answers: 3, summary: "{\"files\": 3, \"bytes\": 3000, \"seconds\": 0.9}\n")
        let sample = try RunVerifier(folder: folder, postroom: "/bin/false", counts: ["results": 3]).verify(Self.ok, run: 1)
        #expect(sample.files == 3 && sample.messages == 3 && sample.reportedSeconds == 0.9)
    }

    @Test func aMissingAcknowledgementIsNotTrusted() throws {
        let tmp = try TempFolder()
        let folder = try Self.finishedRun(tmp, program: .floor, answers: 2, summary: "{\"files\": 3, \"seconds\": 0.9}\n")
        #expect(throws: BenchError.self) {
            try RunVerifier(folder: folder, postroom: "/bin/false", counts: ["results": 3]).verify(Self.ok, run: 1)
        }
    }

    @Test func aPeerThatRejectedADropIsNotTrusted() throws {
        let tmp = try TempFolder()
        let folder = try Self.finishedRun(tmp, program: .peer, answers: 3,
                                          summary: "{\"files\": 3, \"accepted\": 2, \"rejected\": 1, \"duplicates\": 0, \"messages\": 3}\n")
        do {
            _ = try RunVerifier(folder: folder, postroom: "/bin/false", counts: ["results": 3]).verify(Self.ok, run: 1)
            Issue.record("a rejected drop was trusted")
        } catch {
            #expect(error.code == .untrusted)
            #expect(error.message.contains("1 rejected"))
        }
    }

    @Test func aPostroomRunWithRejectsOrAFailedExitIsNotTrusted() throws {
        let tmp = try TempFolder()
        let summary = #"{"channels": {"results": {"accepted": 2, "rejected": 1, "duplicates": 0, "partial": 0, "held": 0, "messages": 3}}}"#
        let folder = try Self.finishedRun(tmp, program: .postroom, answers: 3, summary: summary)
        let verifier = RunVerifier(folder: folder, postroom: "/bin/false", counts: ["results": 3])
        #expect(throws: BenchError.self) { try verifier.verify(Self.ok, run: 1) }
        var failed = Self.ok
        failed.exitCode = 65
        #expect(throws: BenchError.self) { try verifier.verify(failed, run: 1) }
    }

    @Test func theSummaryIsFoundAfterOtherOutput() {
        let json = RunVerifier.lastJSON(Array("warming up\n{\"files\": 12}\n".utf8))
        #expect(RunVerifier.int(json?["files"]) == 12)
        #expect(RunVerifier.lastJSON(Array("no json here\n".utf8)) == nil)
    }
}
