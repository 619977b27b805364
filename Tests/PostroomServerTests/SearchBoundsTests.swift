import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import PostroomCore
import Testing

/// DESIGN.md §3.8 for `serve`: no request stops it. Numbers that would overflow the paging arithmetic,
/// and searches too wide for SQLite, are a 400 OperationOutcome, and the server answers the next request.
@Suite struct SearchBoundsTests {
    @Test func outOfRangePagingNumbersAreA400NotACrash() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            for uri in ["/Observation?_offset=9223372036854775807", "/Task?_offset=9223372036854775807&_count=100",
                        "/Task?_offset=1000000001", "/Task?_count=9223372036854775807", "/Task?_count=99999999999999999999999",
                        "/Task?_offset=99999999999999999999999"] {
                let r = try await c.get(uri)
                #expect(r.status == .badRequest, "\(uri): \(r.text)")
                let o = try outcome(r)
                #expect(o.type == "invalid" && o.code == "search-value-invalid", "\(uri): \(o)")
                #expect(r.text.contains("at most 1000000000"), "\(uri)")
            }
            // At the bound: an empty page, with a previous link and no next one.
            let edge = try await c.get("/Observation?_offset=1000000000&_count=100")
            #expect(edge.status == .ok, "\(edge.text)")
            #expect(try edge.json().entries().isEmpty && edge.json().link("next") == nil)
            #expect(try await c.get("/Task").status == .ok)
        }
    }

    @Test func aThousandAlternativesAreRefusedWithA400() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            let many = (0..<1000).map { "ORD\($0)" }.joined(separator: ",")
            let cases = ["/ServiceRequest?identifier=\(many)",
                         "/Observation?subject:identifier=\((0..<1000).map { "sys|\($0)" }.joined(separator: ","))",
                         "/Task?focus=\((0..<1000).map { "ServiceRequest/r\($0)" }.joined(separator: ","))",
                         "/ServiceRequest?authored=\((0..<1000).map { _ in "ge2026" }.joined(separator: ","))"]
            for uri in cases {
                let r = try await c.get(uri)
                #expect(r.status == .badRequest, "\(uri.prefix(40)): \(r.text)")
                let o = try outcome(r)
                #expect(o.type == "too-costly" && o.code == "search-too-many-alternatives", "\(o)")
            }
            // Counted across parameters: 300 + 300 is too many, 200 + 200 is not.
            let half = (0..<300).map { "X\($0)" }.joined(separator: ",")
            #expect(try await c.get("/ServiceRequest?identifier=\(half)&identifier=\(half)").status == .badRequest)
            let fine = (0..<200).map { "X\($0)" }.joined(separator: ",")
            let ok = try await c.get("/ServiceRequest?identifier=\(fine)&identifier=\(fine)")
            #expect(ok.status == .ok, "\(ok.text)")
        }
    }

    /// The real `postroom serve` process stays up after the requests that used to crash it.
    @Test func theServeProcessSurvivesAnOverflowingOffset() async throws {
        let binary = try #require(BrowserTests.postroomBinary, "build the executable first: swift build --build-tests")
        let data = try SampleData()
        let serve = try BrowserTests.ServeProcess(binary: binary, config: data.root + "/pipeline.json")
        defer { _ = serve.stop() }
        let base = "http://127.0.0.1:\(serve.port)"
        let overflow = try await Self.get(base + "/Observation?_offset=9223372036854775807")
        #expect(overflow.status == 400, "\(overflow.body)")
        let wide = try await Self.get(base + "/ServiceRequest?identifier=" + (0..<1000).map { "ORD\($0)" }.joined(separator: ","))
        #expect(wide.status == 400, "\(wide.body)")
        #expect(serve.process.isRunning)
        #expect(try await Self.get(base + "/Task").status == 200)
    }

    static func get(_ url: String) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.setValue("Bearer \(testToken)", forHTTPHeaderField: "Authorization")
        let (body, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: body, as: UTF8.self))
    }
}
