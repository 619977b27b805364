/// Splits a v2 file into messages incrementally: push byte chunks of any size (boundaries may
/// fall mid-segment or mid-CRLF), get back each complete message's raw bytes, and the batch
/// envelope (FHS/BHS/BTS/FTS) in `envelope`. Memory holds one message at a time.
///
/// Segment terminators follow DOMAIN.md §6.1. The whole-file rule ("any CR in the file means
/// CR") needs the whole file; pass the terminator when it is known (a first pass can learn it
/// from `sawCarriageReturn`), or let the scanner decide from the first CR or LF it meets.
public struct HL7BatchScanner: Sendable {
    /// The terminator in force (nil until decided).
    public private(set) var terminator: HL7Segmenter.Terminator?
    /// Whether any CR byte has been seen.
    public private(set) var sawCarriageReturn = false
    /// What the envelope holds so far.
    public private(set) var envelope = HL7BatchEnvelope()
    /// Whether message bytes are collected (false for a counting-only first pass).
    public let collectMessages: Bool

    var line: [UInt8] = []
    var current: [UInt8] = []
    var inMessage = false
    var pendingEnd = false
    var firstLine = true
    var afterFileTrailer = false
    var envelopeSeparator: UInt8 = 0x7C
    var ready: [[UInt8]] = []

    /// A scanner; `terminator` nil means decided from the first CR or LF.
    public init(terminator: HL7Segmenter.Terminator? = nil, collectMessages: Bool = true) {
        self.terminator = terminator
        self.collectMessages = collectMessages
    }

    /// Feeds bytes; returns the messages completed by them (raw bytes, terminators included).
    public mutating func push<C: Collection<UInt8>>(_ chunk: C) -> [[UInt8]] {
        let array = chunk as? [UInt8] ?? Array(chunk)
        array.withUnsafeBufferPointer { buf in
            var i = 0
            let n = buf.count
            if pendingEnd, n > 0 {
                pendingEnd = false
                if buf[0] == 0x0A { line.append(0x0A); i = 1 }
                endSegment()
            }
            while i < n {
                if terminator == nil {
                    var j = i
                    while j < n, buf[j] != 0x0D, buf[j] != 0x0A { j += 1 }
                    if j < n { terminator = buf[j] == 0x0D ? .carriageReturn : .lineFeed }
                }
                let term: UInt8 = terminator == .lineFeed ? 0x0A : 0x0D
                var j = i
                if terminator == nil {
                    j = n
                } else {
                    while j < n, buf[j] != term { j += 1 }
                }
                if !sawCarriageReturn {
                    for k in i..<j where buf[k] == 0x0D { sawCarriageReturn = true; break }
                }
                line.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<j]))
                if j >= n { break }
                line.append(buf[j])
                if term == 0x0D { sawCarriageReturn = true }
                if term == 0x0D {
                    if j + 1 < n {
                        if buf[j + 1] == 0x0A { line.append(0x0A); i = j + 2 } else { i = j + 1 }
                        endSegment()
                    } else {
                        pendingEnd = true
                        i = n
                    }
                } else {
                    i = j + 1
                    endSegment()
                }
            }
        }
        defer { ready.removeAll(keepingCapacity: true) }
        return ready
    }

    /// Ends the input; returns the last message if one was open.
    public mutating func finish() -> [[UInt8]] {
        if pendingEnd { pendingEnd = false }
        if !line.isEmpty { endSegment() }
        closeMessage()
        defer { ready.removeAll() }
        return ready
    }

    /// Handles the segment held in `line` (raw bytes with its terminator).
    mutating func endSegment() {
        let raw = line
        line.removeAll(keepingCapacity: true)
        var s = 0
        var e = raw.count
        if firstLine, e >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF { s = 3 }
        while s < e, HL7Segmenter.isLeadingJunk(raw[s]) { s += 1 }
        while e > s, raw[e - 1] == 0x0D || raw[e - 1] == 0x0A || raw[e - 1] == 0x1C { e -= 1 }
        guard e > s else {
            if inMessage, collectMessages { current.append(contentsOf: raw) }
            return
        }
        firstLine = false
        let id = e - s >= 3 ? (UInt32(raw[s]) << 16 | UInt32(raw[s + 1]) << 8 | UInt32(raw[s + 2])) : 0
        let content = raw[s..<e]
        if afterFileTrailer { envelope.contentAfterFileTrailer = true }
        switch id {
        case 0x4D5348:  // MSH
            closeMessage()
            inMessage = true
            if envelope.batches.isEmpty || envelope.batches[envelope.batches.count - 1].hasTrailer {
                envelope.batches.append(HL7BatchEnvelope.Batch())
            }
            envelope.batches[envelope.batches.count - 1].messageCount += 1
            if collectMessages { current = raw }
        case 0x464853:  // FHS
            closeMessage()
            envelope.fileHeader = header(content)
        case 0x424853:  // BHS
            closeMessage()
            envelope.batches.append(HL7BatchEnvelope.Batch(header: header(content)))
        case 0x425453:  // BTS
            closeMessage()
            if let last = envelope.batches.indices.last, !envelope.batches[last].hasTrailer {
                envelope.batches[last].hasTrailer = true
                envelope.batches[last].trailerCount = field(content, 1)
                if envelope.batches[last].header == nil { envelope.unexpectedBatchTrailers += 1 }
            } else {
                envelope.unexpectedBatchTrailers += 1
            }
        case 0x465453:  // FTS
            closeMessage()
            envelope.hasFileTrailer = true
            envelope.fileTrailerCount = field(content, 1)
            afterFileTrailer = true
        default:
            if inMessage {
                if collectMessages { current.append(contentsOf: raw) }
            } else if !afterFileTrailer {
                envelope.strayOutsideMessages += 1
            }
        }
    }

    mutating func closeMessage() {
        guard inMessage else { return }
        inMessage = false
        if collectMessages {
            ready.append(current)
            current = []
        }
    }

    /// Field `n` (n ≥ 1) of an envelope segment whose separator is its 4th byte (FHS/BHS) or the header's.
    func field(_ content: ArraySlice<UInt8>, _ n: Int) -> String {
        let parts = content.split(separator: envelopeSeparator, omittingEmptySubsequences: false)
        guard n < parts.count else { return "" }
        return String(decoding: parts[parts.startIndex + n], as: UTF8.self)
    }

    /// The facts of an FHS/BHS segment (MSH numbering: field 3 is at split index 2).
    mutating func header(_ content: ArraySlice<UInt8>) -> HL7BatchEnvelope.Header {
        var h = HL7BatchEnvelope.Header()
        guard content.count >= 4 else { return h }
        let sep = content[content.startIndex + 3]
        guard HL7Delimiters.isUsable(sep) else { return h }
        envelopeSeparator = sep
        h.fieldSeparator = Character(Unicode.Scalar(sep))
        let parts = content.split(separator: sep, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        func f(_ n: Int) -> String { n - 1 < parts.count ? parts[n - 1] : "" }
        if !f(2).isEmpty { h.encodingCharacters = f(2) }
        h.sendingApplication = f(3)
        h.sendingFacility = f(4)
        h.receivingApplication = f(5)
        h.receivingFacility = f(6)
        h.controlID = f(11)
        return h
    }
}
