extension HL7MessageReader {
    /// Checks MSH (type, control id, processing id, version, acknowledgement types); returns the
    /// structure id to check the message against, or nil when the message is not supported.
    mutating func checkHeader() -> String? {
        let msh = message.segment(0)
        var supported = true
        let code = msh.text(9, 1)
        let trigger = msh.text(9, 2)
        var structure: String?
        if code.isEmpty {
            issues.append(.error(.requiredFieldMissing, type: "required", at: "MSH-9", "MSH-9 (message type) is required"))
            supported = false
        } else if !HL7Structures.supportedCodes.contains(code) {
            issues.append(.error(.unsupportedMessageType, type: "not-supported", at: "MSH-9.1",
                                 "Message type \(code) is not supported (supported: ORM^O01, OML^O21, ORU^R01, REF^I12, RRI^I12, ACK)"))
            supported = false
        } else if code != "ACK", trigger.isEmpty {
            issues.append(.error(.requiredFieldMissing, type: "required", at: "MSH-9.2", "MSH-9.2 (trigger event) is required"))
            supported = false
        } else if let s = HL7Structures.structure(code: code, trigger: trigger) {
            structure = s
            let declared = msh.text(9, 3)
            if !declared.isEmpty, declared != s, code != "ACK" {
                issues.append(.warning(.messageStructureMismatch, type: "structure", at: "MSH-9.3",
                                       "MSH-9.3 names structure \(declared) but \(code)^\(trigger) has structure \(s)"))
            }
        } else {
            issues.append(.error(.unsupportedEvent, type: "not-supported", at: "MSH-9.2",
                                 "Trigger event \(trigger) of \(code) is not supported"))
            supported = false
        }
        require(msh, 10, 0, "MSH-10 (message control id)")
        let processing = msh.text(11, 1)
        if require(msh, 11, 0, "MSH-11 (processing id)"), !HL7Tables.processingIDs.contains(processing) {
            issues.append(.error(.unsupportedProcessingID, type: "not-supported", at: "MSH-11",
                                 "Processing id \(processing.prefix(8)) is not supported (P, D or T)"))
            supported = false
        }
        let version = msh.text(12, 1)
        if require(msh, 12, 0, "MSH-12 (version id)"), !HL7Tables.versions.contains(version) {
            issues.append(.error(.unsupportedVersion, type: "not-supported", at: "MSH-12",
                                 "HL7 version \(version.prefix(12)) is not supported (2.1 to 2.8)"))
            supported = false
        }
        table(msh, 15, 0, msh.text(15), HL7Tables.ackConditions.contains, "0155")
        table(msh, 16, 0, msh.text(16), HL7Tables.ackConditions.contains, "0155")
        if msh.element(7, 1).isPresent, HL7Timestamp(msh.text(7, 1)) == nil {
            issues.append(.warning(.dataType, type: "value", at: "MSH-7", "MSH-7 (message date/time) is not a valid HL7 date/time"))
        }
        return supported ? structure : nil
    }

    /// Warns about escape sequences that cannot be decoded to their meaning (one issue per field).
    mutating func checkEscapes() {
        let esc = message.delimiters.escape
        message.bytes.withUnsafeBufferPointer { buf in
            for (si, info) in message.segmentInfos.enumerated() {
                var found = false
                for i in info.range where buf[i] == esc { found = true; break }
                guard found else { continue }
                let seg = message.segment(si)
                let firstField = info.id.isHeader ? 3 : 1
                guard firstField <= seg.fieldCount else { continue }
                for f in firstField...seg.fieldCount {
                    let e = seg.field(f)
                    guard let problem = HL7Escape.firstProblem(buf, e.range, delimiters: message.delimiters) else { continue }
                    let text: String
                    switch problem {
                    case .unknown: text = "The value holds an unknown escape sequence; it is kept as written"
                    case .unterminated: text = "The value holds an escape character with no closing escape character; it is kept as written"
                    case .badHex: text = "The value holds a malformed \\X hex escape sequence; it is kept as written"
                    case .unsupported: text = "The value holds a locally defined or character-set escape sequence that Postroom does not interpret"
                    }
                    issues.append(.warning(.escapeSequence, type: "value", at: seg.location(f).description, text))
                    if issues.count > 200 { return }
                }
            }
        }
    }
}
