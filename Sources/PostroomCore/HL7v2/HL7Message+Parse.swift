extension HL7Message {
    /// Why bytes could not be read as a message at all.
    public struct Failure: Error, Sendable {
        /// Why the bytes are not a readable message.
        public var issues: [Issue]
    }

    /// Parses one message; on failure the issues say why nothing could be read.
    ///
    /// Issues of a message that could be read (bad MSH-2, character set, bad segment ids)
    /// are returned with it; they do not stop parsing.
    ///
    /// `terminator` is the segment terminator of the file the message came from (see
    /// `HL7BatchScanner.terminator`); nil applies the §6.1 rule to the message's own bytes.
    public static func parse(_ bytes: [UInt8], terminator: HL7Segmenter.Terminator? = nil) -> Result<(HL7Message, [Issue]), Failure> {
        bytes.withUnsafeBufferPointer { buf in parse(buf, owner: bytes, terminator: terminator) }
    }

    static func parse(_ buf: UnsafeBufferPointer<UInt8>, owner: [UInt8], terminator: HL7Segmenter.Terminator?) -> Result<(HL7Message, [Issue]), Failure> {
        let ranges = HL7Segmenter.segments(buf, terminator: terminator ?? HL7Segmenter.terminator(for: buf))
        guard let first = ranges.first, first.count >= 3, buf[first.lowerBound] == 0x4D, buf[first.lowerBound + 1] == 0x53,
              buf[first.lowerBound + 2] == 0x48 else {
            return .failure(Failure(issues: [.fatal(.mshMissing, at: "MSH", "The message does not start with an MSH segment")]))
        }
        guard let (delimiters, delimiterIssues) = HL7Delimiters.read(buf, start: first.lowerBound, end: first.upperBound, segment: "MSH") else {
            return .failure(Failure(issues: [.fatal(.mshInvalid, at: "MSH-1",
                "MSH-1 must be a punctuation character (the field separator) right after MSH")]))
        }
        var issues = delimiterIssues
        let (infos, ends) = index(buf, ranges, fieldSeparator: delimiters.field)
        // MSH-18 decides the character set.
        var declared = ""
        if infos[0].pieceCount > 17 {
            let start = ends[infos[0].firstPiece + 16] + 1
            let end = ends[infos[0].firstPiece + 17]
            var e = start
            while e < end, buf[e] != delimiters.repetition { e += 1 }
            declared = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<e]), as: UTF8.self)
        }
        let choice = HL7Charset.choose(declared: declared, bytes: buf)
        if let issue = choice.issue { issues.append(issue) }
        let message = HL7Message(bytes: owner, delimiters: delimiters, charset: choice.charset, segmentInfos: infos, pieceEnds: ends)
        for (i, info) in infos.enumerated() where !info.id.isValid {
            issues.append(.error(.segmentIDInvalid, type: "structure", at: "segment \(i + 1)",
                                 "Segment \(i + 1) does not start with a valid segment id (three upper-case letters or digits)"))
        }
        return .success((message, issues))
    }

    /// Where the segments at `ranges` and their pieces (runs between field separators) are.
    static func index(_ buf: UnsafeBufferPointer<UInt8>, _ ranges: [Range<Int>], fieldSeparator sep: UInt8) -> ([SegmentInfo], [Int]) {
        var infos: [SegmentInfo] = []
        infos.reserveCapacity(ranges.count)
        var ends: [Int] = []
        ends.reserveCapacity(ranges.count * 12)
        for r in ranges {
            let firstPiece = ends.count
            var i = r.lowerBound
            while i < r.upperBound {
                if buf[i] == sep { ends.append(i) }
                i += 1
            }
            ends.append(r.upperBound)
            let id = HL7SegmentID(buf, r.lowerBound..<ends[firstPiece])
            infos.append(SegmentInfo(id: id, range: r, firstPiece: firstPiece, pieceCount: ends.count - firstPiece))
        }
        return (infos, ends)
    }
}
