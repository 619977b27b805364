/// Decodes HL7 v2 drops into format-neutral messages (see `InboundMessage`).
///
/// `decode` takes a whole file; a pipeline that streams huge batch files drives
/// `HL7BatchScanner` itself, judges the envelope with `HL7BatchEnvelope.check()` and decodes
/// each message with `decodeMessage`. Both paths give the same messages and issues.
public enum HL7v2Decoder {
    /// Decodes a whole file: a single message, back-to-back messages, or an FHS/BHS batch.
    public static func decode(_ bytes: [UInt8], options: DecodeOptions) -> DecodedDrop {
        var scanner = HL7BatchScanner(terminator: HL7Segmenter.terminator(for: bytes))
        var raws = scanner.push(bytes)
        raws += scanner.finish()
        let envelope = scanner.envelope
        let fileIssues = envelope.check()
        let zone = HL7TimeZone.shared(options.timeZone)
        let batch = envelope.context
        var messages: [InboundMessage] = []
        messages.reserveCapacity(raws.count)
        for (i, raw) in raws.enumerated() {
            var m = decodeMessage(raw, index: i, options: options, zone: zone, terminator: scanner.terminator)
            if batch == nil { m.raw = nil }
            messages.append(m)
        }
        if !messages.isEmpty, batch != nil { markDuplicateControlIDs(&messages) }
        return DecodedDrop(format: .hl7v2, messages: messages, issues: fileIssues, batch: batch)
    }

    /// Decodes one message (its raw bytes, as `HL7BatchScanner` hands them over).
    ///
    /// Pass the scanner's `terminator` for messages of a batch file so segments split exactly
    /// as the scanner split the file; nil applies the §6.1 rule to the message alone.
    public static func decodeMessage(_ bytes: [UInt8], index: Int = 0, options: DecodeOptions,
                                     terminator: HL7Segmenter.Terminator? = nil) -> InboundMessage {
        decodeMessage(bytes, index: index, options: options, zone: HL7TimeZone.shared(options.timeZone), terminator: terminator)
    }

    static func decodeMessage(_ bytes: [UInt8], index: Int, options: DecodeOptions, zone: HL7TimeZone,
                              terminator: HL7Segmenter.Terminator?) -> InboundMessage {
        let message: HL7Message
        let parseIssues: [Issue]
        switch HL7Message.parse(bytes, terminator: terminator) {
        case .failure(let failure):
            return InboundMessage(index: index, format: .hl7v2, type: "unknown", issues: failure.issues,
                                  answer: .hl7v2(HL7AckContext(messageCode: "", controlID: "")), raw: bytes)
        case .success(let (m, issues)):
            message = m
            parseIssues = issues
        }
        var reader = HL7MessageReader(message: message, options: options, zone: zone)
        reader.issues = parseIssues
        let context = ackContext(message)
        let structure = reader.checkHeader()
        var type = context.messageCode.isEmpty ? "unknown" : context.messageCode
        if context.messageCode != "ACK", !context.triggerEvent.isEmpty { type += "^" + context.triggerEvent }
        if type.utf8.count > 16 || type.utf8.contains(where: { !($0 >= 0x30 && $0 <= 0x39 || $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x61 && $0 <= 0x7A || $0 == 0x5E || $0 == 0x5F) }) {
            type = String(decoding: type.utf8.prefix(16).map { $0 >= 0x30 && $0 <= 0x39 || $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x61 && $0 <= 0x7A || $0 == 0x5E ? $0 : 0x3F }, as: UTF8.self)
        }
        var result = InboundMessage(index: index, format: .hl7v2, type: type, dedupeKeys: dedupeKeys(message),
                                    answer: .hl7v2(context), raw: bytes)
        if let structure, let grammar = HL7Structures.grammar(structure) {
            let outcome = HL7StructureMatcher.match(message, grammar: grammar, name: structure)
            reader.issues += outcome.issues
            reader.checkEscapes()
            if let tree = outcome.tree {
                map(&reader, &result, tree: tree, structure: structure, sequenceOK: !outcome.issues.hasErrors)
            }
        }
        result.issues = reader.issues
        return result
    }

