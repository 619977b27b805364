import Foundation
import PostroomCore
@testable import PostroomStore
import Synchronization
import Testing

/// View records are encoded off the writer thread (`ViewRecordEncoder`) and inserted outside savepoints:
/// what commits must be exactly what the savepoints that committed wrote, readable inside the
/// transaction and after it, journalled and materialised.
@Suite struct ViewRecordEncoderTests {
    struct Boom: Error {}
    let t: TempStore
    init() throws { t = try TempStore() }

    func organization(_ n: Int) throws -> JSONValue {
        try json(#"{"resourceType":"Organization","name":"Lab \#(n)","identifier":[{"system":"urn:x","value":"\#(n)"}]}"#)
    }

    func name(_ v: JSONValue?) -> String? { v?["name"]?.string }

    /// Savepoints, one a resource; every seventh rolls back after its record was flushed. The rest are
    /// read back inside the transaction (while records wait to be encoded or inserted) and after it.
    @Test func rolledBackSavepointsLeaveNoRecordAndTheOthersKeepTheirs() throws {
        let count = 400
        try t.write { w in
            for n in 0..<count {
                let body = { () throws -> Void in
                    try w.putResource(type: "Organization", id: "o\(n)", resource: try organization(n), messageID: "m\(n)", at: at(0))
                    if n % 7 == 3 { throw Boom() }
                }
                if n % 7 == 3 { #expect(throws: Boom.self) { try w.savepoint(body) } } else { try w.savepoint(body) }
                if n % 50 == 49 {
                    for k in stride(from: 0, through: n, by: 10) {
                        #expect(try name(w.reader.resource(type: "Organization", id: "o\(k)")) == (k % 7 == 3 ? nil : "Lab \(k)"))
                    }
                }
            }
        }
        func check() throws {
            try t.read { (r: StoreReader) throws in
                for n in 0..<count {
                    #expect(try name(r.resource(type: "Organization", id: "o\(n)")) == (n % 7 == 3 ? nil : "Lab \(n)"), "o\(n)")
                }
            }
        }
        try check()
        let kept = (0..<count).filter { $0 % 7 != 3 }.count
        #expect(try t.read { try $0.pendingViewRecords() } == kept)
        try t.store.materialiseView()
        try check()
        #expect(try t.read { try $0.resourceCounts() }.first { $0.type == "Organization" }?.count == kept)
    }

    /// A savepoint rolled back, then one that commits, fifty times over: the record forgotten never
    /// stands for the next one, whichever the encoder thread had reached.
    @Test func aRecordAfterARollbackCarriesItsOwnEntries() throws {
        try t.write { w in
            for round in 0..<50 {
                #expect(throws: Boom.self) {
                    try w.savepoint {
                        try w.putResource(type: "Organization", id: "gone\(round)", resource: try organization(-round), messageID: "x", at: at(0))
                        throw Boom()
                    }
                }
                try w.savepoint {
                    try w.putResource(type: "Organization", id: "kept\(round)", resource: try organization(round), messageID: "y", at: at(0))
                }
            }
        }
        try t.store.materialiseView()
        try t.read { (r: StoreReader) throws in
            for round in 0..<50 {
                #expect(try r.resource(type: "Organization", id: "gone\(round)") == nil)
                #expect(try name(r.resource(type: "Organization", id: "kept\(round)")) == "Lab \(round)")
            }
        }
    }

    /// A transaction that fails after many records were encoded and inserted leaves none of them.
    @Test func aFailedTransactionLeavesNoRecord() throws {
        #expect(throws: Boom.self) {
            try t.write { w in
                for n in 0..<100 {
                    try w.savepoint {
                        try w.putResource(type: "Organization", id: "o\(n)", resource: try organization(n), messageID: "m", at: at(0))
                    }
                }
                throw Boom()
            }
        }
        #expect(try t.read { try $0.pendingViewRecords() } == 0)
        try t.write { w in try w.putResource(type: "Organization", id: "after", resource: try organization(1), messageID: "m", at: at(0)) }
        #expect(try name(t.read { try $0.resource(type: "Organization", id: "after") }) == "Lab 1")
        #expect(try t.read { try $0.resource(type: "Organization", id: "o5") } == nil)
    }

