import Testing

extension Workspace {
    /// How many times each original is an archive member (by its name after `<drop id>_`), each
    /// member's bytes checked against `originals`: the count side of "every drop in exactly one place".
    func archivedPlaces(of originals: [String: [UInt8]], context: String) throws -> [String: Int] {
        var places: [String: Int] = [:]
        for (_, members) in try archives() {
            for (name, bytes) in members where name != "manifest.json" {
                let original = String(name.split(separator: "/").last!.split(separator: "_", maxSplits: 1).last!)
                #expect(originals[original] == bytes, "\(context): archived bytes of \(original)")
                places[original, default: 0] += 1
            }
        }
        return places
    }
}
