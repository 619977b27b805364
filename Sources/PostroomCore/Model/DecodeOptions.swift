/// Settings that shape decoding and validation; they come from the channel's configuration.
public struct DecodeOptions: Sendable {
    /// The IANA time zone applied to timestamps that carry no offset (HL7 v2 DTM, CDA TS).
    public var timeZone: String
    /// Limits for XML input (CDA, ITK, SOAP): nesting depth, element count, attributes per element.
    public var maxXMLDepth: Int
    public var maxXMLElements: Int
    public var maxXMLAttributes: Int
    /// Limit for JSON nesting depth.
    public var maxJSONDepth: Int
    /// Limit for the size of an XML file in bytes (checked before parsing).
    public var maxXMLBytes: Int

    public init(timeZone: String = "Europe/London", maxXMLDepth: Int = 256, maxXMLElements: Int = 500_000,
                maxXMLAttributes: Int = 64, maxJSONDepth: Int = 128, maxXMLBytes: Int = 64 * 1024 * 1024) {
        self.timeZone = timeZone
        self.maxXMLDepth = maxXMLDepth
        self.maxXMLElements = maxXMLElements
        self.maxXMLAttributes = maxXMLAttributes
        self.maxJSONDepth = maxJSONDepth
        self.maxXMLBytes = maxXMLBytes
    }
}
