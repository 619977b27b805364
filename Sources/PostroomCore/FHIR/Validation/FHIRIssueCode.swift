/// The stable issue codes of the FHIR module (`Issue.code`), so partners and tests can rely on them.
public enum FHIRIssueCode {
    // Reading the file.
    /// The bytes are not JSON (with line and column).
    public static let jsonSyntax = "json-syntax"
    /// FHIR XML content: not supported (FHIR JSON only).
    public static let xmlNotSupported = "fhir-xml-not-supported"
    /// The JSON is not an object with a `resourceType`.
    public static let resourceTypeMissing = "resource-type-missing"
    /// `resourceType` names no FHIR R4 resource.
    public static let unknownResourceType = "unknown-resource-type"
    /// FHIR STU3 (3.0) content, recognised and refused.
    public static let stu3NotSupported = "fhir-stu3-not-supported"
    /// Content of another FHIR version (DSTU2, R5), recognised and refused.
    public static let versionNotSupported = "fhir-version-not-supported"

    // Structure, from the spec tables.
    /// A member that the type does not define.
    public static let unknownElement = "unknown-element"
    /// A required element (min ≥ 1) is absent.
    public static let requiredElementMissing = "required-element-missing"
    /// An array for a non-repeating element, more repeats than allowed, or a prohibited element.
    public static let cardinalityMax = "cardinality-max"
    /// A single value where FHIR JSON requires an array (a repeating element).
    public static let arrayExpected = "json-array-expected"
    /// The JSON type does not fit the element (string vs number vs boolean vs object).
    public static let jsonType = "json-type"
    /// An empty object or array (forbidden in FHIR JSON).
    public static let jsonEmpty = "json-empty"
    /// A `null` outside a primitive array aligned with its `_element` array.
    public static let jsonNull = "json-null"
    /// A primitive whose text does not match its type (id, date, dateTime, instant, uri, code…).
    public static let primitiveFormat = "primitive-format"
    /// A `_element` array that does not line up with its value array.
    public static let primitiveExtensionMismatch = "primitive-extension-mismatch"
    /// More than one type given for a choice element (`value[x]`).
    public static let choiceMultiple = "choice-multiple"
    /// A code outside the value set of a required binding.
    public static let codeNotInRequiredBinding = "code-not-in-required-binding"
    /// An extension with both a value and nested extensions, or neither (ext-1).
    public static let ext1 = "ext-1"
    /// A contained resource that itself contains resources (dom-2).
    public static let dom2 = "dom-2"

    // References and bundles.
    /// A `urn:uuid:`/`urn:oid:` reference that names no entry of its Bundle.
    public static let referenceNotFound = "reference-not-found"
    /// A `#id` reference that names no contained resource.
    public static let containedNotFound = "reference-contained-not-found"
    /// A reference with a `?` that is neither a URL nor a parseable conditional reference.
    public static let referenceFormat = "reference-format"
    /// A conditional reference (`Type?query`) outside a transaction or batch.
    public static let conditionalReferenceNotAllowed = "reference-conditional-not-allowed"
    /// A RESTful `fullUrl` whose id differs from the resource's id.
    public static let fullUrlIDMismatch = "bundle-fullurl-id-mismatch"
    /// A transaction/batch `request` that is inconsistent (method vs resource vs url).
    public static let bundleRequestInvalid = "bundle-request-invalid"
    /// Two transaction entries acting on the same resource identity.
    public static let transactionIdentityOverlap = "transaction-identity-overlap"
}
