/// All runs of one program on one load, and the medians the table shows.
struct BenchResult: Sendable {
    var load: LoadManifest
    var program: Program
    var samples: [RunSample] = []
    /// Why the program's runs on this load stopped (a reference program that failed; Postroom failing stops everything).
    var failure: String?

    /// Median wall-clock seconds.
    var wallSeconds: Double { Self.median(samples.map(\.outcome.wallSeconds)) }
    /// Median user + system CPU seconds.
    var cpuSeconds: Double { Self.median(samples.map(\.outcome.cpuSeconds)) }
    /// Median CPU seconds of the PostgreSQL server (nil for runs without one).
    var serverCPUSeconds: Double? {
        let values = samples.compactMap(\.serverCPUSeconds)
        return values.isEmpty ? nil : Self.median(values)
    }
    /// Median peak RSS in bytes.
    var peakRSSBytes: Double { Self.median(samples.map { Double($0.outcome.peakRSSBytes) }) }
    /// The largest peak RSS of any run, in bytes (what a memory bound is checked against).
    var maxRSSBytes: Int64 { samples.map(\.outcome.peakRSSBytes).max() ?? 0 }

    /// Files per second at the median wall time.
    var filesPerSecond: Double { rate(Double(load.files)) }
    /// Messages per second at the median wall time.
    var messagesPerSecond: Double { rate(Double(load.messages)) }
    /// FHIR resources (Bundle entries) per second at the median wall time.
    var resourcesPerSecond: Double { rate(Double(load.resources)) }
    /// Input megabytes (10^6 bytes) per second at the median wall time.
    var megabytesPerSecond: Double { rate(Double(load.bytes) / 1e6) }

    /// This program's throughput over another's on the same load (the inverse ratio of median wall times).
    func ratio(to other: BenchResult?) -> Double? {
        guard let other, !other.samples.isEmpty, !samples.isEmpty, wallSeconds > 0 else { return nil }
        return other.wallSeconds / wallSeconds
    }

    private func rate(_ amount: Double) -> Double {
        samples.isEmpty || wallSeconds <= 0 ? .nan : amount / wallSeconds
    }

    /// The median of the values (the mean of the middle two for an even count; NaN for none).
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
