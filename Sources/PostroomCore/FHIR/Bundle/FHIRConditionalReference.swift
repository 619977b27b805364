import Foundation

/// A conditional reference such as `Task?identifier=https://x|123` (FHIR transactions):
/// the target is found by a search that the store resolves, not by a literal id.
public struct FHIRConditionalReference: Sendable, Hashable {
    /// One `name=value` search parameter.
    public struct Parameter: Sendable, Hashable {
        /// The search parameter name (`identifier`).
        public var name: String
        /// The value, percent-decoded (`system|value`).
        public var value: String
    }

    /// The resource type searched (`Task`).
    public var type: String
    /// The search parameters, in order.
    public var parameters: [Parameter]

    /// Parses `Type?name=value&…`; nil when the text is not a conditional reference.
    public init?(_ text: String) {
        guard let q = text.firstIndex(of: "?") else { return nil }
        let type = String(text[..<q])
        guard let first = type.unicodeScalars.first, first.properties.isUppercase,
              type.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }) else { return nil }
        var parameters: [Parameter] = []
        for pair in text[text.index(after: q)...].split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { return nil }
            let value = String(parts[1]).removingPercentEncoding ?? String(parts[1])
            parameters.append(Parameter(name: String(parts[0]), value: value))
        }
        guard !parameters.isEmpty else { return nil }
        self.type = type
        self.parameters = parameters
    }

    /// Correlation keys for `identifier=system|value` parameters (`id|system|value`, UUIDs lower-cased),
    /// the form the store indexes.
    public var identifierKeys: [String] {
        parameters.filter { $0.name == "identifier" }.compactMap { p in
            guard let bar = p.value.firstIndex(of: "|") else { return nil }
            let system = String(p.value[..<bar])
            let value = String(p.value[p.value.index(after: bar)...])
            guard !value.isEmpty else { return nil }
            return CorrelationKey.identifier(system: system, value: FHIRIdentifierRules.normalisedValue(value, system: system))
        }
    }
}