    /// Checks a parsed message's header (type, version, processing id…), segment structure and
    /// escape sequences, without reading fields into FHIR (a lighter check than `decodeMessage`).
    public static func checkStructure(_ message: HL7Message, options: DecodeOptions = DecodeOptions()) -> [Issue] {
        var reader = HL7MessageReader(message: message, options: options, zone: HL7TimeZone.shared(options.timeZone))
        if let structure = reader.checkHeader(), let grammar = HL7Structures.grammar(structure) {
            reader.issues += HL7StructureMatcher.match(message, grammar: grammar, name: structure).issues
            reader.checkEscapes()
        }
        return reader.issues
    }

    /// Maps a matched message to patient, requests and reports by its structure.
    ///
    /// When the segment sequence is wrong only the patient is read: groups cannot be trusted.
    static func map(_ reader: inout HL7MessageReader, _ result: inout InboundMessage, tree: HL7GroupNode, structure: String,
                    sequenceOK: Bool) {
        guard structure != "ACK" else { return }
        let patientGroups = tree.groups("PATIENT")
        var pids = patientGroups.compactMap { $0.directSegments.first }.filter { reader.message.segmentID($0) == "PID" }
        if pids.isEmpty, let pid = tree.directSegments.first(where: { reader.message.segmentID($0) == "PID" }) { pids = [pid] }
        if let first = pids.first {
            let patient = reader.patient(reader.message.segment(first))
            result.patient = patient
            for other in pids.dropFirst() {
                var probe = reader
                probe.issues = []
                let p = probe.patient(reader.message.segment(other))
                if p.keys.isDisjoint(with: patient.keys) {
                    reader.issues.append(.error(.patientMultiple, type: "business-rule", at: reader.message.location(segment: other).description,
                                                "The message is about more than one patient; send one patient per message"))
                }
            }
        }
        guard sequenceOK else { return }
        switch structure {
        case "ORM_O01", "OML_O21": result.requests = reader.orders(tree, patient: result.patient)
        case "ORU_R01": result.reports = reader.results(tree, patient: result.patient)
        case "REF_I12": result.requests = reader.referral(tree, patient: result.patient)
        case "RRI_I12": result.requests = reader.referralResponse(tree, patient: result.patient)
        default: break
        }
    }

    /// The MSH fields the acknowledgement echoes, as written (escape sequences kept).
    static func ackContext(_ message: HL7Message) -> HL7AckContext {
        let msh = message.segment(0)
        return HL7AckContext(fieldSeparator: message.delimiters.fieldCharacter, encodingCharacters: message.delimiters.encodingCharacters,
                             sendingApplication: msh.field(3).raw, sendingFacility: msh.field(4).raw,
                             receivingApplication: msh.field(5).raw, receivingFacility: msh.field(6).raw,
                             messageCode: msh.text(9, 1), triggerEvent: msh.text(9, 2), controlID: msh.field(10).raw,
                             processingID: msh.field(11).raw, versionID: msh.field(12).raw,
                             acceptAckType: msh.text(15), applicationAckType: msh.text(16), characterSet: msh.field(18).raw)
    }

    /// `v2|MSH-3|MSH-4|MSH-10` (components joined with `^`), when MSH-10 is present.
    static func dedupeKeys(_ message: HL7Message) -> [String] {
        let msh = message.segment(0)
        let control = msh.text(10)
        guard !control.isEmpty else { return [] }
        func hd(_ n: Int) -> String {
            var parts = msh.element(n).components.map(\.text)
            while parts.last == "" { parts.removeLast() }
            return parts.joined(separator: "^")
        }
        return ["v2|\(hd(3))|\(hd(4))|\(control)"]
    }

    /// Flags messages of one file that reuse a control id (MSH-3, MSH-4, MSH-10): only the first is applied.
    static func markDuplicateControlIDs(_ messages: inout [InboundMessage]) {
        var seen: Set<String> = []
        for i in messages.indices {
            for key in messages[i].dedupeKeys where !seen.insert(key).inserted {
                messages[i].issues.append(.error(.duplicateControlID, type: "duplicate", at: "MSH-10",
                                                 "Another message of this file has the same sending application, facility and control id (MSH-10)"))
            }
        }
    }
}
