import Foundation
import Testing
@testable import PostroomCore

@Suite struct FHIRSpecTests {
    let spec = FHIRSpec.r4

    @Test func loadsEveryR4ResourceAndDatatype() {
        #expect(spec.resourceTypes.count == 146)
        #expect(spec.unresolvedTypes.isEmpty)
        for name in ["Task", "ServiceRequest", "DiagnosticReport", "Bundle", "MessageHeader", "Observation", "Patient",
                     "OperationOutcome", "DocumentReference", "Composition", "Parameters", "Questionnaire", "Quantity", "Identifier"] {
            #expect(spec.typeIndex[name] != nil, "\(name) is missing")
        }
        #expect(!spec.resourceTypes.contains("Quantity"))
        #expect(!spec.resourceTypes.contains("DomainResource"))
    }

    @Test func everyPrimitiveOfTheTablesHasAMatcher() {
        #expect(spec.primitiveRegexes.count == FHIRPrimitive.allCases.count)
        for name in spec.primitiveRegexes.keys {
            #expect(FHIRPrimitive(rawValue: name) != nil, "no matcher for \(name)")
        }
    }

    @Test func taskHasItsR4ElementsWithCardinalitiesAndBindings() throws {
        let task = try #require(spec.resource("Task"))
        let status = try #require(task.elementIndex["status"].map { task.elements[$0] })
        #expect(status.min == 1 && status.max == 1)
        let vs = spec.valueSets[status.valueSet]
        #expect(vs.isChecked)
        #expect(vs.codes == ["draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress",
                             "on-hold", "failed", "completed", "entered-in-error"])
        // Inherited from Resource and DomainResource.
        for name in ["id", "meta", "implicitRules", "language", "text", "contained", "extension", "modifierExtension"] {
            #expect(task.elementIndex[name] != nil, "Task.\(name)")
        }
        let intent = try #require(task.elementIndex["intent"].map { task.elements[$0] })
        #expect(spec.valueSets[intent.valueSet].codes.contains("order"))
        #expect(!spec.valueSets[intent.valueSet].codes.contains("directive"))
        #expect(task.requiredSlotPaths == ["Task.status", "Task.intent"])
    }

    @Test func choiceTypesAreExpandedPerType() throws {
        let task = try #require(spec.resource("Task"))
        guard let inputIndex = task.elementIndex["input"], case .structure(let s) = task.elements[inputIndex].kind else {
            Issue.record("Task.input is not a backbone element")
            return
        }
        let input = spec.structures[s]
        #expect(input.name == "Task.input")
        #expect(input.elementIndex["valueReference"] != nil)
        #expect(input.elementIndex["valueString"] != nil)
        #expect(input.elementIndex["valueMeta"] != nil)
        #expect(input.elementIndex["value"] == nil)
        #expect(input.elementIndex["modifierExtension"] != nil)
        #expect(input.requiredSlotPaths == ["Task.input.type", "Task.input.value[x]"])
    }

    @Test func contentReferencesShareTheReferencedStructure() throws {
        let q = try #require(spec.resource("Questionnaire"))
        guard let i = q.elementIndex["item"], case .structure(let item) = q.elements[i].kind else {
            Issue.record("Questionnaire.item missing")
            return
        }
        let nested = spec.structures[item]
        guard let j = nested.elementIndex["item"], case .structure(let again) = nested.elements[j].kind else {
            Issue.record("Questionnaire.item.item missing")
            return
        }
        #expect(again == item)
    }

    @Test func resourceIdIsAnIdAndElementIdAString() throws {
        let task = try #require(spec.resource("Task"))
        guard case .primitive(.id) = task.elements[task.elementIndex["id"] ?? 0].kind else {
            Issue.record("Task.id should be an id")
            return
        }
        let coding = spec.structures[spec.typeIndex["Coding"] ?? 0]
        guard case .primitive(.string) = coding.elements[coding.elementIndex["id"] ?? 0].kind else {
            Issue.record("Coding.id should be a string")
            return
        }
    }

    @Test func valueSetsFromExternalSystemsAreMarkedNotChecked() {
        let unchecked = Set(spec.valueSets.filter { !$0.isChecked }.map(\.url))
        #expect(unchecked == ["http://hl7.org/fhir/ValueSet/mimetypes", "http://hl7.org/fhir/ValueSet/currencies",
                              "http://hl7.org/fhir/ValueSet/ucum-units", "http://loinc.org/vs/LL379-9"])
        #expect(spec.valueSets.count == 224)
    }

    @Test func hierarchicalCodeSystemsAreFlattened() throws {
        let report = try #require(spec.resource("DiagnosticReport"))
        let status = report.elements[report.elementIndex["status"] ?? 0]
        let codes = spec.valueSets[status.valueSet].codes
        #expect(codes.contains("corrected") && codes.contains("amended") && codes.contains("preliminary"))
    }

    /// The hand-written matchers agree with the specification's regexes (NSRegularExpression, off the hot path).
    @Test func matchersAgreeWithTheSpecRegexes() throws {
        let samples: [FHIRPrimitive: [String]] = [
            .date: ["2024", "2024-02", "2024-02-29", "0000", "2024-13", "2024-1-01", "24-01-01", "2024-02-30x"],
            .dateTime: ["2024-02-29T10:00:00Z", "2024-02-29T10:00:00.123+01:00", "2024-02-29T10:00", "2024-02-29T10:00:00",
                        "2024-02-29T24:00:00Z", "2024-02-29T10:00:00+14:00", "2024-02-29T10:00:00+14:30", "2024"],
            .instant: ["2024-02-29T10:00:00Z", "2024-02-29", "2024-02-29T10:00:00.5-05:00", "2024-02-29T10:00:60Z"],
            .time: ["10:00:00", "23:59:60.5", "24:00:00", "10:00"],
            .id: ["a-B.9", String(repeating: "a", count: 64), String(repeating: "a", count: 65), "a_b", "a b"],
            .code: ["active", "a b", " a", "a ", "a  b"],
            .oid: ["urn:oid:1.2.3", "urn:oid:3.1", "urn:oid:1", "urn:oid:1.02"],
            .uuid: ["urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0", "urn:uuid:0C3151BD-1cbf-4d64-b04d-cd9187a4c6e0", "0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"],
            .uri: ["http://x", "urn:a:b", "a b"],
            .integer: ["0", "-1", "01", "2147483647", "1.0"],
            .positiveInt: ["1", "0", "10"],
            .unsignedInt: ["0", "7", "00"],
            .decimal: ["1.50", "-0.0e+5", "1.", ".5", "01"],
            .base64Binary: ["QUJD", "QUJDRA==", "QUJ", "QU JD"],
        ]
        for (primitive, values) in samples {
            let pattern = try #require(spec.primitiveRegexes[primitive.rawValue])
            let regex = try NSRegularExpression(pattern: "^(?:\(pattern))$")
            for value in values {
                let regexSays = regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
                let calendarOnly = primitive == .date && value == "2024-02-30x"
                if calendarOnly { continue }
                #expect((primitive.formatProblem(value) == nil) == regexSays, "\(primitive.rawValue) \"\(value)\"")
            }
        }
    }
}
