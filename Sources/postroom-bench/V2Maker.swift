/// Makes the HL7 v2.5.1 messages of the loads (segments ended by CR, as the standard says).
enum V2Maker {
    /// The laboratory tests a result reports: LOINC code, name, unit and reference range.
    static let tests: [(code: String, name: String, unit: String, low: Double, high: Double, range: String)] = [
        ("2093-3", "Cholesterol [Moles/volume] in Serum or Plasma", "mmol/L", 0, 5, "0.0-5.0"),
        ("2571-8", "Triglyceride [Moles/volume] in Serum or Plasma", "mmol/L", 0, 1.7, "0.0-1.7"),
        ("2085-9", "HDL Cholesterol [Moles/volume] in Serum or Plasma", "mmol/L", 1, 3, "1.0-3.0"),
        ("13457-7", "LDL Cholesterol [Moles/volume] calculated", "mmol/L", 0, 3, "0.0-3.0"),
        ("2345-7", "Glucose [Moles/volume] in Serum or Plasma", "mmol/L", 3.5, 6, "3.5-6.0"),
        ("2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", 133, 146, "133-146"),
        ("2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", 3.5, 5.3, "3.5-5.3"),
        ("3094-0", "Urea nitrogen [Moles/volume] in Serum or Plasma", "mmol/L", 2.5, 7.8, "2.5-7.8"),
        ("2160-0", "Creatinine [Moles/volume] in Serum or Plasma", "umol/L", 59, 104, "59-104"),
        ("1751-7", "Albumin [Mass/volume] in Serum or Plasma", "g/L", 35, 50, "35-50"),
    ]

    /// A value around a reference range (mostly inside it) with its abnormal flag (`N`, `H` or `L`).
    static func value(low: Double, high: Double, rng: inout SplitMix64) -> (text: String, flag: String) {
        let tenths = Int((low * 10).rounded()) + rng.int(in: -2...Int(((high - low) * 11).rounded()))
        let v = max(tenths, 1)
        let flag = Double(v) / 10 > high ? "H" : Double(v) / 10 < low ? "L" : "N"
        return ("\(v / 10).\(v % 10)", flag)
    }

    /// A segment from its id and its fields by number (fields not given are empty).
    static func segment(_ id: String, _ fields: [Int: String]) -> String {
        let last = fields.keys.max() ?? 0
        var out = id
        for n in stride(from: 1, through: last, by: 1) {
            out += "|" + (fields[n] ?? "")
        }
        return out + "\r"
    }

    /// An MSH segment (MSH-1 is the field separator itself, so MSH-2 follows the first `|`).
    static func msh(from: (app: String, facility: String), to: (app: String, facility: String), time: String,
                    type: String, control: String) -> String {
        "MSH|^~\\&|\(from.app)|\(from.facility)|\(to.app)|\(to.facility)|\(time)||\(type)|\(control)|P|2.5.1\r"
    }

    /// The PID segment of a patient: the NHS number (assigning authority NHS) and a hospital number.
    static func pid(_ f: ClinicalFacts) -> String {
        segment("PID", [1: "1", 3: "\(f.nhsNumber)^^^NHS^NH~\(f.hospitalNumber)^^^RX1^MR", 5: "\(f.family)^\(f.given)",
                        7: f.birthDate, 8: f.sex, 11: "\(f.hospitalNumber.suffix(2)) HIGH STREET^^LEEDS^^LS1 1AA^GBR"])
    }

    /// One ORU^R01 (a final lipid and renal panel, 8–10 OBX) answering the order `f.placer`.
    static func oru(_ f: ClinicalFacts, control: String, rng: inout SplitMix64) -> String {
        let doctor = "G1234567^JONES^DAVID^^^DR"
        var s = msh(from: ("LABSYS", "RX1LAB"), to: ("GPSYSTEM", "A83008"), time: f.v2Time(plusHours: 2),
                    type: "ORU^R01^ORU_R01", control: control)
        s += pid(f)
        s += segment("PV1", [1: "1", 2: "O", 3: "CLINIC^^^RX1"])
        s += segment("ORC", [1: "RE", 2: "\(f.placer)^GPSYSTEM", 3: "\(f.filler)^LABSYS", 5: "CM", 9: f.v2Time(), 12: doctor])
        s += segment("OBR", [1: "1", 2: "\(f.placer)^GPSYSTEM", 3: "\(f.filler)^LABSYS", 4: "24331-1^Lipid and renal panel^LN",
                             7: f.v2Time(), 16: doctor, 22: f.v2Time(plusHours: 2), 25: "F"])
        let count = rng.int(in: 8...10)
        for (k, t) in tests.prefix(count).enumerated() {
            let (value, flag) = Self.value(low: t.low, high: t.high, rng: &rng)
            s += segment("OBX", [1: "\(k + 1)", 2: "NM", 3: "\(t.code)^\(t.name)^LN", 5: value, 6: "\(t.unit)^\(t.unit)^UCUM",
                                 7: t.range, 8: flag, 11: "F", 14: f.v2Time(plusHours: 1)])
        }
        s += segment("NTE", [1: "1", 3: "Sample received in good condition."])
        return s
    }

    /// One ORM^O01 new order (`NW`) for a lipid and renal panel, placer number `f.placer`.
    static func orm(_ f: ClinicalFacts, control: String) -> String {
        let doctor = "G1234567^JONES^DAVID^^^DR"
        var s = msh(from: ("GPSYSTEM", "A83008"), to: ("LABSYS", "RX1LAB"), time: f.v2Time(), type: "ORM^O01^ORM_O01", control: control)
        s += pid(f)
        s += segment("PV1", [1: "1", 2: "O"])
        s += segment("ORC", [1: "NW", 2: "\(f.placer)^GPSYSTEM", 9: f.v2Time(), 12: doctor])
        s += segment("OBR", [1: "1", 2: "\(f.placer)^GPSYSTEM", 4: "24331-1^Lipid and renal panel^LN", 7: f.v2Time(), 16: doctor])
        return s
    }

    /// The FHS and BHS segments that open a batch file.
    static func batchHeader(fileName: String, control: String) -> String {
        "FHS|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126180000||\(fileName)||F\(control)\r"
            + "BHS|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126180000||||B\(control)\r"
    }

    /// The BTS and FTS segments that close a batch file of `count` messages.
    static func batchTrailer(count: Int) -> String {
        "BTS|\(count)\rFTS|1\r"
    }
}
