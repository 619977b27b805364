/// What a load holds, item by item: each item is a pure function of the load's seed and its index,
/// so generation streams (nothing is kept) and tests can rebuild any item on its own.
struct LoadContent: Sendable {
    /// One generated file and what it carries.
    struct File: Sendable {
        /// The Postroom channel (and load subfolder) it belongs to.
        var channel: String
        var name: String
        var bytes: [UInt8]
        var messages: Int
        /// FHIR resources in the Bundle's entries (0 for other formats).
        var resources: Int
    }

    var kind: LoadKind
    /// The load's own seed (derived from the run's seed and the load's name).
    var seed: UInt64
    /// Items: files, batch messages (`batch`) or order/result pairs (`mixed`).
    var count: Int

    /// The content of `kind` with `count` items, seeded from the run's `seed`.
    init(kind: LoadKind, runSeed: UInt64, count: Int) {
        self.kind = kind
        self.seed = SplitMix64.derive(runSeed, kind.rawValue)
        self.count = count
    }

    /// How many files the load has.
    var fileCount: Int {
        switch kind {
        case .v2, .fhir, .cda: count
        case .batch: 1
        case .mixed: 2 * count
        }
    }

    /// The name of the batch file (`batch` only).
    var batchFileName: String { "batch-\(count).hl7" }

    /// File `index` of a one-message-per-file load (`v2`, `fhir`, `cda`, `mixed`).
    func file(_ index: Int) -> File {
        let n = ClinicalFacts.pad(index + 1, 7)
        switch kind {
        case .v2, .batch:
            return File(channel: "results", name: "v2-\(n).hl7", bytes: Array(batchMessage(index).utf8), messages: 1, resources: 0)
        case .fhir:
            var rng = SplitMix64(seed: seed, index: index)
            let facts = ClinicalFacts(index: index, rng: &rng)
            let (text, resources) = FHIRMaker.bundle(facts, index: index, rng: &rng)
            return File(channel: "results", name: "fhir-\(n).json", bytes: Array(text.utf8), messages: 1, resources: resources)
        case .cda:
            var rng = SplitMix64(seed: seed, index: index)
            let facts = ClinicalFacts(index: index, rng: &rng)
            return File(channel: "results", name: "cda-\(n).cda.xml", bytes: Array(CDAMaker.document(facts, index: index, rng: &rng).utf8),
                        messages: 1, resources: 0)
        case .mixed:
            // Orders first (0..<count), then the results answering them, pair by pair.
            let pair = index % count
            var rng = SplitMix64(seed: seed, index: pair)
            let facts = ClinicalFacts(index: pair, rng: &rng)
            let p = ClinicalFacts.pad(pair + 1, 7)
            if index < count {
                return File(channel: "orders", name: "orm-\(p).hl7", bytes: Array(V2Maker.orm(facts, control: "OM-\(p)").utf8),
                            messages: 1, resources: 0)
            }
            return File(channel: "results", name: "oru-\(p).hl7", bytes: Array(V2Maker.oru(facts, control: "OR-\(p)", rng: &rng).utf8),
                        messages: 1, resources: 0)
        }
    }

    /// Message `index` of a v2 load: an ORU^R01 with a unique control id (MSH-10) and placer number.
    func batchMessage(_ index: Int) -> String {
        var rng = SplitMix64(seed: seed, index: index)
        let facts = ClinicalFacts(index: index, rng: &rng)
        let prefix = kind == .batch ? "BT-" : "V2-"
        return V2Maker.oru(facts, control: prefix + ClinicalFacts.pad(index + 1, 7), rng: &rng)
    }

    /// The opening segments of the batch file.
    var batchHeader: String { V2Maker.batchHeader(fileName: batchFileName, control: String(seed % 100_000)) }

    /// The closing segments of the batch file.
    var batchTrailer: String { V2Maker.batchTrailer(count: count) }
}
