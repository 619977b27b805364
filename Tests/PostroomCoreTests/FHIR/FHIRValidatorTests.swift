import Testing
@testable import PostroomCore

@Suite struct FHIRValidatorTests {
    let task = #"{"resourceType":"Task","id":"t1","status":"requested","intent":"order""#

    func only(_ text: String) -> [String] { FHIRFixtures.codes(text) }

    @Test func aValidTaskHasNoIssues() {
        #expect(only(task + "}").isEmpty)
    }

    @Test func unknownElementsAreReportedWithTheirLocation() {
        let issues = FHIRFixtures.issues(task + #","colour":"red","for":{"reference":"Patient/1","nickname":"x"}}"#)
        #expect(issues.map(\.code) == ["unknown-element", "unknown-element"])
        #expect(issues.map(\.location) == ["Task.colour", "Task.for.nickname"])
    }

    @Test func missingRequiredElementsAreReported() {
        let issues = FHIRFixtures.issues(#"{"resourceType":"Task","intent":"order","input":[{"type":{"text":"x"}}]}"#)
        #expect(issues.map(\.code) == ["required-element-missing", "required-element-missing"])
        #expect(Set(issues.compactMap(\.location)) == ["Task.status", "Task.input[0].value[x]"])
    }

    @Test func aPrimitiveExtensionSatisfiesARequiredElement() {
        let text = #"{"resourceType":"Task","_status":{"extension":[{"url":"http://x","valueCode":"unknown"}]},"intent":"order"}"#
        #expect(only(text).isEmpty)
    }

    @Test func anArrayForANonRepeatingElementIsACardinalityError() {
        let issues = FHIRFixtures.issues(task + #","focus":[{"reference":"ServiceRequest/1"}]}"#)
        #expect(issues.map(\.code) == ["cardinality-max"])
        #expect(issues.first?.location == "Task.focus")
    }

    @Test func aSingleValueForARepeatingElementNeedsAnArray() {
        let issues = FHIRFixtures.issues(task + #","identifier":{"value":"1"}}"#)
        #expect(issues.map(\.code) == ["json-array-expected"])
    }

    @Test func wrongJSONTypesAreReported() {
        let codes = only(#"{"resourceType":"Patient","active":"true","birthDate":19900101,"name":"Smith","multipleBirthInteger":"2"}"#)
        #expect(codes == ["json-type", "json-type", "json-array-expected", "json-type", "json-type"])
    }

    @Test func malformedPrimitivesAreReported() {
        let issues = FHIRFixtures.issues(#"{"resourceType":"Patient","id":"bad id","birthDate":"1990-13-01","gender":"","deceasedDateTime":"2020-01-01T10:00","name":[{"given":["  "]}]}"#)
        #expect(issues.map(\.code) == Array(repeating: "primitive-format", count: 5))
        #expect(issues.map(\.location) == ["Patient.id", "Patient.birthDate", "Patient.gender", "Patient.deceasedDateTime", "Patient.name[0].given[0]"])
    }

    @Test func emptyObjectsArraysAndNullsAreRefused() {
        #expect(only(task + #","note":[]}"#) == ["json-empty"])
        #expect(only(task + #","code":{}}"#) == ["json-empty"])
        #expect(only(task + #","description":null}"#) == ["json-null"])
        #expect(only(task + #","note":[null]}"#) == ["json-null"])
    }

    @Test func primitiveArraysMayHoldNullsAlignedWithTheirExtensions() {
        let ok = #"{"resourceType":"Patient","name":[{"given":["A",null],"_given":[null,{"extension":[{"url":"http://x","valueString":"B"}]}]}]}"#
        #expect(only(ok).isEmpty)
        let unaligned = #"{"resourceType":"Patient","name":[{"given":["A",null],"_given":[null]}]}"#
        #expect(Set(only(unaligned)) == ["primitive-extension-mismatch", "json-null"])
        let unknown = #"{"resourceType":"Patient","_name":{"id":"x"}}"#
        #expect(only(unknown) == ["unknown-element"])
    }

    @Test func aChoiceElementTakesOneType() {
        let codes = only(#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"a","valueBoolean":true}"#)
        #expect(codes == ["choice-multiple"])
    }

    @Test func codesOutsideARequiredBindingAreReported() {
        let issues = FHIRFixtures.issues(#"{"resourceType":"Task","status":"started","intent":"directive"}"#)
        #expect(issues.map(\.code) == ["code-not-in-required-binding", "code-not-in-required-binding"])
        #expect(issues.first?.type == "code-invalid")
        #expect(issues.allSatisfy { !$0.text.contains("started") })
    }

    @Test func codeableConceptsAreCheckedAgainstRequiredBindings() {
        let base = #"{"resourceType":"Condition","subject":{"reference":"Patient/1"},"clinicalStatus":"#
        let system = "http://terminology.hl7.org/CodeSystem/condition-clinical"
        #expect(only(base + #"{"coding":[{"system":"\#(system)","code":"active"}]}}"#).isEmpty)
        #expect(only(base + #"{"coding":[{"system":"http://snomed.info/sct","code":"1"},{"system":"\#(system)","code":"remission"}]}}"#).isEmpty)
        #expect(only(base + #"{"coding":[{"system":"\#(system)","code":"gone"}]}}"#) == ["code-not-in-required-binding"])
        #expect(only(base + #"{"coding":[{"system":"http://other","code":"active"}]}}"#) == ["code-not-in-required-binding"])
        #expect(only(base + #"{"text":"Active"}}"#) == ["code-not-in-required-binding"])
    }

    @Test func requiredBindingsOfExternalSystemsAreNotChecked() {
        let text = #"{"resourceType":"Binary","contentType":"application/x-anything-at-all"}"#
        #expect(only(text).isEmpty)
    }

    @Test func extensionsNeedAValueOrExtensionsButNotBoth() {
        #expect(only(task + #","extension":[{"url":"http://x"}]}"#) == ["ext-1"])
        #expect(only(task + #","extension":[{"url":"http://x","valueString":"a","extension":[{"url":"y","valueString":"b"}]}]}"#) == ["ext-1"])
        #expect(only(task + #","extension":[{"valueString":"a"}]}"#) == ["required-element-missing"])
        #expect(only(task + #","modifierExtension":[{"url":"http://x","valueBoolean":true}]}"#).isEmpty)
    }

    @Test func containedResourcesAreValidatedByTheirOwnType() {
        let text = task + ##","contained":[{"resourceType":"Patient","id":"p","gender":"unknown-gender"}],"for":{"reference":"#p"}}"##
        let issues = FHIRFixtures.issues(text)
        #expect(issues.map(\.code) == ["code-not-in-required-binding"])
        #expect(issues.first?.location == "Task.contained[0].gender")
    }

    @Test func referencesToMissingContainedResourcesAreReported() {
        let issues = FHIRFixtures.issues(task + ##","for":{"reference":"#nobody"}}"##)
        #expect(issues.map(\.code) == ["reference-contained-not-found"])
        #expect(issues.first?.type == "not-found")
    }

    @Test func containedResourcesMustNotContainOthers() {
        let text = task + #","contained":[{"resourceType":"Patient","id":"p","contained":[{"resourceType":"Patient","id":"q"}]}]}"#
        #expect(only(text).contains("dom-2"))
    }

    @Test func unknownResourceTypesAndMissingResourceTypesAreReported() {
        #expect(only(#"{"resourceType":"Spaceship"}"#) == ["unknown-resource-type"])
        #expect(only(#"{"id":"x"}"#) == ["resource-type-missing"])
        #expect(only(#"["not","an","object"]"#) == ["json-type"])
        #expect(only(#"{"resourceType":"ReferralRequest"}"#) == ["fhir-stu3-not-supported"])
    }

    @Test func everyResourceTypeValidates() {
        // A minimal instance of every R4 resource: only the required elements would be missing.
        for type in FHIRSpec.r4.resourceTypes.sorted() {
            let issues = FHIRFixtures.issues(#"{"resourceType":"\#(type)","id":"x1"}"#)
            #expect(issues.allSatisfy { $0.code == "required-element-missing" }, "\(type): \(issues.map(\.code))")
        }
    }

    @Test func bundleEntriesAreValidatedByTheirResourceType() {
        let text = #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"a"}},{"resource":{"resourceType":"Task","status":"bogus","intent":"order"}}]}"#
        let issues = FHIRFixtures.issues(text)
        #expect(issues.map(\.location) == ["Bundle.entry[1].resource.status"])
    }

    @Test func issueTextsCarryNoValues() {
        let issues = FHIRFixtures.issues(#"{"resourceType":"Patient","birthDate":"Smith","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765918"}]}"#)
        #expect(issues.count == 2)
        #expect(issues.allSatisfy { !$0.text.contains("Smith") && !$0.text.contains("9434765918") })
    }

    @Test func moreThanOneIssueIsReported() {
        let text = #"{"resourceType":"Task","status":"bogus","intent":"bogus","priority":"bogus","x":1}"#
        #expect(only(text).count == 4)
    }
}
