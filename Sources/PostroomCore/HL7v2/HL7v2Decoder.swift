/// Decodes HL7v2 drops into format-neutral messages (see `InboundMessage`).
public enum HL7v2Decoder {
    public static func decode(_ bytes: [UInt8], options: DecodeOptions) -> DecodedDrop {
        DecodedDrop(format: nil, messages: [], issues: [.fatal("not-implemented", type: "not-supported", "HL7v2 decoding is not implemented yet")])
    }
}
