/// NHS number rules (NHS Data Dictionary, Modulus 11).
public enum NHSNumber {
    /// The FHIR identifier system of NHS numbers.
    public static let system = "https://fhir.nhs.uk/Id/nhs-number"
    /// The HL7 v3 / CDA OID of NHS numbers.
    public static let oid = "2.16.840.1.113883.2.1.4.1"

    /// The result of checking a candidate NHS number.
    public enum Check: Equatable, Sendable {
        case valid(String)
        /// Not ten digits once spaces and hyphens are removed.
        case malformed
        /// Ten digits whose check digit is wrong (or whose check would be 10).
        case badCheckDigit
    }

    /// Normalises (spaces and hyphens removed) and checks the Modulus 11 check digit.
    public static func check(_ candidate: String) -> Check {
        var digits: [Int] = []
        digits.reserveCapacity(10)
        for scalar in candidate.unicodeScalars {
            switch scalar {
            case " ", "-": continue
            case "0"..."9": digits.append(Int(scalar.value) - 48)
            default: return .malformed
            }
            if digits.count > 10 { return .malformed }
        }
        guard digits.count == 10 else { return .malformed }
        var sum = 0
        for i in 0..<9 { sum += digits[i] * (10 - i) }
        var expected = 11 - (sum % 11)
        if expected == 11 { expected = 0 }
        if expected == 10 || expected != digits[9] { return .badCheckDigit }
        return .valid(digits.map(String.init).joined())
    }

    /// The issue for an NHS number that fails its check, or nil when it is valid.
    public static func issue(for candidate: String, at location: String?) -> Issue? {
        switch check(candidate) {
        case .valid: nil
        case .malformed:
            .error(.nhsNumberFormat, type: "value", at: location, "NHS number must be 10 digits")
        case .badCheckDigit:
            .error(.nhsNumberCheckDigit, type: "value", at: location, "NHS number fails the Modulus 11 check")
        }
    }
}
