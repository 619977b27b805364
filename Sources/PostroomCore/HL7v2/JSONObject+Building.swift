extension JSONObject {
    /// Appends a member without looking for an existing one (keys are unique by construction).
    @inline(__always) mutating func add(_ key: String, _ value: JSONValue) {
        members.append(Member(key, value))
    }

    /// Appends a member when the value is present.
    @inline(__always) mutating func add(_ key: String, _ value: JSONValue?) {
        if let value { members.append(Member(key, value)) }
    }

    /// An empty object with room for `capacity` members.
    static func reserving(_ capacity: Int) -> JSONObject {
        var o = JSONObject()
        o.members.reserveCapacity(capacity)
        return o
    }
}
