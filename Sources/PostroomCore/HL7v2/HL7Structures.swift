/// The message structures Postroom accepts (DOMAIN.md §6.3), v2.5-era abstract syntax widened
/// with the segments later versions add (SFT, UAC, PRT, ARV, TQ1/TQ2, ORDER_DOCUMENT …).
public enum HL7Structures {
    typealias G = HL7Grammar

    /// The structure id of a supported message code and trigger event (`ORU`, `R01` → `ORU_R01`).
    public static func structure(code: String, trigger: String) -> String? {
        switch (code, trigger) {
        case ("ORM", "O01"): "ORM_O01"
        case ("OML", "O21"): "OML_O21"
        case ("ORU", "R01"): "ORU_R01"
        case ("REF", "I12"): "REF_I12"
        case ("RRI", "I12"): "RRI_I12"
        case ("ACK", _): "ACK"
        default: nil
        }
    }

    /// The message codes Postroom takes in (any other is answered AR with ERR-3 `200`).
    public static let supportedCodes: Set<String> = ["ORM", "OML", "ORU", "REF", "RRI", "ACK"]

    /// The grammar of a structure id.
    public static func grammar(_ structure: String) -> HL7Grammar? {
        switch structure {
        case "ORM_O01": ormO01
        case "OML_O21": omlO21
        case "ORU_R01": oruR01
        case "REF_I12": refI12
        case "RRI_I12": rriI12
        case "ACK": ack
        default: nil
        }
    }

    static let insurance: G = .or(.g("INSURANCE", "IN1", .o("IN2"), .o("IN3")))
    static let timing: G = .or(.g("TIMING", "TQ1", .or("TQ2")))

    /// ORM^O01 (general order), with NK1 and SFT tolerated as in OML/ORU.
    static let ormO01: G = .g("ORM_O01",
        "MSH", .t(.or("SFT")), .or("NTE"),
        .o(.g("PATIENT", "PID", .o("PD1"), .or("NTE"), .t(.or("NK1")), .o(.g("PATIENT_VISIT", "PV1", .o("PV2"))), insurance,
              .o("GT1"), .or("AL1"))),
        .r(.g("ORDER", "ORC",
              .o(.g("ORDER_DETAIL", .one("OBR", "RQD", "RQ1", "RXO", "ODS", "ODT"), .or("NTE"), .o("CTD"), .or("DG1"),
                    .or(.g("OBSERVATION", "OBX", .or("NTE"))))),
              .or("FT1"), .or("CTI"), .o("BLG"))))

    /// OML^O21 (laboratory order).
    static let omlO21: G = .g("OML_O21",
        "MSH", .or("SFT"), .o("UAC"), .or("NTE"),
        .o(.g("PATIENT", "PID", .o("PD1"), .or("PRT"), .or("NTE"), .or("NK1"), .or("ARV"),
              .o(.g("PATIENT_VISIT", "PV1", .o("PV2"), .or("PRT"))), insurance, .o("GT1"), .or("AL1"))),
        .r(.g("ORDER", "ORC", .or("PRT"), timing,
              .o(.g("OBSERVATION_REQUEST", "OBR", .o("TCD"), .or("NTE"), .or("PRT"), .o("CTD"), .or("DG1"),
                    .or(.g("OBSERVATION", "OBX", .o("TCD"), .or("PRT"), .or("NTE"), .or("PRT"))),
                    .or(.g("SPECIMEN", "SPM", .or(.g("SPECIMEN_OBSERVATION", "OBX", .or("PRT"))),
                           .or(.g("CONTAINER", "SAC", .or(.g("CONTAINER_OBSERVATION", "OBX", .or("PRT"))))))),
                    .or(.g("PRIOR_RESULT",
                           .one(.g("PATIENT_PRIOR", "PID", .o("PD1"), .or("PRT"), .o(.g("PATIENT_VISIT_PRIOR", "PV1", .o("PV2"), .or("PRT")))),
                                .g("PATIENT_VISIT_PRIOR", "PV1", .o("PV2"), .or("PRT"))),
                           .or("AL1"),
                           .r(.g("ORDER_PRIOR", .o("ORC"), .or("PRT"), "OBR", .or("NTE"), .or("PRT"), .or(.g("TIMING_PRIOR", "TQ1", .or("TQ2"))),
                                 .r(.g("OBSERVATION_PRIOR", "OBX", .or("PRT"), .or("NTE"))))))))),
              .or("FT1"), .or("CTI"), .o("BLG"))))

    /// ORU^R01 (unsolicited observation result).
    static let oruR01: G = .g("ORU_R01",
        "MSH", .or("SFT"), .o("UAC"),
        .r(.g("PATIENT_RESULT",
              .o(.g("PATIENT", "PID", .o("PD1"), .or("PRT"), .or("NTE"), .or("NK1"), .or("ARV"),
                    .or(.g("PATIENT_OBSERVATION", "OBX", .or("PRT"))),
                    .o(.g("VISIT", "PV1", .o("PV2"), .or("PRT"))))),
              .r(.g("ORDER_OBSERVATION",
                    .o(.g("COMMON_ORDER", "ORC", .or("PRT"))),
                    .or(.g("ORDER_DOCUMENT", "OBX", .or("PRT"), "TXA")),
                    "OBR", .or("NTE"), .or("PRT"), .or(.g("TIMING_QTY", "TQ1", .or("TQ2"))), .o("CTD"),
                    .or(.g("OBSERVATION", "OBX", .o("TCD"), .or("PRT"), .or("NTE"), .or("PRT"))),
                    .or("FT1"), .or("CTI"),
                    .or(.g("SPECIMEN", "SPM", .or(.g("SPECIMEN_OBSERVATION", "OBX", .or("PRT"))))))))),
        .o("DSC"))

    static let authorization: G = .o(.g("AUTHORIZATION_CONTACT", "AUT", .o("CTD")))
    static let referralTail: [G] = [
        .or(.g("PROCEDURE", "PR1", authorization)),
        .or(.g("OBSERVATION", "OBR", .or("NTE"), .or("PRT"), .or(.g("RESULTS_NOTES", "OBX", .or("PRT"), .or("NTE"), .or("PRT"))))),
        .o(.g("PATIENT_VISIT", "PV1", .o("PV2"))), .or("NTE"),
    ]

    /// REF^I12 (patient referral).
    static let refI12: G = .group("REF_I12", [
        "MSH", .or("SFT"), .o("UAC"), .o("RF1"), authorization, .r(.g("PROVIDER_CONTACT", "PRD", .or("CTD"))),
        "PID", .or("NK1"), .or("GT1"), insurance, .o("ACC"), .or("DG1"), .or("DRG"), .or("AL1"),
    ] + referralTail)

    /// RRI^I12 (referral response).
    static let rriI12: G = .group("RRI_I12", [
        "MSH", .or("SFT"), .o("UAC"), .o("MSA"), .o("RF1"), authorization, .r(.g("PROVIDER_CONTACT", "PRD", .or("CTD"))),
        "PID", .o("ACC"), .or("DG1"), .or("DRG"), .or("AL1"),
    ] + referralTail)

    /// ACK (general acknowledgement).
    static let ack: G = .g("ACK", "MSH", .or("SFT"), .o("UAC"), "MSA", .or("ERR"))
}
