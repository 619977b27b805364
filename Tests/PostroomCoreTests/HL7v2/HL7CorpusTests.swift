import Foundation
import Testing
@testable import PostroomCore

/// Every file of the real-world corpus (shared/corpus/v2, copied into Fixtures) gets a defined outcome.
@Suite struct HL7CorpusTests {
    /// The expected outcome per file: `accepted`, `rejected:<first error code>` per message, or
    /// `file:<code>` when the file as a whole is rejected (unknown format, truncated batch, …).
    static let expected: [String: String] = [
         "hapi_adt_a03.txt": "rejected:unsupported-message-type",
         "hapi_adt_a17.xml": "file:format-not-accepted",
         "hapi_cv.04_001_chem.hl7": "rejected:unsupported-message-type",
         "hapi_example_oml_o21.hl7": "accepted,accepted,rejected:unsupported-message-type,rejected:unsupported-message-type,accepted,rejected:unsupported-message-type,accepted,rejected:unsupported-message-type,rejected:unsupported-message-type,accepted,rejected:required-field-missing,rejected:required-field-missing,accepted",
         "hapi_messages.txt": "file:unknown-format",
         "hapi_omd_o03.txt": "rejected:unsupported-message-type",
         "hapi_segmentfinder_a24.hl7": "rejected:unsupported-message-type",
         "hapi_xml-with-xxe.xml": "file:format-not-accepted",
         "lfh_ORU-multiline-short-mixed.hl7": "rejected:required-field-missing",
         "lfh_sample_win.hl7": "rejected:encoding-characters-invalid",
         "mirth_batch01.hl7": "rejected:unsupported-message-type,rejected:unsupported-message-type,rejected:unsupported-message-type",
         "mirth_test-hl7-batch-input.txt": "file:batch-truncated",
         "mscvt_ADT-A01-01.hl7": "rejected:unsupported-message-type",
         "mscvt_ADT-A40-01.hl7": "rejected:unsupported-message-type",
         "mscvt_ADT01-23.hl7": "rejected:unsupported-message-type",
         "mscvt_ADT04-251.hl7": "rejected:unsupported-message-type",
         "mscvt_BundleToHl7v2.hl7": "file:batch-count-mismatch",
         "mscvt_LAB-ORM-1.hl7": "accepted",
         "mscvt_LAB-ORU-1.hl7": "accepted",
         "mscvt_LRI_2.0-NG_CBC_Typ_Message.hl7": "accepted",
         "mscvt_MDHHS-OML-O21-1.hl7": "rejected:segment-sequence",
         "mscvt_MDM-T02-01.hl7": "rejected:unsupported-message-type",
         "mscvt_MDM_01.hl7": "rejected:unsupported-message-type",
         "mscvt_OML-O21-01.hl7": "accepted",
         "mscvt_OML-O21-02.hl7": "rejected:segment-sequence",
         "mscvt_OML-O21-03.hl7": "rejected:required-field-missing",
         "mscvt_ORM-O01-01.hl7": "accepted",
         "mscvt_ORM-O01-02.hl7": "accepted",
         "mscvt_ORU-R01-01.hl7": "accepted",
         "mscvt_ORU-R01-RMGEAD.hl7": "accepted",
         "mscvt_OUL-R22-01.hl7": "rejected:unsupported-message-type",
         "mscvt_PC1-Problem-Add-v2.3.1.hl7": "rejected:unsupported-message-type",
         "mscvt_REF-I12-01.hl7": "accepted",
         "mscvt_REF-I12-02.hl7": "accepted",
         "mscvt_REF-I14-01.hl7": "rejected:unsupported-event",
         "mscvt_SIU-S12-01.hl7": "rejected:unsupported-message-type",
         "mscvt_VXU-V04-01.hl7": "rejected:unsupported-message-type",
         "nhapi_hang1": "rejected:encoding-characters-invalid",
         "nhapi_id_000014_sig_02_src_000480_000349_op_splice_rep_32": "file:unknown-format",
         "nhapi_id_000064_sig_02_src_000051_000380_op_splice_rep_16": "rejected:encoding-characters-invalid",
         "nhapi_id_000118_sig_02_src_001039_002153_op_splice_rep_16": "rejected:encoding-characters-invalid",
         "nhapi_nullref1": "rejected:msh-invalid",
         "nhapi_regex1": "rejected:encoding-characters-invalid",
         "nhapi_so5": "rejected:encoding-characters-invalid",
         "nhapi_stackoverflow1": "rejected:encoding-characters-invalid",
         "nhapi_sys2": "rejected:encoding-characters-invalid",
         "nhslab_pathology_2.edifact.dat": "file:unknown-format",
         "nhslab_pathology_IAF_regex.nhsack.dat": "file:unknown-format",
         "prs_Expected_HL7_to_HL7_ELIMS.hl7": "accepted",
         "prs_batch_message.hl7": "rejected:order-number-mismatch,rejected:order-number-mismatch",
         "prs_test-0001-input-covid-19.hl7": "file:batch-count-mismatch",
         "ti_001_ADT_A01.hl7": "rejected:unsupported-message-type",
         "ti_001_Epic_ORM_O01.hl7": "rejected:segment-sequence",
         "ti_001_Natus_ACK.hl7": "accepted",
         "ti_001_Ochsner_OML_O21_0_initial_message.hl7": "accepted",
         "ti_001_Oracle_ORM_O01.hl7": "rejected:table-value",
         "ti_001_Staging_ORM_O01_short_linked_to_002_ORU.hl7": "rejected:unsupported-processing-id",
         "ti_001_TN_ORU_R01_LRI.hl7": "rejected:order-number-mismatch",
         "ti_001_TX_OML_O21.hl7": "rejected:segment-id-invalid",
         "ti_002_1_ORU_R01_short_linked_to_003_ORM_O01_short.hl7": "accepted",
         "ti_002_MN_OML_O21_NBS.hl7": "rejected:segment-sequence",
         "ti_002_Natus_ORU_R01_NBS.hl7": "rejected:required-field-missing",
         "ti_002_Staging_ORU_O01_short_linked_to_001_ORM.hl7": "rejected:unsupported-processing-id",
         "ti_003_1_ORM_O01_short_linked_to_002_ORU_R01_short.hl7": "accepted",
         "ti_003_CA_ORU_R01_CDPH_produced_0_initial_message.hl7": "rejected:required-field-missing",
         "ti_003_CA_ORU_R01_CDPH_produced_3_hl7_translation_final.hl7": "rejected:required-field-missing",
         "ti_003_LA_ORU_R01_NBS_obr_flatten_0_initial_message.hl7": "accepted",
         "ti_004_Oracle_ORU_R01.hl7": "rejected:order-number-mismatch",
         "ti_005_AL_ORU_R01_NBS_Simplified_0_initial_message.hl7": "file:batch-truncated",
         "ti_005_MN_ADT_A01.hl7": "rejected:unsupported-message-type",
         "ti_008_ORU_R01_micro_character_encoding.hl7": "rejected:unsupported-processing-id",
         "ti_011_AL_ORM_O01_malformed_DTM_datatype_0_initial_message.hl7": "rejected:data-type",
         "ti_012_AL_ORM_O01_malformed_XAD_datatype_0_initial_message.hl7": "accepted",
         "ti_empty.hl7": "file:empty-file",
         "ti_msh-12_has_value_2_3.hl7": "rejected:segment-missing",
         "ti_msh_present_but_missing_all_fields.hl7": "rejected:encoding-characters-invalid",
         "ti_msh_present_but_missing_msh-10.hl7": "rejected:required-field-missing",
         "ti_msh_present_but_missing_msh-2.hl7": "rejected:encoding-characters-invalid",
         "ti_msh_present_but_missing_msh-9.hl7": "rejected:required-field-missing",
    ]

