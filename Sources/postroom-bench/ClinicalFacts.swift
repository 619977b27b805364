/// The facts one generated message is about (patient, order numbers, times), drawn from the
/// item's own generator so an order and the result answering it agree.
struct ClinicalFacts: Sendable {
    /// A valid NHS number in the 999 test range.
    var nhsNumber: String
    var family: String
    var given: String
    /// `F` or `M`.
    var sex: String
    /// The hospital number (PID-3's second identifier, assigning authority RX1).
    var hospitalNumber: String
    /// `YYYYMMDD`.
    var birthDate: String
    /// The placer order number (ORC-2/OBR-2, FHIR PLAC, CDA order id).
    var placer: String
    /// The filler order number (ORC-3/OBR-3).
    var filler: String
    /// The day of the events, `YYYYMMDD`.
    var day: String
    /// Hour of the order (the result comes two hours later), 8–15.
    var hour: Int
    var minute: Int

    static let families = ["SMITH", "JONES", "TAYLOR", "BROWN", "WILLIAMS", "WILSON", "JOHNSON", "DAVIES", "PATEL", "WRIGHT",
                           "ROBINSON", "THOMPSON", "EVANS", "WALKER", "WHITE", "ROBERTS", "GREEN", "HALL", "WOOD", "KHAN"]
    static let givens = ["JANE", "OLIVER", "AMELIA", "GEORGE", "ISLA", "HARRY", "AVA", "NOAH", "MIA", "ARUN", "PRIYA", "JACK",
                         "SOPHIE", "LEO", "GRACE", "OSCAR", "FREYA", "ARTHUR", "LILY", "MOHAMMED"]

    /// Draws the facts of item `index` (its numbers embed the index, so they are unique in a load).
    init(index: Int, rng: inout SplitMix64) {
        nhsNumber = rng.nhsNumber()
        family = rng.pick(Self.families)
        given = rng.pick(Self.givens)
        sex = rng.int(2) == 0 ? "F" : "M"
        hospitalNumber = "H" + rng.digits(7)
        birthDate = "19\(rng.int(in: 30...99))\(Self.two(rng.int(in: 1...12)))\(Self.two(rng.int(in: 1...28)))"
        placer = "ORD\(Self.pad(index + 1, 7))"
        filler = "LAB\(Self.pad(index + 1, 7))"
        day = "202611\(Self.two(rng.int(in: 1...28)))"
        hour = rng.int(in: 8...15)
        minute = rng.int(60)
    }

    /// `YYYYMMDDHHMM00` at `hour + plusHours`.
    func v2Time(plusHours: Int = 0, minuteOffset: Int = 0) -> String {
        day + Self.two(hour + plusHours) + Self.two((minute + minuteOffset) % 60) + "00"
    }

    /// `YYYY-MM-DDTHH:MM:00+00:00` at `hour + plusHours` (FHIR dateTime with an offset).
    func fhirTime(plusHours: Int = 0) -> String {
        let d = Array(day)
        return "\(String(d[0..<4]))-\(String(d[4..<6]))-\(String(d[6..<8]))T\(Self.two(hour + plusHours)):\(Self.two(minute)):00+00:00"
    }

    /// `YYYY-MM-DD` of the birth date.
    var fhirBirthDate: String {
        let d = Array(birthDate)
        return "\(String(d[0..<4]))-\(String(d[4..<6]))-\(String(d[6..<8]))"
    }

    /// FHIR gender for `sex`.
    var gender: String { sex == "F" ? "female" : "male" }

    /// `SMITH` as `Smith`.
    static func title(_ s: String) -> String { s.prefix(1) + s.dropFirst().lowercased() }

    /// Two digits, zero-padded.
    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `n` zero-padded to `width` digits.
    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
