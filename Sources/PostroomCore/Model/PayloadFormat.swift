import Foundation

/// The formats Postroom reads, as channels name them in `pipeline.json`.
public enum PayloadFormat: String, Sendable, Codable, CaseIterable {
    /// HL7 v2 (ER7, pipe-delimited), single messages or batches.
    case hl7v2
    /// FHIR R4 JSON: a resource or a Bundle.
    case fhir
    /// CDA R2 XML, bare or inside an ITK or SOAP envelope.
    case cda

    /// Detects the format from the first bytes of content, never from the file name.
    ///
    /// v2 starts with `MSH`/`FHS`/`BHS` (after an optional BOM, MLLP start byte or blank
    /// lines); FHIR JSON is an object; CDA is XML. Returns nil when nothing fits.
    public static func sniff<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> PayloadFormat? {
        var i = bytes.startIndex
        // Skip a UTF-8 BOM.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if bytes.starts(with: bom) { i = bytes.index(i, offsetBy: 3) }
        // Skip MLLP start byte and whitespace.
        while i < bytes.endIndex, [0x0B, 0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i = bytes.index(after: i) }
        guard i < bytes.endIndex else { return nil }
        let head = Array(bytes[i...].prefix(3))
        if head == Array("MSH".utf8) || head == Array("FHS".utf8) || head == Array("BHS".utf8) { return .hl7v2 }
        if head.first == UInt8(ascii: "{") { return .fhir }
        if head.first == UInt8(ascii: "<") {
            // FHIR XML names its namespace on the root element: it is FHIR (which refuses XML clearly), not CDA.
            let start = bytes.distance(from: bytes.startIndex, to: i)
            let window = Array(bytes.dropFirst(start).prefix(4096))
            if let s = String(validating: window, as: UTF8.self) ?? String(validating: window.dropLast(3), as: UTF8.self),
               let rootStart = s.range(of: #"<[A-Za-z][^!?]"#, options: .regularExpression),
               let rootEnd = s[rootStart.lowerBound...].firstIndex(of: ">"),
               s[rootStart.lowerBound..<rootEnd].contains("\"http://hl7.org/fhir\"")
                || s[rootStart.lowerBound..<rootEnd].contains("'http://hl7.org/fhir'") {
                return .fhir
            }
            return .cda
        }
        return nil
    }
}
