import PostroomCore
import PostroomStore

/// A FHIR date search value (`ge2026-11`, `2026-11-20T10:00:00+01:00`) as a prefix and a UTC period `[lo, hi)`.
enum FHIRDateParameter {
    /// Parses one value; nil when the prefix is not supported or the date is not a valid FHIR date.
    static func parse(_ text: String) -> Result<SearchCriterion.DateBound, DateProblem> {
        var s = Substring(text)
        var prefix = SearchCriterion.DateBound.Prefix.eq
        if s.count >= 2, s.prefix(2).allSatisfy({ $0.isLetter }) {
            let p = String(s.prefix(2))
            guard let known = SearchCriterion.DateBound.Prefix(rawValue: p) else {
                return .failure(["sa", "eb", "ap"].contains(p) ? .unsupportedPrefix : .badPrefix)
            }
            prefix = known
            s = s.dropFirst(2)
        }
        // A time without zone is taken as UTC.
        guard case .success(let value) = FHIRDateTime.parse(String(s), grammar: .search) else { return .failure(.badDate) }
        let (lo, hi) = value.period
        return .success(SearchCriterion.DateBound(prefix: prefix, lo: CivilDate.utcText(milliseconds: lo), hi: CivilDate.utcText(milliseconds: hi)))
    }

    /// What is wrong with a date value.
    enum DateProblem: Error {
        case unsupportedPrefix, badPrefix, badDate
    }
}
