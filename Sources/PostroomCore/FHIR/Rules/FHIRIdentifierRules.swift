/// NHS rules on FHIR identifiers, applied wherever an `Identifier` with a known system appears:
/// NHS numbers (Modulus 11), ODS codes, UUID business identifiers and EPS prescription ids.
public enum FHIRIdentifierRules {
    /// ODS organisation codes (e.g. `A83008`).
    public static let odsOrganizationSystem = "https://fhir.nhs.uk/Id/ods-organization-code"
    /// ODS site codes (e.g. `R0A09`).
    public static let odsSiteSystem = "https://fhir.nhs.uk/Id/ods-site-code"
    /// UUID business identifiers (EPS, NHS messaging).
    public static let uuidSystem = "https://tools.ietf.org/html/rfc4122"
    /// EPS short-form prescription ids.
    public static let prescriptionOrderNumberSystem = "https://fhir.nhs.uk/Id/prescription-order-number"

    /// A rule that an identifier value breaks: a stable code, an IssueType and a text without the value.
    public struct Problem: Sendable, Equatable {
        /// Postroom's stable issue code.
        public var code: String
        /// The FHIR IssueType.
        public var type: String
        /// A human sentence without the value.
        public var text: String

        init(_ code: IssueCode, type: String, text: String) {
            self.code = code.code
            self.type = type
            self.text = text
        }
    }

    /// What is wrong with `value` under `system`, or nil (also nil for systems without rules).
    public static func problem(system: String, value: String) -> Problem? {
        switch system {
        case NHSNumber.system:
            switch NHSNumber.check(value) {
            case .valid: return nil
            case .malformed: return Problem(.nhsNumberFormat, type: "value", text: "NHS number must be 10 digits")
            case .badCheckDigit: return Problem(.nhsNumberCheckDigit, type: "value", text: "NHS number fails the Modulus 11 check")
            }
        case odsOrganizationSystem:
            return isODS(value, maxLength: 6) ? nil : Problem(.odsCodeFormat, type: "value",
                text: "ODS organisation code must be 3 to 6 upper-case letters and digits")
        case odsSiteSystem:
            return isODS(value, maxLength: 10) ? nil : Problem(.odsCodeFormat, type: "value",
                text: "ODS site code must be 3 to 10 upper-case letters and digits")
        case uuidSystem:
            return isUUID(value) ? nil : Problem(.uuidIdentifierFormat, type: "value",
                text: "An identifier with system https://tools.ietf.org/html/rfc4122 must be a UUID")
        case prescriptionOrderNumberSystem:
            return prescriptionIDProblem(value)
        case _ where ReferralPlanner.ubrnSystems.contains(system):
            return ReferralPlanner.isUBRN(value) ? nil : Problem(.ubrnFormat, type: "value", text: "A UBRN must be exactly 12 digits")
        default:
            return nil
        }
    }

    /// ODS codes: upper-case ASCII letters and digits, 3 to `maxLength` characters.
    public static func isODS(_ value: String, maxLength: Int) -> Bool {
        let u = value.utf8
        guard u.count >= 3, u.count <= maxLength else { return false }
        return u.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }
    }

    /// A UUID `8-4-4-4-12` of hex digits, in either case.
    public static func isUUID(_ value: String) -> Bool { UUIDSyntax.matches(value) }

    /// The value as keys store it: UUIDs lower-cased, NHS numbers as their bare 10 digits.
    public static func normalisedValue(_ value: String, system: String) -> String {
        if isUUID(value) { return value.lowercased() }
        if value.hasPrefix("urn:uuid:") || value.hasPrefix("URN:UUID:") { return value.lowercased() }
        if system == NHSNumber.system, case .valid(let bare) = NHSNumber.check(value) { return bare }
        return value
    }

    /// EPS short-form prescription ids `XXXXXX-XXXXXX-XXXXXC`: hex random part, zero-padded ODS
    /// code, hex sequence and an ISO/IEC 7064 MOD 37-2 check character (`+` for 36).
    public static func prescriptionIDProblem(_ value: String) -> Problem? {
        let u = Array(value.utf8)
        let formatProblem = Problem(.epsPrescriptionIDFormat, type: "value",
                                    text: "Short-form prescription id must be XXXXXX-XXXXXX-XXXXXC")
        guard u.count == 20, u[6] == UInt8(ascii: "-"), u[13] == UInt8(ascii: "-") else { return formatProblem }
        var total = 0
        for (i, b) in u.enumerated() where i != 6 && i != 13 && i != 19 {
            guard let v = base36(b) else { return formatProblem }
            total = ((total + v) * 2) % 37
        }
        let check = (38 - total) % 37
        let expected: UInt8 = check == 36 ? UInt8(ascii: "+") : (check < 10 ? UInt8(0x30 + check) : UInt8(0x41 + check - 10))
        guard u[19] == expected else {
            return Problem(.epsPrescriptionIDChecksum, type: "value",
                           text: "Short-form prescription id has an invalid check character (ISO/IEC 7064 MOD 37-2)")
        }
        return nil
    }

    static func base36(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b - 0x30)
        case 0x41...0x5A: Int(b - 0x41) + 10
        case 0x61...0x7A: Int(b - 0x61) + 10
        default: nil
        }
    }
}