    /// Records are inserted outside every savepoint: one inserted inside an outer savepoint that then
    /// rolls back would be lost with it, though the savepoint that wrote it committed.
    @Test func recordsOfCommittedSavepointsSurviveAnOuterSavepointRolledBack() throws {
        try t.write { w in
            for n in 0..<(ViewRecordEncoder.chunk * 3) {
                try w.savepoint {
                    try w.putResource(type: "Organization", id: "o\(n)", resource: try organization(n), messageID: "m", at: at(0))
                }
            }
            usleep(200_000)  // the encoder thread has encoded them: they wait to be inserted
            #expect(throws: Boom.self) {
                try w.savepoint {
                    try w.savepoint {
                        try w.putResource(type: "Organization", id: "inner", resource: try organization(99), messageID: "m", at: at(0))
                    }
                    throw Boom()
                }
            }
        }
        try t.read { (r: StoreReader) throws in
            for n in 0..<(ViewRecordEncoder.chunk * 3) {
                #expect(try name(r.resource(type: "Organization", id: "o\(n)")) == "Lab \(n)")
            }
            #expect(try r.resource(type: "Organization", id: "inner") == nil)
        }
    }

    /// A resource given as how to build it (`DeferredResource`, an HL7 v2 Observation) is stored exactly
    /// as the resource it builds would be: the same JSON read by id inside the transaction (from records
    /// waiting to be encoded or inserted, built on the writer's thread), once encoded (built on the
    /// encoder's), and materialised; one in a savepoint rolled back is never stored.
    @Test func aDeferredResourceIsStoredAsTheResourceItBuilds() throws {
        let count = 60
        func json(_ r: StoreReader, _ id: String) throws -> [UInt8]? {
            try r.resource(type: "Organization", id: id).map { JSONWriter().bytes($0) }
        }
        try t.write { w in
            for n in 0..<count {
                let tree = try organization(n)
                let body = { () throws -> Void in
                    try w.putResource(type: "Organization", id: "t\(n)", resource: tree, messageID: "m\(n)", at: at(0))
                    try w.putResource(type: "Organization", id: "d\(n)", deferred: DeferredResource { tree }, messageID: "m\(n)", at: at(0))
                    if n % 9 == 4 { throw Boom() }
                }
                if n % 9 == 4 { #expect(throws: Boom.self) { try w.savepoint(body) } } else { try w.savepoint(body) }
                if n % 10 == 9 {
                    for k in stride(from: 0, through: n, by: 3) {
                        let expected: [UInt8]? = k % 9 == 4 ? nil : Self.renamed(try #require(try json(w.reader, "t\(k)")), k)
                        #expect(try json(w.reader, "d\(k)") == expected, "d\(k) inside the transaction")
                    }
                }
            }
        }
        func check() throws {
            try t.read { (r: StoreReader) throws in
                for n in 0..<count {
                    let expected: [UInt8]? = n % 9 == 4 ? nil : Self.renamed(try #require(try json(r, "t\(n)")), n)
                    #expect(try json(r, "d\(n)") == expected, "d\(n)")
                }
            }
        }
        try check()
        try t.store.materialiseView()
        try check()
    }

    /// An HL7 v2 result's Observations go into view records as recipes (their segments, not their
    /// JSON): read by id inside the transaction, once the record is encoded, after the commit and
    /// materialised, each is exactly the resource its recipe's mapping builds, stored as a tree would be.
    @Test func aV2ObservationWrittenAsItsRecipeReadsAsTheResourceItBuilds() throws {
        let segments = [
            "MSH|^~\\&|LAB|FAC|PR|TR|20240312101500||ORU^R01|C1|P|2.5.1", "PID|1||9434765919^^^NHS^NH||SMITH^JANE",
            "OBR|1|P1^EPR||X^Y^LN|||20240312090000||||||||||||||||||F",
            "OBX|1|NM|C^Cholesterol^LN||5.2|mmol/L^mmol/L^UCUM|3-5|H|||F", "NTE|1||fasting",
            "OBX|2|ST|D^Comment^LN||caf\\E\\ text||||||F",
        ]
        let message = Decoder.decode(Array(segments.joined(separator: "\r").utf8), accepting: [.hl7v2]).messages[0]
        let observations = try #require(message.reports.first?.deferredObservations)
        #expect(observations.count == 2 && observations.allSatisfy(\.hasRecipe))
        func json(_ r: StoreReader, _ id: String) throws -> [UInt8]? {
            try r.resource(type: "Observation", id: id).map { JSONWriter().bytes($0) }
        }
        let count = 40
        try t.write { w in
            for n in 0..<count {
                for (k, d) in observations.enumerated() {
                    let given = d.settingReference("subject", to: "Patient/p\(n)")
                    try w.putResource(type: "Observation", id: "t\(n)-\(k)", resource: given.build(), messageID: "m\(n)", at: at(0))
                    try w.putResource(type: "Observation", id: "d\(n)-\(k)", deferred: given, messageID: "m\(n)", at: at(0))
                }
                let k = n % observations.count
                #expect(try json(w.reader, "d\(n)-\(k)") == Self.renamed(try #require(try json(w.reader, "t\(n)-\(k)")), "\(n)-\(k)"))
            }
        }
        func check() throws {
            try t.read { (r: StoreReader) throws in
                for n in 0..<count {
                    for k in observations.indices {
                        let expected = Self.renamed(try #require(try json(r, "t\(n)-\(k)")), "\(n)-\(k)")
                        #expect(try json(r, "d\(n)-\(k)") == expected, "d\(n)-\(k)")
                    }
                }
            }
        }
        try check()
        try t.store.materialiseView()
        try check()
    }

    /// An entry built from a recipe carries the tree its JSON is written from (`builtViewEntry`), which
    /// materialising and reads use instead of parsing: that tree must be exactly the JSON parsed, and the
    /// JSON exactly what `writeJSON` writes, whatever members the resource has (a meta of its own or not,
    /// repeated or missing `resourceType`, `id` and `meta`).
    @Test func aBuiltEntrysTreeIsItsJSONParsed() throws {
        var bodies = try [
            #"{"resourceType":"Observation","id":"x","status":"final","code":{"text":"a"}}"#,
            #"{"status":"final","meta":{"profile":["p"],"versionId":"9"},"note":[{"text":"é \u0001"}]}"#,
            #"{"value":1.50,"meta":{"tag":[]},"resourceType":"X"}"#,
            #"{}"#,
        ].map { try #require(try json($0).object) }
        // Repeated members (no parsed text has them; a tree may): only the first of each is replaced.
        bodies.append(JSONObject([.init("id", "a"), .init("id", "b"), .init("meta", .object(JSONObject())), .init("meta", "m"),
                                  .init("resourceType", "X"), .init("resourceType", "Y")]))
        var compared = 0
        for body in bodies {
            let text = String(decoding: JSONWriter().bytes(.object(body)), as: UTF8.self)
            let entry = JournalEntry(type: "Observation", id: "o1", version: 3, lastUpdated: at(2), messageID: nil, body: .tree(body))
            var direct: [UInt8] = []
            entry.writeJSON(into: &direct)
            let built = entry.builtViewEntry
            #expect(built.json == direct, "\(text)")
            if let parsed = try? JSONParser().parse(direct) {
                #expect(built.tree == parsed, "\(text)")
                compared += 1
            }
            #expect(built == entry.viewEntry)
        }
        #expect(compared == 4, "every body without repeated members parses")
    }

    /// The writer does not wait for the encoder's thread at the end of a transaction: with that thread
    /// stalled, `finish` encodes what is left itself and returns every record once, in seq order, each
    /// holding exactly its own entries; what the thread had queued then finds nothing left to do.
    @Test func finishEncodesWhatTheStalledThreadHasNotReached() throws {
        let encoder = ViewRecordEncoder()
        let batch = encoder.batch()
        let stalled = DispatchSemaphore(value: 0), resumed = DispatchSemaphore(value: 0)
        encoder.queue.async { stalled.signal(); resumed.wait() }
        stalled.wait()
        let count = 41
        for n in 0..<count {
            let entries = (0...(n % 3)).map { k in
                JournalEntry(type: "Organization", id: "o\(n)-\(k)", version: 1, lastUpdated: "2026-12-07T00:00:00Z",
                             messageID: "m\(n)", body: .tree(try! organization(n * 10 + k).object!))
            }
            batch.submit(seq: Int64(1_000 - n * 7), messageID: "m\(n)", entries: entries)
        }
        let records = try Self.finish(batch, of: encoder, thenLetGo: resumed, "finish waited for the encoder's thread")
        #expect(records.map(\.seq) == (0..<count).map { Int64(1_000 - $0 * 7) }.sorted())
        for (seq, messageID, data) in records {
            let n = (1_000 - Int(seq)) / 7
            #expect(messageID == "m\(n)")
            let entries = try #require(ViewRecord.decode(ViewCompressor.decompress(data)))
            #expect(entries.map(\.id) == (0...(n % 3)).map { "o\(n)-\($0)" })
            #expect(entries.map { name(try? json(String(decoding: $0.json, as: UTF8.self))) } == (0...(n % 3)).map { "Lab \(n * 10 + $0)" })
        }
        #expect(try batch.takeEncoded().isEmpty, "nothing encoded twice is left behind")
    }

    /// A record the encoder's thread is in the middle of when the transaction ends is encoded by the writer
    /// too: `finish` returns it (once, with its entries) without waiting, and the thread's later result is
    /// dropped rather than left behind for the next take.
    @Test func finishEncodesTheRecordTheThreadIsInTheMiddleOf() throws {
        let encoder = ViewRecordEncoder()
        let inside = DispatchSemaphore(value: 0), resumed = DispatchSemaphore(value: 0)
        let first = Mutex(true)
        encoder.tookRecord = {
            guard first.withLock({ f in defer { f = false }; return f }) else { return }
            inside.signal()
            resumed.wait()
        }
        let batch = encoder.batch()
        for n in 0..<ViewRecordEncoder.chunk {
            let entry = JournalEntry(type: "Organization", id: "o\(n)", version: 1, lastUpdated: "2026-12-07T00:00:00Z",
                                     messageID: "m\(n)", body: .tree(try organization(n).object!))
            batch.submit(seq: Int64(n + 1), messageID: "m\(n)", entries: [entry])
        }
        // The chunk went to the thread, which has taken its first record and is held there.
        #expect(inside.wait(timeout: .now() + 10) == .success, "the encoder's thread took a record")
        let records = try Self.finish(batch, of: encoder, thenLetGo: resumed,
                                      "finish waited for the record the encoder's thread was in the middle of")
        #expect(records.map(\.seq) == (1...Int64(ViewRecordEncoder.chunk)).map { $0 })
        for (seq, _, data) in records {
            let entries = try #require(ViewRecord.decode(ViewCompressor.decompress(data)))
            #expect(entries.map(\.id) == ["o\(seq - 1)"])
        }
        #expect(try batch.takeEncoded().isEmpty, "the thread's late result is not kept")
    }

    /// `batch.finish()` on a thread of its own, expected back within 10 s while the encoder's thread is held
    /// (so that a finish waiting for that thread fails here instead of hanging); then the thread is let go
    /// (`release`) and its queue drained.
    static func finish(_ batch: ViewRecordEncoder.Batch, of encoder: ViewRecordEncoder, thenLetGo release: DispatchSemaphore,
                       _ waited: Comment) throws -> [(seq: Int64, messageID: String?, data: [UInt8])] {
        let result = Mutex<Result<[(seq: Int64, messageID: String?, data: [UInt8])], any Error>?>(nil)
        let returned = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            result.withLock { $0 = Result { try batch.finish() } }
            returned.signal()
        }
        let inTime = returned.wait(timeout: .now() + 10) == .success
        release.signal()
        #expect(inTime, waited)
        if !inTime { returned.wait() }
        encoder.queue.sync {}
        return try #require(result.withLock { $0 }).get()
    }

    /// The JSON of `t<n>` as that of `d<n>` (the ids differ, nothing else may).
    static func renamed(_ json: [UInt8], _ n: some CustomStringConvertible) -> [UInt8] {
        Array(String(decoding: json, as: UTF8.self).replacingOccurrences(of: "\"id\":\"t\(n)\"", with: "\"id\":\"d\(n)\"").utf8)
    }
}
