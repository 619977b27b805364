import PostroomCore

/// Small hand-written messages for focused tests (test NHS number 9434765919 passes Modulus 11).
enum HL7Samples {
    static func msh(_ type: String, control: String = "MSG001", version: String = "2.5.1", ack: (String, String) = ("", ""),
                    processing: String = "P", charset: String = "") -> String {
        var s = "MSH|^~\\&|LABSYS|LABFAC|POSTROOM|TRUST|20240312101500||\(type)|\(control)|\(processing)|\(version)"
        if !ack.0.isEmpty || !ack.1.isEmpty || !charset.isEmpty { s += "|||\(ack.0)|\(ack.1)||\(charset)" }
        return s
    }

    static let pid = "PID|1||9434765919^^^NHS^NH~H123^^^RXH^MR||SMITH^JANE^A||19800102|F"

    static func orm(control: String = "ORD1", orderControl: String = "NW", placer: String = "PL123^EPR", filler: String = "",
                    orderStatus: String = "", reason: String = "") -> [String] {
        [msh("ORM^O01^ORM_O01", control: control), pid,
         "ORC|\(orderControl)|\(placer)|\(filler)||\(orderStatus)||||20240312101000|||DR1^WHO^JOHN||||\(reason)",
         "OBR|1|\(placer)|\(filler)|24331-1^Lipid panel^LN|||20240312090000"]
    }

    static func oru(control: String = "RES1", status: String = "F", obxStatus: String = "F", value: String = "5.10",
                    placer: String = "PL123^EPR", filler: String = "FL9^LAB") -> [String] {
        [msh("ORU^R01^ORU_R01", control: control), pid,
         "ORC|RE|\(placer)|\(filler)",
         "OBR|1|\(placer)|\(filler)|24331-1^Lipid panel^LN|||20240312090000|||||||||||||||20240312110000|||\(status)",
         "OBX|1|NM|2093-3^Cholesterol^LN||\(value)|mmol/L^mmol/L^UCUM|3.0-5.0|H|||\(obxStatus)|||20240312090000",
         "NTE|1||Fasting sample",
         "OBX|2|ST|8251-1^Comment^LN||Sample haemolysed\\.br\\Repeat advised||||||\(obxStatus)"]
    }

    static func decode(_ segments: [String], terminator: String = "\r", options: DecodeOptions = DecodeOptions()) -> DecodedDrop {
        HL7v2Decoder.decode(HL7Fixtures.bytes(segments, terminator: terminator), options: options)
    }

    static func message(_ segments: [String], terminator: String = "\r") -> InboundMessage {
        HL7v2Decoder.decodeMessage(HL7Fixtures.bytes(segments, terminator: terminator), options: DecodeOptions())
    }
}
