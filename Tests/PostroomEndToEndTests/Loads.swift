import Foundation

/// Unique, valid HL7 v2 orders and results for tests that need many drops.
enum Loads {
    /// NHS numbers in the 999 test range with valid check digits.
    static func nhsNumber(_ n: Int) -> String {
        var base = 999_000_000 + n
        while true {
            let digits = String(base).map { Int(String($0))! }
            let sum = (0..<9).reduce(0) { $0 + digits[$1] * (10 - $1) }
            var check = 11 - sum % 11
            if check == 11 { check = 0 }
            if check != 10 { return String(base) + String(check) }
            base += 1
        }
    }

    static func order(_ n: Int) -> [UInt8] {
        Array([
            "MSH|^~\\&|GPSYSTEM|A83008|LABSYS|RX1LAB|20261126091500||ORM^O01^ORM_O01|ORM-\(n)|P|2.5.1",
            "PID|1||\(nhsNumber(n))^^^NHS^NH||TEST^PATIENT\(n)||19700101|F",
            "ORC|NW|ORD\(n)^GPSYSTEM",
            "OBR|1|ORD\(n)^GPSYSTEM||26604007^Full blood count^SCT",
        ].joined(separator: "\r").utf8) + [0x0D]
    }

    static func result(_ n: Int) -> [UInt8] {
        Array([
            "MSH|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126153000||ORU^R01^ORU_R01|ORU-\(n)|P|2.5.1",
            "PID|1||\(nhsNumber(n))^^^NHS^NH||TEST^PATIENT\(n)||19700101|F",
            "ORC|RE|ORD\(n)^GPSYSTEM|LAB\(n)^LABSYS",
            "OBR|1|ORD\(n)^GPSYSTEM|LAB\(n)^LABSYS|26604007^Full blood count^SCT||||||||||||||||||||F",
            "OBX|1|NM|718-7^Hemoglobin^LN||\(100 + n % 60)|g/L^g/L^UCUM|115-165|N|||F",
        ].joined(separator: "\r").utf8) + [0x0D]
    }

    /// A message whose NHS number fails its check digit: rejected.
    static func reject(_ n: Int) -> [UInt8] {
        Array([
            "MSH|^~\\&|GPSYSTEM|A83008|LABSYS|RX1LAB|20261126091500||ORM^O01^ORM_O01|BAD-\(n)|P|2.5.1",
            "PID|1||9990000019^^^NHS^NH||TEST^BAD||19700101|F",
            "ORC|NW|BAD\(n)^GPSYSTEM",
            "OBR|1|BAD\(n)^GPSYSTEM||26604007^Full blood count^SCT",
        ].joined(separator: "\r").utf8) + [0x0D]
    }
}
