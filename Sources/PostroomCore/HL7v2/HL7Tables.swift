/// The HL7 tables Postroom checks values against, and the status maps of DOMAIN.md §6.5.
public enum HL7Tables {
    /// Versions 2.1–2.8 (MSH-12.1); any other is answered AR with ERR-3 `203`.
    public static let versions: Set<String> = ["2.1", "2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2"]
    /// Table 0103 processing id (MSH-11.1).
    public static let processingIDs: Set<String> = ["P", "D", "T"]
    /// Table 0155 accept / application acknowledgment conditions (MSH-15, MSH-16).
    public static let ackConditions: Set<String> = ["AL", "NE", "ER", "SU"]

    /// Table 0119 order control (ORC-1) → ServiceRequest.status, where a status is defined.
    public static let orderControlStatus: [String: String] = [
        "NW": "active", "OK": "active", "RO": "active", "RQ": "active", "PR": "active", "CA": "active",
        "CR": "revoked", "OC": "revoked", "DC": "revoked", "OD": "revoked", "DR": "revoked",
        "HD": "active", "OH": "on-hold", "HR": "on-hold", "RL": "active",
    ]
    /// Table 0119 codes with no FHIR status (kept as business events).
    public static let orderControlOther: Set<String> = [
        "UC", "SC", "SN", "NA", "RE", "RR", "UA", "XO", "XR", "XX", "UX", "RP", "RU", "CH", "DE", "FU", "LI", "MC", "OE", "OF",
        "OP", "OR", "PA", "PY", "RA", "RD", "UD", "UF", "UH", "UM", "UN", "UR", "UX", "SS", "DF", "RF", "CN",
    ]
    /// Whether `code` is in table 0119.
    public static func isOrderControl(_ code: String) -> Bool { orderControlStatus[code] != nil || orderControlOther.contains(code) }

    /// Table 0038 order status (ORC-5) → ServiceRequest.status.
    public static let orderStatus: [String: String] = [
        "A": "active", "CA": "revoked", "CM": "completed", "DC": "revoked", "ER": "entered-in-error", "HD": "on-hold",
        "IP": "active", "RP": "revoked", "SC": "active",
    ]

    /// Table 0123 result status (OBR-25) → DiagnosticReport.status.
    public static let resultStatus: [String: String] = [
        "O": "registered", "I": "registered", "S": "registered", "A": "partial", "P": "preliminary", "R": "partial",
        "F": "final", "C": "corrected", "X": "cancelled", "Y": "entered-in-error", "Z": "entered-in-error",
        "M": "partial", "N": "partial",
    ]

    /// Table 0085 observation result status (OBX-11) → Observation.status.
    public static let observationStatus: [String: String] = [
        "F": "final", "U": "final", "P": "preliminary", "R": "preliminary", "S": "preliminary", "C": "corrected",
        "D": "entered-in-error", "W": "entered-in-error", "X": "cancelled", "I": "registered", "O": "registered", "N": "unknown",
        "A": "amended", "B": "final", "V": "final",
    ]

    /// Table 0283 referral status (RF1-1).
    public static let referralStatus: Set<String> = ["A", "P", "R", "E"]

    /// Table 0125 value types (OBX-2).
    public static let valueTypes: Set<String> = [
        "AD", "CE", "CF", "CK", "CN", "CNE", "CP", "CWE", "CX", "DR", "DT", "DTM", "ED", "FT", "ID", "IS", "MA", "MO", "NA", "NM",
        "PN", "RP", "SN", "ST", "TM", "TN", "TS", "TX", "XAD", "XCN", "XON", "XPN", "XTN",
    ]
}
