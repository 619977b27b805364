/// Decodes FHIR drops into format-neutral messages (see `InboundMessage`).
public enum FHIRDecoder {
    public static func decode(_ bytes: [UInt8], options: DecodeOptions) -> DecodedDrop {
        DecodedDrop(format: nil, messages: [], issues: [.fatal("not-implemented", type: "not-supported", "FHIR decoding is not implemented yet")])
    }
}
