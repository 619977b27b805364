/// Decodes CDA drops into format-neutral messages (see `InboundMessage`).
public enum CDADecoder {
    public static func decode(_ bytes: [UInt8], options: DecodeOptions) -> DecodedDrop {
        DecodedDrop(format: nil, messages: [], issues: [.fatal("not-implemented", type: "not-supported", "CDA decoding is not implemented yet")])
    }
}
