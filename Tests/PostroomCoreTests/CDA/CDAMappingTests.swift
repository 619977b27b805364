import Testing
import PostroomCore

/// From a CDA document to keys, identity, replaces and the FHIR DocumentReference.
@Suite struct CDAMappingTests {
    static func message(fulfil: String = "", related: String = "", _ replacing: [(String, String)] = [],
                        options: DecodeOptions = DecodeOptions()) throws -> InboundMessage {
        let drop = CDADecoder.decode(CDAFixture.document(fulfil: fulfil, related: related, replacing: replacing), options: options)
        return try #require(drop.messages.first)
    }

    @Test func keysIdentityAndPatient() throws {
        let m = try Self.message()
        #expect(m.type == "ClinicalDocument")
        #expect(m.dedupeKeys == ["cda|2.16.840.1.113883.19.5|DOC-1", "cda-version|2.16.840.1.113883.19.7|SET-1|1"])
        let report = try #require(m.reports.first)
        #expect(report.identity == "cda|2.16.840.1.113883.19.5|DOC-1")
        #expect(report.status == "final")
        #expect(report.isFinal)
        #expect(report.replaces == nil)
        #expect(report.requestKeys.isEmpty)
        let patient = try #require(m.patient)
        #expect(patient.nhsNumber == "9434765919")
        #expect(patient.keys == ["nhs|9434765919", "id|urn:oid:2.16.840.1.113883.19.5|MRN-1"])
        #expect(patient.resource?["resourceType"]?.string == "Patient")
        #expect(patient.resource?["gender"]?.string == "female")
        #expect(patient.resource?["birthDate"]?.string == "1980-01-01")
        #expect(patient.resource?["identifier"]?[0]?["system"]?.string == NHSNumber.system)
    }

    @Test func withoutSetIDTheIdentityIsTheDocumentID() throws {
        let m = try Self.message([("<setId root=\"2.16.840.1.113883.19.7\" extension=\"SET-1\"/>", ""), ("<versionNumber value=\"1\"/>", "")])
        #expect(m.reports.first?.identity == "cda|2.16.840.1.113883.19.5|DOC-1")
        #expect(m.dedupeKeys == ["cda|2.16.840.1.113883.19.5|DOC-1"])
    }

