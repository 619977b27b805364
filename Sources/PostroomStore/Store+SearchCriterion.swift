import PostroomCore

/// One FHIR search criterion, already parsed and checked; several criteria on a search all apply (AND),
/// the values inside one criterion are alternatives (OR, FHIR's comma).
public struct SearchCriterion: Sendable, Equatable {
    /// A token to match: `system|code`, `|code` (no system), `code` (any system) or `system|` (any code).
    public struct Token: Sendable, Equatable {
        /// How the token's system is matched.
        public enum System: Sendable, Equatable {
            /// `code`: any system.
            case any
            /// `|code`: the element has no system.
            case none
            /// `system|code` or `system|`.
            case exact(String)
        }

        /// How the system is matched.
        public var system: System
        /// The code or identifier value; nil for `system|`.
        public var code: String?

        /// A token from its parts.
        public init(system: System, code: String?) {
            self.system = system
            self.code = code
        }
    }

    /// A date comparison against the stored period `[lo, hi)`.
    public struct DateBound: Sendable, Equatable {
        /// FHIR's comparison prefixes that Postroom supports.
        public enum Prefix: String, Sendable, CaseIterable {
            case eq, ne, lt, gt, le, ge
        }

        /// The comparison.
        public var prefix: Prefix
        /// The start of the searched period (UTC, `YYYY-MM-DDThh:mm:ss.sssZ`).
        public var lo: String
        /// The end (exclusive) of the searched period.
        public var hi: String

        /// A date bound from its parts.
        public init(prefix: Prefix, lo: String, hi: String) {
            self.prefix = prefix
            self.lo = lo
            self.hi = hi
        }
    }

    /// What the criterion matches.
    public enum Match: Sendable, Equatable {
        /// Any of these tokens (identifiers, or codes such as `status` when `codeOnly`).
        case token([Token], codeOnly: Bool)
        /// Any of these literal references (`ServiceRequest/123`).
        case reference([String])
        /// A date inside/against any of these bounds.
        case date([DateBound])
        /// A subject whose `Reference.identifier` matches, or whose referenced Patient has a matching identifier.
        case subjectIdentifier([Token])
        /// Reports linked to a request that any of these identifiers names, in any of their
        /// equivalent spellings (`based-on:identifier`, `related:identifier`; see `IdentityNamespaces`).
        case requestIdentifier([Token])
    }

    /// The index name of the parameter (`identifier`, `status`, `owner:identifier`, `based-on`, ...).
    public var name: String
    /// What it matches.
    public var match: Match

    /// A criterion on the index name `name`.
    public init(name: String, match: Match) {
        self.name = name
        self.match = match
    }
}
