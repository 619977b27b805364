/// The XML namespaces CDA, ITK and SOAP content uses.
public enum CDANamespace {
    /// HL7 v3 and CDA R2.
    public static let hl7v3 = "urn:hl7-org:v3"
    /// NHS NPfIT localisation (`npfitlc:messageType`, `npfitlc:contentId`).
    public static let npfit = "NPFIT:HL7:Localisation"
    /// The ITK 2010-05 distribution envelope.
    public static let itk = "urn:nhs-itk:ns:201005"
    /// SOAP 1.1 envelopes.
    public static let soap11 = "http://schemas.xmlsoap.org/soap/envelope/"
    /// SOAP 1.2 envelopes.
    public static let soap12 = "http://www.w3.org/2003/05/soap-envelope"
    /// WS-Addressing (2005 recommendation).
    public static let wsAddressing = "http://www.w3.org/2005/08/addressing"
    /// WS-Addressing, 2004 submission.
    public static let wsAddressing2004 = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
    /// FHIR XML.
    public static let fhir = "http://hl7.org/fhir"
}
