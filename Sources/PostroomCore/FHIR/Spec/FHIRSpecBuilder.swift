/// Turns the raw type blocks into indexed structures (two passes: allocate, then fill).
struct FHIRSpecBuilder {
    let types: [FHIRSpec.RawType]
    let openTypes: [String]
    var structures: [FHIRStructure] = []
    var typeIndex: [String: Int] = [:]
    /// `Type.relative.path` → structure index of backbone elements.
    var backboneIndex: [String: Int] = [:]
    var unresolved: Set<String> = []
    var rawByName: [String: FHIRSpec.RawType] = [:]

    init(types: [FHIRSpec.RawType], openTypes: [String]) {
        self.types = types
        self.openTypes = openTypes
    }

    static func role(of name: String) -> FHIRStructure.Role {
        switch name {
        case "Identifier": .identifier
        case "Reference": .reference
        case "Coding": .coding
        case "CodeableConcept": .codeableConcept
        case "Extension": .extension
        case "Bundle": .bundle
        case "Narrative": .narrative
        default: .plain
        }
    }

    mutating func allocate(_ name: String, isResource: Bool, role: FHIRStructure.Role) -> Int {
        structures.append(FHIRStructure(name: name, isResource: isResource, role: role, elements: [], elementIndex: [:],
                                        requiredMask: 0, requiredSlotPaths: [], choiceGroups: []))
        return structures.count - 1
    }

    mutating func build() {
        for t in types {
            rawByName[t.name] = t
            typeIndex[t.name] = allocate(t.name, isResource: t.flag == "r" || t.name == "Resource" || t.name == "DomainResource",
                                         role: Self.role(of: t.name))
        }
        for t in types {
            for e in t.elements where e.types == "B" || e.types == "E" {
                backboneIndex[t.name + "." + e.relative] = allocate(t.name + "." + e.relative, isResource: false, role: .plain)
            }
        }
        for t in types {
            // The root: the base chain's top-level elements, then the type's own.
            var chain: [FHIRSpec.RawType] = []
            var current: FHIRSpec.RawType? = t
            while let c = current, chain.count < 8 {
                chain.insert(c, at: 0)
                current = rawByName[c.base]
            }
            var own: [(FHIRSpec.RawElement, String)] = []
            for c in chain {
                for e in c.elements where !Self.isNested(e.relative[...]) { own.append((e, c.name)) }
            }
            fill(typeIndex[t.name] ?? 0, owner: t.name, elements: own.map { ($0.0, t.name) })
            // Backbone elements: implied id/extension(/modifierExtension), then their children.
            for e in t.elements where e.types == "B" || e.types == "E" {
                guard let index = backboneIndex[t.name + "." + e.relative] else { continue }
                var children: [(FHIRSpec.RawElement, String)] = [
                    (FHIRSpec.RawElement(relative: e.relative + ".id", min: 0, max: 1, types: "string", valueSet: -1), t.name),
                    (FHIRSpec.RawElement(relative: e.relative + ".extension", min: 0, max: .max, types: "Extension", valueSet: -1), t.name),
                ]
                if e.types == "B" {
                    children.append((FHIRSpec.RawElement(relative: e.relative + ".modifierExtension", min: 0, max: .max,
                                                          types: "Extension", valueSet: -1), t.name))
                }
                let prefix = e.relative + "."
                for child in t.elements where child.relative.hasPrefix(prefix) && !Self.isNested(child.relative.dropFirst(prefix.count)) {
                    children.append((child, t.name))
                }
                fill(index, owner: t.name, elements: children)
            }
        }
    }

    /// Whether a relative path names a nested element (holds a `.`): by bytes, as Foundation's
    /// `contains(_:)` of a string took a tenth of the tables' load.
    static func isNested(_ relative: Substring) -> Bool { relative.utf8.contains(UInt8(ascii: ".")) }

    /// Adds the elements to structure `index`, expanding choices and assigning required slots.
    mutating func fill(_ index: Int, owner: String, elements: [(FHIRSpec.RawElement, String)]) {
        var s = structures[index]
        for (raw, typeName) in elements {
            let last = raw.relative.utf8.lastIndex(of: UInt8(ascii: ".")).map { String(raw.relative[raw.relative.index(after: $0)...]) } ?? raw.relative
            let path = typeName + "." + raw.relative
            var slot = -1
            if raw.min > 0, s.requiredSlotPaths.count < 64 {
                slot = s.requiredSlotPaths.count
                s.requiredSlotPaths.append(path)
                s.requiredMask |= 1 << UInt64(slot)
            }
            if last.hasSuffix("[x]") {
                let base = String(last.dropLast(3))
                let group = s.choiceGroups.count
                s.choiceGroups.append(path)
                let names = raw.types == "*" ? openTypes : raw.types.split(separator: ",").map(String.init)
                for t in names {
                    let name = base + t.prefix(1).uppercased() + t.dropFirst()
                    append(&s, FHIRElement(name: name, path: path, min: raw.min, max: 1, kind: kind(of: t, owner: owner, relative: raw.relative),
                                           valueSet: raw.valueSet, choiceGroup: group, requiredSlot: slot))
                }
            } else {
                append(&s, FHIRElement(name: last, path: path, min: raw.min, max: raw.max, kind: kind(of: raw.types, owner: owner, relative: raw.relative),
                                       valueSet: raw.valueSet, choiceGroup: -1, requiredSlot: slot))
            }
        }
        structures[index] = s
    }

    func append(_ s: inout FHIRStructure, _ e: FHIRElement) {
        s.elementIndex[e.name] = s.elements.count
        s.elements.append(e)
    }

    mutating func kind(of type: String, owner: String, relative: String) -> FHIRElement.Kind {
        if type == "B" || type == "E" {
            return .structure(backboneIndex[owner + "." + relative] ?? 0)
        }
        if type.hasPrefix("@") {
            if let i = backboneIndex[owner + "." + type.dropFirst()] { return .structure(i) }
            unresolved.insert(owner + "." + type)
            return .structure(typeIndex["Element"] ?? 0)
        }
        if type == "Resource" { return .resource }
        if let p = FHIRPrimitive(rawValue: type) { return .primitive(p) }
        if let i = typeIndex[type] { return .structure(i) }
        unresolved.insert(type)
        return .structure(typeIndex["Element"] ?? 0)
    }
}