    @Test func orderIDsArePlacerKeys() throws {
        let fulfil = """
            <inFulfillmentOf typeCode="FLFS"><order classCode="ACT" moodCode="RQO">
              <id root="2.16.840.1.113883.19" extension="12345-67890"/>
              <id root="9A6D1BAC-17D3-4195-89A4-1121BC809B4E"/>
            </order></inFulfillmentOf>
            """
        let m = try Self.message(fulfil: fulfil)
        let report = try #require(m.reports.first)
        #expect(report.requestKeys == [
            CorrelationKey.placer(namespace: "2.16.840.1.113883.19", value: "12345-67890"),
            "plac|urn:ietf:rfc:3986|urn:uuid:9a6d1bac-17d3-4195-89a4-1121bc809b4e",
        ])
        let related = report.resource["context"]?["related"]?.array ?? []
        #expect(related.count == 2)
        #expect(related.first?["identifier"]?["system"]?.string == "urn:oid:2.16.840.1.113883.19")
        #expect(related.first?["identifier"]?["value"]?.string == "12345-67890")
    }

    @Test func aReplacementNamesItsParentAndIsAmended() throws {
        let related = """
            <relatedDocument typeCode="RPLC"><parentDocument><id root="2.16.840.1.113883.19.5" extension="DOC-0"/>
              <setId root="2.16.840.1.113883.19.7" extension="SET-1"/><versionNumber value='1'/></parentDocument></relatedDocument>
            """
        let m = try Self.message(related: related, [("<versionNumber value=\"1\"/>", "<versionNumber value=\"2\"/>")])
        #expect(m.issues.isEmpty)
        let report = try #require(m.reports.first)
        #expect(report.replaces == "cda|2.16.840.1.113883.19.5|DOC-0")
        #expect(report.identity != report.replaces)
        #expect(report.status == "amended")
        #expect(report.isFinal)
        #expect(m.dedupeKeys.contains("cda-version|2.16.840.1.113883.19.7|SET-1|2"))
        let relatesTo = report.resource["relatesTo"]?[0]
        #expect(relatesTo?["code"]?.string == "replaces")
        #expect(relatesTo?["target"]?["identifier"]?["value"]?.string == "DOC-0")
        #expect(report.resource["docStatus"]?.string == "amended")
    }

    @Test func aReplacementWhoseParentHasNoSetIDReplacesTheParentID() throws {
        let m = try Self.message(related: CDAHeaderTests.related("RPLC"), [("<versionNumber value=\"1\"/>", "<versionNumber value=\"2\"/>")])
        #expect(m.reports.first?.replaces == "cda|2.16.840.1.113883.19.5|DOC-0")
    }

    @Test func addendaAndTransformsAreRecorded() throws {
        let appendix = try Self.message(related: CDAHeaderTests.related("APND"))
        #expect(appendix.reports.first?.status == "appended")
        #expect(appendix.reports.first?.replaces == nil)
        #expect(appendix.reports.first?.resource["relatesTo"]?[0]?["code"]?.string == "appends")
        let transform = try Self.message(related: CDAHeaderTests.related("XFRM"))
        #expect(transform.reports.first?.status == "final")
        #expect(transform.reports.first?.resource["relatesTo"]?[0]?["code"]?.string == "transforms")
    }

    @Test func theDocumentReferenceShape() throws {
        let m = try Self.message()
        let doc = try #require(m.reports.first?.resource)
        #expect(doc["resourceType"]?.string == "DocumentReference")
        #expect(doc["status"]?.string == "current")
        #expect(doc["docStatus"]?.string == "final")
        #expect(doc["masterIdentifier"]?["system"]?.string == "urn:oid:2.16.840.1.113883.19.5")
        #expect(doc["masterIdentifier"]?["value"]?.string == "DOC-1")
        #expect(doc["type"]?["coding"]?[0]?["system"]?.string == "http://loinc.org")
        #expect(doc["type"]?["coding"]?[0]?["code"]?.string == "11488-4")
        #expect(doc["subject"]?["identifier"]?["value"]?.string == "9434765919")
        // 10:30 in July in Europe/London (no offset sent) is British Summer Time.
        #expect(doc["date"]?.string == "2024-07-15T10:30:00+01:00")
        #expect(doc["author"]?[0]?["display"]?.string == "Jo Doctor")
        #expect(doc["custodian"]?["display"]?.string == "Example Trust")
        #expect(doc["securityLabel"]?[0]?["coding"]?[0]?["code"]?.string == "N")
        let attachment = doc["content"]?[0]?["attachment"]
        #expect(attachment?["contentType"]?.string == "application/hl7-v3+xml")
        #expect(attachment?["data"] == nil)
        #expect(attachment?["title"]?.string == "Consult note")
    }

    @Test func timesWithoutOffsetUseTheChannelTimeZone() throws {
        let winter = try Self.message([("<effectiveTime value=\"20240715103000\"/>", "<effectiveTime value=\"20240115103000\"/>")])
        #expect(winter.reports.first?.resource["date"]?.string == "2024-01-15T10:30:00+00:00")
        var options = DecodeOptions()
        options.timeZone = "America/New_York"
        let newYork = try Self.message(options: options)
        #expect(newYork.reports.first?.resource["date"]?.string == "2024-07-15T10:30:00-04:00")
        let offset = try Self.message([("<effectiveTime value=\"20240715103000\"/>", "<effectiveTime value=\"201507221800-0500\"/>")])
        #expect(offset.reports.first?.resource["date"]?.string == "2015-07-22T18:00:00-05:00")
    }

    @Test func timestampsParseAndConvert() {
        #expect(HL7Timestamp("20141015103026-0500", syntax: .v3)?.fhirInstant(defaultZone: "Europe/London") == "2014-10-15T10:30:26-05:00")
        #expect(HL7Timestamp("20170101200000.123+0000", syntax: .v3)?.fhirInstant(defaultZone: "Europe/London") == "2017-01-01T20:00:00.123+00:00")
        #expect(HL7Timestamp("201701012000+00", syntax: .v3)?.hourOnlyOffset == true)
        #expect(HL7Timestamp("1967", syntax: .v3)?.fhirDateTime(defaultZone: "Europe/London") == "1967")
        #expect(HL7Timestamp("20140901", syntax: .v3)?.fhirInstant(defaultZone: "Europe/London") == nil)
        for bad in ["", "20", "2014-09-01", "20140230", "2014090125", "20140901+5", "200130311x"] {
            #expect(HL7Timestamp(bad, syntax: .v3) == nil, "\(bad)")
        }
    }

    @Test func identifiersNormalise() {
        let uuid = InstanceIdentifier(root: "A709A442-3CF4-476E-8377-376500E829C9")
        #expect(uuid.keyPart == "a709a442-3cf4-476e-8377-376500e829c9|")
        #expect(uuid.fhirIdentifier["value"]?.string == "urn:uuid:a709a442-3cf4-476e-8377-376500e829c9")
        #expect(InstanceIdentifier.isOID("2.16.840.1.113883.19"))
        #expect(!InstanceIdentifier.isOID("2.16.01"))
        #expect(!InstanceIdentifier.isOID("3.1"))
        #expect(!InstanceIdentifier.isUUID("A709A442-3CF4-476E-8377"))
    }

    /// The edges of the two forms of a root, checked by bytes: only ASCII digits and hex digits count.
    @Test func rootsAreOIDsOrUUIDsExactly() {
        for oid in ["0.0", "1.2", "2.16.840.1.113883.19", "2.0.10"] { #expect(InstanceIdentifier.isOID(oid), "\(oid)") }
        for notOID in ["", "2", "2.", ".2", "2..5", "02.5", "10.5", "2.5a", "2.\u{FF15}", "2.5\u{0301}", "\u{0662}.5", "2.5 "] {
            #expect(!InstanceIdentifier.isOID(notOID), "\(notOID)")
        }
        #expect(InstanceIdentifier.isUUID("a709a442-3cf4-476e-8377-376500e829c9"))
        for notUUID in ["a709a442-3cf4-476e-8377-376500e829c", "a709a442_3cf4-476e-8377-376500e829c9",
                        "g709a442-3cf4-476e-8377-376500e829c9", "{a709a442-3cf4-476e-8377-376500e829c9}",
                        "a709a442-3cf4-476e-8377-376500e829c\u{FF19}", "a709a442-3cf4-476e-8377-376500e829c9\u{0301}"] {
            #expect(!InstanceIdentifier.isUUID(notUUID), "\(notUUID)")
        }
    }
}
