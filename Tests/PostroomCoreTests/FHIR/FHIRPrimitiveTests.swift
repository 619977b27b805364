import Testing
@testable import PostroomCore

@Suite struct FHIRPrimitiveTests {
    @Test(arguments: [
        (FHIRPrimitive.date, "2023-02-29"), (.date, "2023-04-31"), (.dateTime, "2024-01-01T10:00:00"),
        (.instant, "2024-01-01"), (.string, ""), (.string, "   "), (.string, "a\u{01}b"), (.markdown, "\n"),
        (.code, ""), (.id, ""), (.uri, "has space"), (.url, ""), (.canonical, "a\tb"), (.xhtml, "plain text"),
        (.positiveInt, "0"), (.unsignedInt, "-1"), (.integer, "2147483648"), (.integer, "1e3"), (.decimal, "1.2.3"),
    ])
    func refusesMalformedValues(_ primitive: FHIRPrimitive, _ value: String) {
        #expect(primitive.formatProblem(value) != nil, "\(primitive.rawValue) \"\(value)\" should be refused")
    }

    @Test(arguments: [
        (FHIRPrimitive.date, "2024-02-29"), (.dateTime, "2024-01-01"), (.dateTime, "2015-02-07T13:28:17.239+02:00"),
        (.instant, "2015-02-07T13:28:17Z"), (.string, " padded "), (.markdown, "# Title\n\ntext"), (.code, "in-progress"),
        (.id, "example-pgx.1"), (.uri, "urn:uuid:x"), (.xhtml, "<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"),
        (.integer, "-2147483648"), (.positiveInt, "2147483647"), (.decimal, "0.0010"), (.time, "13:28:17"),
    ])
    func acceptsWellFormedValues(_ primitive: FHIRPrimitive, _ value: String) {
        #expect(primitive.formatProblem(value) == nil, "\(primitive.rawValue) \"\(value)\" should be accepted")
    }

    @Test func jsonKindsFollowTheSpecification() {
        #expect(FHIRPrimitive.boolean.jsonKind == .boolean)
        #expect(FHIRPrimitive.decimal.jsonKind == .number)
        #expect(FHIRPrimitive.positiveInt.jsonKind == .number)
        #expect(FHIRPrimitive.instant.jsonKind == .string)
    }
}
