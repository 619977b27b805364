import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// In a transaction without savepoints (`Store.writeElidingSavepoints`) the versions of several messages
/// share a view record (`ViewJournal.recordMessages`): fewer records and keys, the same answers by id and
/// after materialisation, and a materialisation batch bounded by versions, not records.
@Suite struct ViewRecordGroupingTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    func organization(_ n: Int) throws -> JSONValue {
        try json(#"{"resourceType":"Organization","name":"Lab \#(n)"}"#)
    }

    func name(_ v: JSONValue?) -> String? { v?["name"]?.string }

    /// Forty one-version messages without savepoints: ten records, read back by id inside the
    /// transaction (waiting, encoded or inserted) and after it, journalled and materialised.
    func writeMessages(_ count: Int) throws {
        _ = try t.store.writeElidingSavepoints { w in
            for n in 0..<count {
                try w.savepoint {
                    try w.putResource(type: "Organization", id: "o\(n)", resource: try organization(n), messageID: "m\(n)", at: at(0))
                }
                if n % 10 == 9 {
                    for k in 0...n { #expect(try name(w.reader.resource(type: "Organization", id: "o\(k)")) == "Lab \(k)", "o\(k)") }
                }
            }
        }
    }

    @Test func messagesWithoutSavepointsShareRecords() throws {
        try writeMessages(40)
        #expect(try t.read { try $0.pendingViewRecords() } == 40 / ViewJournal.recordMessages)
        func check() throws {
            try t.read { (r: StoreReader) throws in
                for n in 0..<40 { #expect(try name(r.resource(type: "Organization", id: "o\(n)")) == "Lab \(n)", "o\(n)") }
            }
        }
        try check()
        try t.store.materialiseView()
        try check()
        #expect(try t.read { try $0.resourceCounts() }.first { $0.type == "Organization" }?.count == 40)
    }

    @Test func aMaterialisationBatchStopsAtItsVersionsNotItsRecords() throws {
        try writeMessages(40)
        let perRecord = ViewJournal.recordMessages
        let first = try t.write { w in try w.materialiseRecords(limit: 96, entries: perRecord + 1) }
        #expect(first.taken == 2 && first.more, "\(first)")
        #expect(try t.read { try $0.pendingViewRecords() } == 40 / perRecord - 2)
        #expect(try t.store.materialiseView(batch: 1) == 40 / perRecord - 2)
        #expect(try t.read { try $0.pendingViewRecords() } == 0)
    }

    /// A transaction keeps the stored records it read decompressed; once it materialises them their seqs
    /// can be taken again, and a record inserted under one is read as itself, not as the one kept.
    @Test func aRecordMaterialisedInATransactionIsNotReadForTheOneThatTakesItsSeq() throws {
        try t.write { w in try w.putResource(type: "Organization", id: "a", resource: try organization(1), messageID: "m", at: at(0)) }
        try t.write { w in
            #expect(try name(w.reader.resource(type: "Organization", id: "a")) == "Lab 1")
            #expect(try w.materialiseRecords(limit: 96).taken == 1)
            try w.savepoint {
                try w.putResource(type: "Organization", id: "b", resource: try organization(2), messageID: "m", at: at(0))
            }
            try w.journal.writeRecords(w.db)
            #expect(try w.db.value(Int64.self, "SELECT MIN(seq) FROM view_record") == 1, "the seq was taken again")
            #expect(try name(w.reader.resource(type: "Organization", id: "b")) == "Lab 2")
        }
    }
}
