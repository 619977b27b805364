import Foundation
import Testing
@testable import PostroomCore

@Suite struct HL7ParserTests {
    func parse(_ s: String) -> (HL7Message, [PostroomCore.Issue])? {
        guard case .success(let r) = HL7Message.parse(Array(s.utf8)) else { return nil }
        return r
    }

    @Test func readsStandardDelimitersAndFieldNumbering() throws {
        let (m, issues) = try #require(parse("MSH|^~\\&|APP^1.2^ISO|FAC|R|RF|20240101||ORU^R01|C1|P|2.5.1\rPID|1||A~B^^^X^MR"))
        #expect(issues.isEmpty)
        let msh = m.segment(0)
        #expect(msh.text(1) == "|")
        #expect(msh.text(2) == "^~\\&")
        #expect(msh.text(3, 2) == "1.2")
        #expect(msh.text(9, 2) == "R01")
        #expect(msh.text(10) == "C1")
        let pid = m.segment(1)
        #expect(pid.field(3).repetitions.count == 2)
        #expect(pid.text(3, 4, repetition: 2) == "X")
        #expect(pid.text(3, 1, repetition: 1) == "A")
        #expect(pid.text(40) == "")
    }

    @Test func readsUnusualDelimitersAndTruncationCharacter() throws {
        let (m, issues) = try #require(parse("MSH^~|\\&^SENDING^200M^R^200^20120918^^ADT~A24^X1^T^2.4\rPID^1^^11111~~~FOO&&0363|22222"))
        #expect(issues.isEmpty)
        #expect(m.delimiters.field == UInt8(ascii: "^"))
        #expect(m.delimiters.component == UInt8(ascii: "~"))
        #expect(m.delimiters.repetition == UInt8(ascii: "|"))
        #expect(m.segment(0).text(9, 2) == "A24")
        #expect(m.segment(1).text(3, 4, 3) == "0363")
        #expect(m.segment(1).text(3, 1, repetition: 2) == "22222")
        let (t, tIssues) = try #require(parse("MSH|^~\\&#|A|B|C|D|20240101||ACK|1|P|2.7\rNTE|1||5\\P\\ items"))
        #expect(tIssues.isEmpty)
        #expect(t.delimiters.truncation == UInt8(ascii: "#"))
        #expect(t.segment(0).text(2) == "^~\\&#")
        #expect(t.segment(1).text(3) == "5# items")
    }

    @Test func reportsBadEncodingCharactersButStillReads() throws {
        let (m, issues) = try #require(parse("MSH|^~\\\\&|A|B|C|D|20240101||ADT^A01|1|P|2.6"))
        #expect(issues.contains { $0.code == "encoding-characters-invalid" && $0.location == "MSH-2" })
        #expect(m.segment(0).text(10) == "1")
        guard case .failure(let f) = HL7Message.parse(Array("MSHH0\r".utf8)) else { Issue.record("should fail"); return }
        #expect(f.issues.first?.code == "msh-invalid")
        guard case .failure(let g) = HL7Message.parse(Array("PID|1\r".utf8)) else { Issue.record("should fail"); return }
        #expect(g.issues.first?.code == "msh-missing")
    }

    @Test func decodesEveryEscapeSequence() throws {
        let (m, _) = try #require(parse("MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.5\rNTE|1||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f|x\\X0D0A\\y|1\\.br\\2\\.sp 2\\3|\\H\\bold\\N\\|\\.in+4\\\\.ti-2\\\\.fi\\\\.nf\\t\\.sk 3\\u\\.ce\\v|\\Zlocal\\|\\Q\\|open\\end"))
        let nte = m.segment(1)
        #expect(nte.text(3) == "a|b^c&d~e\\f")
        #expect(nte.text(4) == "x\r\ny")
        #expect(nte.text(5) == "1\n2\n\n3")
        #expect(nte.text(6) == "bold")
        #expect(nte.text(7) == "t   u\nv")
        #expect(nte.text(8) == "\\Zlocal\\")
        #expect(nte.text(9) == "\\Q\\")
        #expect(nte.text(10) == "open\\end")
    }

    @Test func escapeRoundTrips() {
        let d = HL7Delimiters.standard
        let text = "a|b^c&d~e\\f\ng#h"
        let escaped = HL7Escape.escape(text, delimiters: d)
        #expect(escaped == "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g#h")
        let bytes = Array(("MSH|^~\\&|A|B|C|D|1||ACK|1|P|2.5\rNTE|1||" + escaped).utf8)
        guard case .success(let (m, _)) = HL7Message.parse(bytes) else { Issue.record("parse"); return }
        #expect(m.segment(1).text(3) == text)
    }

    @Test func lineEndingsGiveTheSameValues() throws {
        let segs = ["MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.5.1", "PID|1||X^^^Y", "OBX|1|ST|c||value"]
        var results: [[String]] = []
        for t in ["\r", "\n", "\r\n"] {
            let (m, _) = try #require(parse(segs.joined(separator: t) + t + t))
            results.append(m.segments.map { $0.field(1).raw + "/" + $0.text(3) + "/" + $0.text(5) })
            #expect(m.segmentCount == 3)
        }
        #expect(results[0] == results[1])
        #expect(results[1] == results[2])
    }

