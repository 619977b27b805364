/// What a v2 file's batch envelope (`[FHS] {[BHS] {MSH…} [BTS]} [FTS]`) says, and its checks.
///
/// Both the whole-file decoder and a streaming pipeline fill this in with `HL7BatchScanner`,
/// and both judge it with `check()`, so they agree on what a truncated file is.
public struct HL7BatchEnvelope: Sendable, Hashable {
    /// The fields of an FHS or BHS that a batch acknowledgement answers.
    public struct Header: Sendable, Hashable {
        /// FHS-3 / BHS-3 as written.
        public var sendingApplication: String = ""
        /// FHS-4 / BHS-4 as written.
        public var sendingFacility: String = ""
        /// FHS-5 / BHS-5 as written.
        public var receivingApplication: String = ""
        /// FHS-6 / BHS-6 as written.
        public var receivingFacility: String = ""
        /// FHS-11 / BHS-11.
        public var controlID: String = ""
        /// FHS-2 / BHS-2.
        public var encodingCharacters: String = "^~\\&"
        /// FHS-1 / BHS-1.
        public var fieldSeparator: Character = "|"
    }

    /// One batch: its header (nil for messages outside any BHS), message count and trailer.
    public struct Batch: Sendable, Hashable {
        /// The BHS, or nil for messages outside any batch header.
        public var header: Header?
        /// The MSH segments counted in the batch.
        public var messageCount: Int = 0
        /// Whether a BTS closed the batch, and its BTS-1 as written.
        public var hasTrailer = false
        /// BTS-1 as written.
        public var trailerCount: String = ""
    }

    /// The FHS, when the file has one.
    public var fileHeader: Header?
    /// Whether the file ends with an FTS.
    public var hasFileTrailer = false
    /// FTS-1 as written.
    public var fileTrailerCount: String = ""
    /// The batches in file order (messages before any BHS form an unheaded batch).
    public var batches: [Batch] = []
    /// Segments outside any message (before the first MSH, or between a BTS and the next BHS) that are not envelope segments.
    public var strayOutsideMessages = 0
    /// Segments after FTS.
    public var contentAfterFileTrailer = false
    /// BTS segments with no open batch.
    public var unexpectedBatchTrailers = 0

    /// Creates an empty envelope.
    public init() {}

    /// The number of messages (MSH segments) in the file.
    public var messageCount: Int { batches.reduce(0) { $0 + $1.messageCount } }

    /// Whether the file has an FHS or a BHS.
    public var isEnveloped: Bool { fileHeader != nil || batches.contains { $0.header != nil } }

    /// The file-level issues: truncation (a header without its trailer, counts that do not
    /// match) and content outside messages. Errors here reject the whole file.
    public func check() -> [Issue] {
        var issues: [Issue] = []
        if strayOutsideMessages > 0 {
            issues.append(.fatal(.segmentOutsideMessage, at: nil,
                                 "The file holds \(strayOutsideMessages) segment(s) outside any message (not after an MSH)"))
        }
        if fileHeader != nil, !hasFileTrailer {
            issues.append(.fatal(.batchTruncated, at: "FTS", "The file has an FHS but no FTS: it looks truncated"))
        }
        if fileHeader == nil, hasFileTrailer {
            issues.append(.fatal(.batchEnvelopeInvalid, at: "FTS", "The file has an FTS but no FHS"))
        }
        if contentAfterFileTrailer {
            issues.append(.fatal(.batchEnvelopeInvalid, at: "FTS", "The file holds segments after its FTS"))
        }
        if unexpectedBatchTrailers > 0 {
            issues.append(.fatal(.batchEnvelopeInvalid, at: "BTS", "The file has a BTS with no BHS before it"))
        }
        if hasFileTrailer, !fileTrailerCount.isEmpty {
            let headed = batches.filter { $0.header != nil }.count
            if let n = Int(fileTrailerCount.trimmingSpaces) {
                if n != headed {
                    issues.append(.fatal(.batchCountMismatch, at: "FTS-1",
                                         "FTS-1 says the file holds \(n) batch(es) but it holds \(headed): it looks truncated or altered"))
                }
            } else {
                issues.append(.fatal(.batchCountMismatch, at: "FTS-1", "FTS-1 (file batch count) is not a number"))
            }
        }
        for (i, batch) in batches.enumerated() where batch.header != nil {
            let where_ = batches.filter({ $0.header != nil }).count > 1 ? "BTS[\(i + 1)]" : "BTS"
            guard batch.hasTrailer else {
                issues.append(.fatal(.batchTruncated, at: where_, "A batch has a BHS but no BTS: it looks truncated"))
                continue
            }
            guard !batch.trailerCount.isEmpty else { continue }
            if let n = Int(batch.trailerCount.trimmingSpaces) {
                if n != batch.messageCount {
                    issues.append(.fatal(.batchCountMismatch, at: where_ + "-1",
                                         "BTS-1 says the batch holds \(n) message(s) but it holds \(batch.messageCount): it looks truncated or altered"))
                }
            } else {
                issues.append(.fatal(.batchCountMismatch, at: where_ + "-1", "BTS-1 (batch message count) is not a number"))
            }
        }
        if messageCount == 0, !isEnveloped, strayOutsideMessages == 0 {
            issues.append(.fatal(.noMessage, at: "MSH", "The file holds no HL7 v2 message"))
        }
        return issues
    }

    /// The context a batch acknowledgement answers (BHS-11 → BHS-12, FHS-11 → FHS-12); nil for a
    /// single message outside any envelope.
    public var context: HL7BatchContext? {
        guard isEnveloped || messageCount > 1 else { return nil }
        let header = batches.first(where: { $0.header != nil })?.header ?? fileHeader
        return HL7BatchContext(fileControlID: fileHeader?.controlID, batchControlID: batches.first { $0.header != nil }?.header?.controlID,
                               sendingApplication: header?.sendingApplication ?? "", sendingFacility: header?.sendingFacility ?? "",
                               receivingApplication: header?.receivingApplication ?? "", receivingFacility: header?.receivingFacility ?? "",
                               hasFileHeader: fileHeader != nil, hasBatchHeader: isEnveloped)
    }
}
