/// The loads `postroom-bench` generates and measures, with the sizes at scale 1.
enum LoadKind: String, CaseIterable, Sendable {
    /// One-message HL7 v2 ORU^R01 files of about 1.6 KB.
    case v2
    /// FHIR R4 message Bundles of about 2.9 KB (a DiagnosticReport with 2–3 Observations and a Patient).
    case fhir
    /// CDA R2 documents like the sample chest X-ray report.
    case cda
    /// One HL7 v2 batch file (FHS/BHS … BTS/FTS) of ORU^R01 messages.
    case batch
    /// ORM^O01 orders on one channel, then the ORU^R01 results answering them on another.
    case mixed

    /// How many items the load holds at scale 1: files, batch messages (`batch`) or order/result pairs (`mixed`).
    var baseCount: Int {
        switch self {
        case .v2, .fhir: 20_000
        case .cda: 5_000
        case .batch: 200_000
        case .mixed: 10_000
        }
    }

    /// The item count at `scale` (at least one).
    func count(scale: Double) -> Int {
        max(1, Int((Double(baseCount) * scale).rounded()))
    }

    /// Postroom channels of this load, in the order Postroom takes them (orders before results).
    var channels: [String] {
        switch self {
        case .v2, .fhir, .cda: ["results"]
        case .batch: ["batch"]
        case .mixed: ["orders", "results"]
        }
    }

    /// What the load is, for the table's notes and the JSON.
    var summary: String {
        switch self {
        case .v2: "one-message v2 ORU^R01 files (~1.6 KB)"
        case .fhir: "FHIR R4 message Bundles (~2.9 KB: MessageHeader, DiagnosticReport, 2–3 Observations, Patient)"
        case .cda: "CDA R2 reports (~3 KB)"
        case .batch: "one v2 batch file (FHS/BHS … BTS/FTS) of ORU^R01 messages"
        case .mixed: "ORM^O01 orders, then the ORU^R01 results answering them (correlation, Task updates)"
        }
    }

    /// Parses a comma-separated list such as `v2,fhir,batch` (`all` for every load).
    static func parseList(_ text: String) throws(BenchError) -> [LoadKind] {
        if text == "all" { return allCases }
        var out: [LoadKind] = []
        for part in text.split(separator: ",") {
            let name = String(part.filter { !$0.isWhitespace })
            guard let kind = LoadKind(rawValue: name) else {
                throw BenchError(.usage, "unknown load \"\(name)\": choose among \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !out.contains(kind) { out.append(kind) }
        }
        guard !out.isEmpty else { throw BenchError(.usage, "--loads names no load") }
        return out
    }
}