    @Test func lineFeedInsideACarriageReturnMessageIsData() throws {
        let (m, _) = try #require(parse("MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5\r\nNTE|1||line one\nline two\r\n"))
        #expect(m.segmentCount == 2)
        #expect(m.segment(1).text(3) == "line one\nline two")
    }

    @Test func stripsBOMAndMLLPFraming() throws {
        let body = Array("MSH|^~\\&|A|B|C|D|1||ACK|1|P|2.5\rMSA|AA|X\r".utf8)
        let (a, _) = try #require({ if case .success(let r) = HL7Message.parse([0xEF, 0xBB, 0xBF] + body) { return r }; return nil }())
        let (b, _) = try #require({ if case .success(let r) = HL7Message.parse([0x0B] + body + [0x1C, 0x0D]) { return r }; return nil }())
        #expect(a.segmentCount == 2)
        #expect(b.segmentCount == 2)
        #expect(b.segment(1).text(2) == "X")
    }

    @Test func honoursCharacterSets() throws {
        // "Zoë" in ISO 8859-1 with MSH-18 8859/1.
        let latin = Array("MSH|^~\\&|A|B|C|D|1||ACK|1|P|2.5||||||8859/1\rNTE|1||Zo".utf8) + [0xEB] + [0x0D]
        guard case .success(let (m1, i1)) = HL7Message.parse(latin) else { Issue.record("parse"); return }
        #expect(i1.isEmpty)
        #expect(m1.segment(1).text(3) == "Zoë")
        // UTF-8 declared.
        let utf = Array("MSH|^~\\&|A|B|C|D|1||ACK|1|P|2.5||||||UNICODE UTF-8\rNTE|1||Zoë µg".utf8)
        guard case .success(let (m2, i2)) = HL7Message.parse(utf) else { Issue.record("parse"); return }
        #expect(i2.isEmpty)
        #expect(m2.segment(1).text(3) == "Zoë µg")
        // No MSH-18, invalid UTF-8: Windows-1252 with a warning.
        let cp = Array("MSH|^~\\&|A|B|C|D|1||ACK|1|P|2.5\rNTE|1||".utf8) + [0x93, 0x51, 0x94, 0xB5]
        guard case .success(let (m3, i3)) = HL7Message.parse(cp) else { Issue.record("parse"); return }
        #expect(i3.map(\.code) == ["character-set-fallback"])
        #expect(m3.segment(1).text(3) == "\u{201C}Q\u{201D}µ")
        // Hex escapes are bytes in the message's charset.
        let hex = Array("MSH|^~\\&|A|B|C|D|1||ACK|1|P|2.5||||||UNICODE UTF-8\rNTE|1||\\XC2B5\\g".utf8)
        guard case .success(let (m4, _)) = HL7Message.parse(hex) else { Issue.record("parse"); return }
        #expect(m4.segment(1).text(3) == "µg")
    }

    @Test func formatsAndParsesLocations() {
        let a = HL7Location(segment: "PID", segmentIndex: 1, field: 3, repetition: 2, component: 4)
        #expect(a.description == "PID[1]-3[2].4")
        #expect(HL7Location("PID[1]-3[2].4") == a)
        #expect(HL7Location(segment: "OBR", field: 2, component: 1).description == "OBR-2.1")
        #expect(HL7Location("OBR-2.1")?.erl() == "OBR^1^2^1^1")
        #expect(HL7Location("OBX[3]-5")?.erl() == "OBX^3^5^1")
        #expect(HL7Location("TQ1")?.erl() == "TQ1^1")
        #expect(HL7Location("Bundle.entry[0]") == nil)
        #expect(HL7Location("segment 3") == nil)
    }

    @Test func parsesDateTimesWithTheChannelTimeZone() throws {
        let london = HL7TimeZone(identifier: "Europe/London")
        #expect(try #require(HL7Timestamp("20240115103000")).fhirDateTime(zone: london) == "2024-01-15T10:30:00Z")
        #expect(try #require(HL7Timestamp("20240715103000")).fhirDateTime(zone: london) == "2024-07-15T10:30:00+01:00")
        #expect(try #require(HL7Timestamp("202407151030-0500")).fhirDateTime(zone: london) == "2024-07-15T10:30:00-05:00")
        #expect(try #require(HL7Timestamp("20240715103000.25")).fhirDateTime(zone: london) == "2024-07-15T10:30:00.25+01:00")
        #expect(try #require(HL7Timestamp("202407")).fhirDateTime(zone: london) == "2024-07")
        #expect(HL7Timestamp("February 2 2024") == nil)
        #expect(HL7Timestamp("20240230") == nil)
        #expect(HL7Timestamp("2024071525") == nil)
    }
}
