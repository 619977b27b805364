/// Decodes a drop's bytes into messages: sniffs the format from content, then hands over to
/// the format's decoder. Never throws: whatever the bytes, the result says what was found.
public enum Decoder {
    public static func decode(_ bytes: [UInt8], accepting formats: Set<PayloadFormat>, options: DecodeOptions = DecodeOptions()) -> DecodedDrop {
        guard !bytes.isEmpty else {
            return DecodedDrop(format: nil, messages: [], issues: [.fatal(.emptyFile, "The file is empty")])
        }
        guard let format = PayloadFormat.sniff(bytes) else {
            return DecodedDrop(format: nil, messages: [], issues: [.fatal(.unknownFormat, type: "not-supported",
                "The content is not HL7 v2, FHIR JSON or CDA XML")])
        }
        guard formats.contains(format) else {
            return DecodedDrop(format: format, messages: [], issues: [.fatal(.formatNotAccepted, type: "not-supported",
                "This channel does not accept \(format.rawValue) content")])
        }
        switch format {
        case .hl7v2: return HL7v2Decoder.decode(bytes, options: options)
        case .fhir: return FHIRDecoder.decode(bytes, options: options)
        case .cda: return CDADecoder.decode(bytes, options: options)
        }
    }
}
