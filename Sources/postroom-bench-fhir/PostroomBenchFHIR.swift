import Foundation
import PostroomCore

/// `postroom-bench-fhir [bundles] [rounds] [--decode | --parse-only]`: FHIR parse + full validation throughput on one core.
///
/// Generates seeded, deterministic message Bundles (~2 KB: MessageHeader, Patient, and a
/// ServiceRequest or a DiagnosticReport with Observations), then times `JSONParser` +
/// `FHIRValidator` over them (or the whole `FHIRDecoder.decode` with `--decode`).
@main
enum PostroomBenchFHIR {
    static func main() {
        let args = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") }
        let fullDecode = CommandLine.arguments.contains("--decode")
        let parseOnly = CommandLine.arguments.contains("--parse-only")
        let count = args.first.flatMap { Int($0) } ?? 2_000
        let rounds = args.dropFirst().first.flatMap { Int($0) } ?? 10
        var generator = BundleGenerator(seed: 42)
        var documents: [[UInt8]] = []
        var resources = 0
        for _ in 0..<count {
            let (bytes, n) = generator.next()
            documents.append(bytes)
            resources += n
        }
        let bytes = documents.reduce(0) { $0 + $1.count }
        print("generated \(count) bundles, \(resources) resources, \(bytes / count) bytes each on average")
        // Warm up (loads the spec tables) and check the generated content is valid.
        let validator = FHIRValidator()
        let firstIssues = validator.issues((try? JSONParser().parse(documents[0])) ?? .null)
        if !firstIssues.isEmpty { print("warning: generated bundle has issues: \(firstIssues.map(\.code))") }
        var issues = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds {
            for doc in documents {
                if parseOnly {
                    if (try? JSONParser().parse(doc)) == nil { issues += 1 }
                } else if fullDecode {
                    issues += FHIRDecoder.decode(doc, options: DecodeOptions()).messages.first?.issues.count ?? 1
                } else {
                    guard let value = try? JSONParser().parse(doc) else { issues += 1; continue }
                    issues += validator.validate(value).issues.count
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let totalResources = Double(resources * rounds)
        let totalBytes = Double(bytes * rounds)
        print(String(format: "%@: %.0f resources/s, %.0f bundles/s, %.1f MB/s (%.2f s, %d issues)",
                     parseOnly ? "parse only" : fullDecode ? "parse + validate + map" : "parse + validate",
                     totalResources / seconds, Double(count * rounds) / seconds, totalBytes / seconds / 1e6, seconds, issues))
    }
}
