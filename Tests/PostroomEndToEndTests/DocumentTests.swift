import Foundation
import PostroomCore
import PostroomStore
import Testing

/// CDA documents through real folders: a report closes its order's Task; a replacement supersedes
/// its parent (both kept), even when it arrives first.
@Suite struct DocumentTests {
    static let original = String(decoding: FileManager.default.contents(
        atPath: repositoryRoot + "/inbox-sample/lab-results/03-chest-x-ray-report.cda.xml") ?? Data(), as: UTF8.self)

    static var replacement: String {
        original
            .replacingOccurrences(of: #"extension="RAD-REPORT-88001"/>"#, with: #"extension="RAD-REPORT-88002"/>"#)
            .replacingOccurrences(of: #"<versionNumber value="1"/>"#, with: #"<versionNumber value="2"/>"#)
            .replacingOccurrences(of: "<text>Normal chest radiograph.</text>", with: "<text>Normal chest radiograph (addendum: reviewed).</text>")
            .replacingOccurrences(of: "  <component>\n    <structuredBody>", with: """
                  <relatedDocument typeCode="RPLC">
                    <parentDocument>
                      <id root="2.16.840.1.113883.2.1.3.2.99.2" extension="RAD-REPORT-88001"/>
                      <setId root="2.16.840.1.113883.2.1.3.2.99.3" extension="RAD-SET-88001"/>
                      <versionNumber value="1"/>
                    </parentDocument>
                  </relatedDocument>
                  <component>
                    <structuredBody>
                """)
    }

    @Test func aReplacementArrivingFirstIsHeldThenSupersedesItsParent() throws {
        let ws = try Workspace()
        let order = [UInt8](FileManager.default.contents(atPath: repositoryRoot + "/inbox-sample/lab-orders/03-orm-o01-chest-x-ray.hl7")!)
        try ws.drop(order, as: "order.hl7", channel: "lab-orders")
        try ws.drop(Array(Self.replacement.utf8), as: "b-replacement.xml", channel: "lab-results")
        #expect(try ws.run().code == 0)
        let store = try ws.store()
        let early = try #require(try store.read { try $0.reports().first })
        #expect(early.state == .held && early.note == "awaiting-replaced-document")
        #expect(try store.read { try $0.tasks().first?.status } == .requested)
        try ws.drop(Array(Self.original.utf8), as: "c-original.xml", channel: "lab-results")
        #expect(try ws.run().code == 0)
        let reports = try store.read { try $0.reports() }
        let parent = try #require(reports.first { $0.identity.hasSuffix("RAD-REPORT-88001") })
        let child = try #require(reports.first { $0.identity.hasSuffix("RAD-REPORT-88002") })
        #expect(parent.state == .superseded && parent.supersededBy == child.id)
        #expect(child.state == .linked)
        #expect(try store.read { try $0.tasks().first?.status } == .completed)
        let childJSON = try #require(try store.read { try $0.resource(type: "DocumentReference", id: child.id) })
        #expect(childJSON["relatesTo"]?[0]?["code"]?.string == "replaces")
        #expect(childJSON["content"]?[0]?["attachment"]?["data"]?.string != nil)
        #expect(try store.read { try $0.resource(type: "DocumentReference", id: parent.id) }?["status"]?.string == "superseded")
        // `show` of the parent's drop shows both versions.
        let drop = try #require(try store.read { try $0.drops(limit: 10) }.first { $0.name == "c-original.xml" })
        let shown = try ws.postroom(["show", drop.id, "--config", ws.config])
        #expect(shown.stdout.contains("DocumentReference/\(parent.id)") && shown.stdout.contains("superseded by DocumentReference/\(child.id)"))
        #expect(shown.stdout.contains("DocumentReference/\(child.id)"))
        let invalid = try fhirErrors(in: ws, channels: ["lab-orders", "lab-results"])
        #expect(invalid.isEmpty, "\(invalid)")
    }

    @Test func hostileXMLIsRefusedWithoutReadingOtherFiles() throws {
        let ws = try Workspace()
        let secret = ws.root + "/secret.txt"
        try "TOP-SECRET-CONTENT".write(toFile: secret, atomically: true, encoding: .utf8)
        let xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE ClinicalDocument [ <!ENTITY x SYSTEM "file://\(secret)"> ]>
            <ClinicalDocument xmlns="urn:hl7-org:v3"><title>&x;</title></ClinicalDocument>
            """
        try ws.drop(Array(xxe.utf8), as: "xxe.xml", channel: "lab-results")
        #expect(try ws.run().code == 65)
        for ch in ["lab-results"] {
            for f in ws.files(in: "outbox/" + ch) + ws.files(in: "error/" + ch) where f.hasSuffix(".json") {
                let text = String(decoding: ws.read((f.contains(".error.json") ? "error/" : "outbox/") + ch + "/" + f), as: UTF8.self)
                #expect(!text.contains("TOP-SECRET"))
            }
        }
        let drop = try #require(try ws.store().read { try $0.drops(limit: 1) }.first)
        #expect(drop.issues.map(\.code).contains { $0.hasPrefix("xml-doctype") || $0.hasPrefix("xml-entity") })
    }
}
