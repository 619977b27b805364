import Testing
@testable import PostroomCore

@Suite struct HL7StructureTests {
    func codes(_ m: InboundMessage) -> [String] { m.issues.filter(\.isError).map(\.code) }

    @Test func acceptsAWellFormedResultAndOrder() {
        #expect(codes(HL7Samples.message(HL7Samples.oru())) == [])
        #expect(codes(HL7Samples.message(HL7Samples.orm())) == [])
    }

    @Test func reportsAnUnexpectedSegmentWithItsPosition() {
        var segs = HL7Samples.oru()
        segs.insert("DG1|1||I10^Dx", at: 3)
        let m = HL7Samples.message(segs)
        let issue = m.issues.first { $0.code == "segment-sequence" }
        #expect(issue?.location == "DG1")
        #expect(issue?.text.contains("ORU_R01") == true)
        #expect(m.reports.isEmpty)  // groups cannot be trusted: nothing mapped
    }

    @Test func reportsAMissingRequiredSegment() {
        let m = HL7Samples.message([HL7Samples.msh("ORU^R01"), HL7Samples.pid])
        let issue = m.issues.first { $0.code == "segment-missing" }
        #expect(issue?.location == "OBR")
    }

    @Test func allowsZSegmentsAnywhereAndToleratesNK1InORM() {
        var segs = HL7Samples.orm()
        segs.insert("ZXY|1|local", at: 2)
        segs.insert("NK1|1|DOE^JOHN", at: 2)
        let m = HL7Samples.message(segs)
        #expect(codes(m) == [])
        #expect(m.issues.contains { $0.code == "segment-not-in-structure" && $0.severity == .warning })
        #expect(m.requests.count == 1)
    }

    @Test func priorResultsInAnOMLAreNotOrders() {
        let segs = [HL7Samples.msh("OML^O21^OML_O21"), HL7Samples.pid,
                    "ORC|NW|P1^EPR", "OBR|1|P1^EPR||24331-1^Lipid^LN",
                    "PV1|1|O", "ORC|RE|OLD^EPR", "OBR|1|OLD^EPR||24331-1^Lipid^LN", "OBX|1|NM|2093-3^Chol^LN||4.2||||||F"]
        let m = HL7Samples.message(segs)
        #expect(codes(m) == [])
        #expect(m.requests.count == 1)
        #expect(m.requests.first?.keys == ["plac|EPR|P1"])
    }

    @Test func matchesLaterVersionSegments() {
        let segs = [HL7Samples.msh("ORU^R01^ORU_R01", version: "2.8"), "SFT|Vendor", HL7Samples.pid, "PRT|1", "ORC|RE|P1^EPR", "PRT|2",
                    "OBR|1|P1^EPR||24331-1^Lipid^LN|||||||||||||||||||||F", "TQ1|1", "OBX|1|NM|2093-3^Chol^LN||4.2||||||F", "PRT|3",
                    "SPM|1|S1", "OBX|1|ST|x^y^LN||ok||||||F"]
        let m = HL7Samples.message(segs)
        #expect(codes(m) == [])
        #expect(m.reports.first?.observations.count == 1)
    }

    @Test func answersUnsupportedTypesEventsVersionsAndProcessingIDs() {
        #expect(codes(HL7Samples.message([HL7Samples.msh("ADT^A01"), HL7Samples.pid])) == ["unsupported-message-type"])
        #expect(codes(HL7Samples.message([HL7Samples.msh("ORU^R30"), HL7Samples.pid])) == ["unsupported-event"])
        #expect(codes(HL7Samples.message([HL7Samples.msh("ORU^R01", version: "3.0")] + HL7Samples.oru().dropFirst())) == ["unsupported-version"])
        #expect(codes(HL7Samples.message([HL7Samples.msh("ORU^R01", processing: "N")] + HL7Samples.oru().dropFirst())) == ["unsupported-processing-id"])
        for v in ["2.1", "2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8"] {
            #expect(codes(HL7Samples.message([HL7Samples.msh("ORU^R01^ORU_R01", version: v)] + HL7Samples.oru().dropFirst())) == [])
        }
    }

    @Test func checksTheFieldsThePipelineReliesOn() {
        let segs = ["MSH|^~\\&|A|B|C|D|20240101||ORU^R01||P|2.5.1", "PID|1", "OBR|1|P1^EPR",
                    "OBX|1||||5||||||"]
        let m = HL7Samples.message(segs)
        let locations = Set(m.issues.filter { $0.code == "required-field-missing" }.compactMap(\.location))
        #expect(locations.isSuperset(of: ["MSH-10", "PID-3", "OBR-4", "OBX-2", "OBX-3", "OBX-11"]))
        let tables = HL7Samples.message([HL7Samples.msh("ORU^R01", ack: ("XX", "AL")), HL7Samples.pid,
                                        "OBR|1|P1^EPR||24331-1^Lipid^LN|||||||||||||||||||||Q", "OBX|1|ZZ|2093-3^Chol^LN||4.2||||||Q"])
        let tableLocations = Set(tables.issues.filter { $0.code == "table-value" }.compactMap(\.location))
        #expect(tableLocations == ["MSH-15", "OBR-25", "OBX-2.1", "OBX-11.1"])
        let orc = HL7Samples.message(HL7Samples.orm(orderControl: "CD:2539"))
        #expect(orc.issues.contains { $0.code == "table-value" && $0.location == "ORC-1.1" })
    }

    @Test func warnsAboutUndecodableEscapes() {
        var segs = HL7Samples.oru()
        segs[6] = "OBX|2|ST|8251-1^Comment^LN||odd \\Q\\ text||||||F"
        let m = HL7Samples.message(segs)
        #expect(m.issues.contains { $0.code == "escape-sequence" && $0.location == "OBX[2]-5" && $0.severity == .warning })
        #expect(codes(m) == [])
    }
}
