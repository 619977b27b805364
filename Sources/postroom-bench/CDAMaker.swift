/// Makes CDA R2 radiology reports shaped like `inbox-sample/lab-results/03-chest-x-ray-report.cda.xml`.
enum CDAMaker {
    /// Findings and impressions the reports choose from.
    static let findings = [
        ("Lungs are clear. Heart size is normal. No pleural effusion.", "Normal chest radiograph."),
        ("Minor atelectasis at the left base. Heart size is normal.", "Minor left basal atelectasis; no consolidation."),
        ("Hyperinflated lungs. No focal consolidation or effusion.", "Appearances in keeping with COPD; no acute change."),
        ("Small right pleural effusion. Cardiomediastinal contour normal.", "Small right effusion; clinical correlation advised."),
    ]

    /// One document: a unique id and set id, the order it fulfils (`f.placer`) and the patient's NHS number.
    static func document(_ f: ClinicalFacts, index: Int, rng: inout SplitMix64) -> String {
        let n = ClinicalFacts.pad(index + 1, 7)
        let (finding, impression) = rng.pick(findings)
        let time = f.v2Time(plusHours: 2) + "+0000"
        let author = "RAD-\(rng.digits(4))"
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <realmCode code="GB"/>
              <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
              <id root="2.16.840.1.113883.2.1.3.2.99.2" extension="RAD-REPORT-\(n)"/>
              <code code="18748-4" codeSystem="2.16.840.1.113883.6.1" codeSystemName="LOINC" displayName="Diagnostic imaging study"/>
              <title>Chest X-ray report</title>
              <effectiveTime value="\(time)"/>
              <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
              <languageCode code="en-GB"/>
              <setId root="2.16.840.1.113883.2.1.3.2.99.3" extension="RAD-SET-\(n)"/>
              <versionNumber value="1"/>
              <recordTarget>
                <patientRole>
                  <id root="2.16.840.1.113883.2.1.4.1" extension="\(f.nhsNumber)"/>
                  <patient>
                    <name><given>\(ClinicalFacts.title(f.given))</given><family>\(ClinicalFacts.title(f.family))</family></name>
                    <administrativeGenderCode code="\(f.sex)" codeSystem="2.16.840.1.113883.5.1"/>
                    <birthTime value="\(f.birthDate)"/>
                  </patient>
                </patientRole>
              </recordTarget>
              <author>
                <time value="\(time)"/>
                <assignedAuthor>
                  <id root="2.16.840.1.113883.2.1.3.2.99.4" extension="\(author)"/>
                  <assignedPerson><name><prefix>Dr</prefix><given>Priya</given><family>Shah</family></name></assignedPerson>
                  <representedOrganization>
                    <id root="2.16.840.1.113883.2.1.3.2.4.19.1" extension="RX1"/>
                    <name>Example Hospital Radiology</name>
                  </representedOrganization>
                </assignedAuthor>
              </author>
              <custodian>
                <assignedCustodian>
                  <representedCustodianOrganization>
                    <id root="2.16.840.1.113883.2.1.3.2.4.19.1" extension="RX1"/>
                    <name>Example Hospital NHS Trust</name>
                  </representedCustodianOrganization>
                </assignedCustodian>
              </custodian>
              <inFulfillmentOf typeCode="FLFS">
                <order classCode="ACT" moodCode="RQO">
                  <id root="2.16.840.1.113883.2.1.3.2.99.1" extension="\(f.placer)"/>
                  <code code="399208008" codeSystem="2.16.840.1.113883.6.96" displayName="Plain chest X-ray"/>
                </order>
              </inFulfillmentOf>
              <documentationOf>
                <serviceEvent classCode="ACT">
                  <code code="399208008" codeSystem="2.16.840.1.113883.6.96" displayName="Plain chest X-ray"/>
                  <effectiveTime value="\(f.v2Time())+0000"/>
                </serviceEvent>
              </documentationOf>
              <component>
                <structuredBody>
                  <component>
                    <section>
                      <code code="18782-3" codeSystem="2.16.840.1.113883.6.1" displayName="Radiology Study observation"/>
                      <title>Findings</title>
                      <text>\(finding)</text>
                    </section>
                  </component>
                  <component>
                    <section>
                      <code code="19005-8" codeSystem="2.16.840.1.113883.6.1" displayName="Radiology Impression"/>
                      <title>Impression</title>
                      <text>\(impression)</text>
                    </section>
                  </component>
                </structuredBody>
              </component>
            </ClinicalDocument>

            """
    }
}