    @Test func everyCorpusFileHasItsExpectedOutcome() {
        let names = HL7Fixtures.corpusNames
        #expect(names.count == 79)
        #expect(Set(names) == Set(Self.expected.keys))
        for name in names {
            let bytes = HL7Fixtures.corpusFile(name)
            let start = ContinuousClock.now
            let drop = Decoder.decode(bytes, accepting: [.hl7v2])
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < .seconds(1), "\(name) took \(elapsed)")
            #expect(HL7Fixtures.outcome(drop) == Self.expected[name], "\(name)")
        }
    }

    @Test func everyAnswerableMessageGetsAnAckThatEchoesItsControlID() {
        let env = AckEnvironment(makeID: { "ACK1" })
        for name in HL7Fixtures.corpusNames {
            let drop = Decoder.decode(HL7Fixtures.corpusFile(name), accepting: [.hl7v2])
            for m in drop.messages {
                guard case .hl7v2(let ctx) = m.answer else { Issue.record("\(name): no v2 answer"); continue }
                let result = MessageResult(disposition: m.issues.hasErrors ? .rejected : .accepted, issues: m.issues)
                let bytes = HL7AckBuilder.acknowledgement(for: ctx, result: result, env: env)
                if ctx.isAcknowledgement { #expect(bytes.isEmpty); continue }
                if bytes.isEmpty {
                    // Enhanced mode may ask for nothing (MSH-15/16 NE, ER or SU).
                    #expect(!ctx.acceptAckType.isEmpty || !ctx.applicationAckType.isEmpty, "\(name): no ACK in original mode")
                    continue
                }
                guard case .success(let (ack, issues)) = HL7Message.parse(bytes) else { Issue.record("\(name): ACK does not parse: \(String(decoding: bytes.prefix(80), as: UTF8.self))"); continue }
                #expect(!issues.hasErrors || ctx.encodingCharacters != "^~\\&", "\(name): \(issues.map(\.code))")
                #expect(ack.first("MSA")?.field(2).raw == ctx.controlID, "\(name)")
                let code = ack.first("MSA")?.text(1) ?? ""
                #expect(code == HL7AckPolicy.applicationCode(result) || code == HL7AckPolicy.commitCode(result), "\(name)")
            }
            if let batch = drop.batch {
                let results = drop.messages.map { MessageResult(disposition: $0.issues.hasErrors ? .rejected : .accepted, issues: $0.issues) }
                let file = HL7AckBuilder.batchAcknowledgement(batch: batch, messages: drop.messages, results: results,
                                                             fileIssues: drop.issues, errorsOnly: false, env: env)
                let back = HL7v2Decoder.decode(file.bytes, options: DecodeOptions())
                #expect(back.issues.isEmpty, "\(name): \(back.issues.map(\.code))")
                #expect(back.messages.allSatisfy { $0.type == "ACK" }, "\(name)")
            }
        }
    }

    @Test func chunkedScanningAgreesOnEveryCorpusFile() {
        for name in HL7Fixtures.corpusNames where PayloadFormat.sniff(HL7Fixtures.corpusFile(name)) == .hl7v2 {
            let bytes = HL7Fixtures.corpusFile(name)
            var whole = HL7BatchScanner(terminator: HL7Segmenter.terminator(for: bytes))
            let expected = whole.push(bytes) + whole.finish()
            var chunked = HL7BatchScanner(terminator: HL7Segmenter.terminator(for: bytes))
            var got: [[UInt8]] = []
            var i = 0
            while i < bytes.count { got += chunked.push(bytes[i..<min(i + 13, bytes.count)]); i += 13 }
            got += chunked.finish()
            #expect(got == expected, "\(name)")
            #expect(chunked.envelope == whole.envelope, "\(name)")
        }
    }

    /// The Applier rewrites no reference by walking the trees of a report whose reader says its only
    /// references are its `result`, one per Observation in order (`ReportFacts.referencesOnlyResults`):
    /// so it must be so in every result of the corpus.
    @Test func v2ResultsReferenceOnlyTheirObservations() {
        var checked = 0
        for name in HL7Fixtures.corpusNames {
            for m in Decoder.decode(HL7Fixtures.corpusFile(name), accepting: [.hl7v2]).messages {
                for report in m.reports where report.referencesOnlyResults {
                    for o in report.observations {
                        #expect(!Self.holdsReference(o), "\(name): \(JSONWriter().string(o))")
                        checked += 1
                    }
                    var rest = report.resource.object ?? JSONObject()
                    let results = rest["result"]?.array ?? []
                    rest["result"] = nil
                    #expect(!Self.holdsReference(.object(rest)), "\(name)")
                    #expect(results.map { $0["reference"]?.string } == report.observations.map { "Observation/" + ($0["id"]?.string ?? "?") }, "\(name)")
                    #expect(results.allSatisfy { $0.object?.members.count == 1 }, "\(name)")
                }
            }
        }
        #expect(checked > 20)
    }

    /// What every corpus file maps to (each message's requests, and its reports with their Observations,
    /// as JSON text) and the issues its reading records (in order) are what they were when
    /// `Fixtures/hl7v2/mapping.txt` was written — by the code before Observations were built only when
    /// stored (`DeferredResource`). One line per file: its name, how many resources, a 64-bit FNV-1a hash
    /// of their JSON text, one of its issues. `POSTROOM_WRITE_MAPPING=<path>` writes the lines of the code
    /// under test to `path` instead, for a deliberate change of the mapping (and fails, so that it is
    /// never left set).
    @Test func everyCorpusFileMapsAsItDidBefore() throws {
        func fnv(_ bytes: [UInt8]) -> String {
            String(bytes.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }, radix: 16)
        }
        var lines: [String] = []
        for name in HL7Fixtures.corpusNames {
            var text: [UInt8] = [], issues: [UInt8] = []
            var count = 0
            let decoded = Decoder.decode(HL7Fixtures.corpusFile(name), accepting: [.hl7v2])
            for i in decoded.issues { issues += Array("\(i.severity)|\(i.code)|\(i.location ?? "")|\(i.text)\n".utf8) }
            for m in decoded.messages {
                for i in m.issues { issues += Array("\(m.index)|\(i.severity)|\(i.code)|\(i.location ?? "")|\(i.text)\n".utf8) }
                for r in m.requests { JSONWriter().append(r.resource, to: &text); count += 1 }
                for r in m.reports {
                    JSONWriter().append(r.resource, to: &text)
                    for o in r.observations { JSONWriter().append(o, to: &text) }
                    count += 1 + r.observations.count
                }
            }
            lines.append("\(name)\t\(count)\t\(fnv(text))\t\(fnv(issues))")
        }
        if let path = ProcessInfo.processInfo.environment["POSTROOM_WRITE_MAPPING"] {
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("POSTROOM_WRITE_MAPPING is set: the mapping was written to \(path), not checked")
            return
        }
        let expected = try String(contentsOf: HL7Fixtures.folder.appendingPathComponent("mapping.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(lines.count > 50)
        #expect(lines.filter { $0.split(separator: "\t")[1] != "0" }.count > 20)
        #expect(lines == expected)
    }

    static func holdsReference(_ v: JSONValue) -> Bool {
        switch v {
        case .object(let o): o.members.contains { $0.key == "reference" || holdsReference($0.value) }
        case .array(let a): a.contains(where: holdsReference)
        default: false
        }
    }

    @Test func linkedOrderAndResultShareTheirKeys() throws {
        let order = Decoder.decode(HL7Fixtures.corpusFile("ti_003_1_ORM_O01_short_linked_to_002_ORU_R01_short.hl7"), accepting: [.hl7v2])
        let result = Decoder.decode(HL7Fixtures.corpusFile("ti_002_1_ORU_R01_short_linked_to_003_ORM_O01_short.hl7"), accepting: [.hl7v2])
        let request = try #require(order.messages.first?.requests.first)
        let report = try #require(result.messages.first?.reports.first)
        #expect(!Set(request.keys).isDisjoint(with: report.requestKeys))
        #expect(request.event == .new)
    }
}
