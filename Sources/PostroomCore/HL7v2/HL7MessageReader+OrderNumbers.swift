extension HL7MessageReader {
    /// An order's placer and filler numbers as its ORC and OBR give them, with their correlation keys.
    struct OrderNumbers {
        var placerEI: HL7Element
        var fillerEI: HL7Element
        var placer: OrderKey?
        var filler: OrderKey?

        /// Every correlation key of both numbers, the placer's first.
        var keys: [String] { (placer?.keys ?? []) + (filler?.keys ?? []) }
    }

    /// Reconciles ORC-2/3 with OBR-2/3, the one place orders and results do it: where both segments
    /// are sent, numbers that disagree are reported at the OBR; each number is taken from `first`
    /// and, where empty there, from `second`; keys use the namespaces given for numbers without one.
    mutating func orderNumbers(_ first: HL7Segment, then second: HL7Segment?, obr: HL7Segment?,
                               placerNamespace: String, fillerNamespace: String) -> OrderNumbers {
        var placerEI = first.element(2)
        var fillerEI = first.element(3)
        if let second, let obr {
            checkAgreement(first.element(2), second.element(2), at: obr, field: 2, name: "placer order number")
            checkAgreement(first.element(3), second.element(3), at: obr, field: 3, name: "filler order number")
            if placerEI.isEmpty { placerEI = second.element(2) }
            if fillerEI.isEmpty { fillerEI = second.element(3) }
        }
        return OrderNumbers(placerEI: placerEI, fillerEI: fillerEI,
                            placer: orderKey(placerEI, filler: false, defaultNamespace: placerNamespace),
                            filler: orderKey(fillerEI, filler: true, defaultNamespace: fillerNamespace))
    }
}
