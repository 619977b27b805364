#!/usr/bin/env python3
"""Writes one large single file for the bounded-memory measurements (PERFORMANCE.md, "Large single files").

  make-large-file.py fhir-batch|fhir-transaction|cda SIZE_MB OUT

fhir-*: a Bundle of Organizations and Appointments (every third entry an Appointment whose participant is a
urn:uuid: reference to an Organization ~300 entries earlier), each entry ~1 KB with a narrative, as the
streaming tests use. cda: a CDA R2 document whose body is one nonXMLBody of base64 (a scanned PDF-like blob).
"""
import base64, os, sys


def org(n):
    text = "Laboratory %d. " % n * 40
    return ('{"fullUrl":"urn:uuid:00000000-0000-4000-8000-%012d","resource":{"resourceType":"Organization","id":"org-%d",'
            '"text":{"status":"generated","div":"<div xmlns=\\"http://www.w3.org/1999/xhtml\\">%s</div>"},'
            '"identifier":[{"system":"https://example.org/labs","value":"X%d"}],"name":"Lab %d"},'
            '"request":{"method":"POST","url":"Organization"}}' % (n, n, text, n, n))


def appointment(n, target):
    return ('{"fullUrl":"urn:uuid:00000000-0000-4000-9000-%012d","resource":{"resourceType":"Appointment","id":"appt-%d",'
            '"status":"proposed","description":"%s","participant":[{"actor":{"reference":"urn:uuid:00000000-0000-4000-8000-%012d"},'
            '"status":"needs-action"}]},"request":{"method":"POST","url":"Appointment"}}' % (n, n, "Follow-up visit. " * 50, target))


def fhir(kind, size, out):
    with open(out, "w") as f:
        f.write('{"resourceType":"Bundle","id":"large-%s","type":"%s","entry":[\n' % (kind, kind))
        n, written = 0, 0
        while written < size:
            e = appointment(n, n - 299) if n % 3 == 2 and n >= 300 else org(n)
            f.write((",\n" if n else "") + e)
            written += len(e) + 2
            n += 1
        f.write("]}\n")
    return n


CDA_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <realmCode code="GB"/>
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <id root="2.16.840.1.113883.2.1.3.2.99.2" extension="LARGE-SCAN-1"/>
  <code code="18748-4" codeSystem="2.16.840.1.113883.6.1" codeSystemName="LOINC" displayName="Diagnostic imaging study"/>
  <title>Scanned report</title>
  <effectiveTime value="20261126120000+0000"/>
  <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
  <languageCode code="en-GB"/>
  <setId root="2.16.840.1.113883.2.1.3.2.99.3" extension="LARGE-SET-1"/>
  <versionNumber value="1"/>
  <recordTarget><patientRole><id root="2.16.840.1.113883.2.1.4.1" extension="9990000018"/>
    <patient><name><given>Test</given><family>Patient</family></name>
      <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/><birthTime value="19700101"/></patient>
  </patientRole></recordTarget>
  <author><time value="20261126120000+0000"/><assignedAuthor><id root="2.16.840.1.113883.2.1.3.2.99.4" extension="RAD-1"/>
    <assignedPerson><name><given>Priya</given><family>Shah</family></name></assignedPerson>
    <representedOrganization><id root="2.16.840.1.113883.2.1.3.2.4.19.1" extension="RX1"/><name>Radiology</name></representedOrganization>
  </assignedAuthor></author>
  <custodian><assignedCustodian><representedCustodianOrganization><id root="2.16.840.1.113883.2.1.3.2.4.19.1" extension="RX1"/>
    <name>Example Hospital NHS Trust</name></representedCustodianOrganization></assignedCustodian></custodian>
  <component>
    <nonXMLBody>
      <text mediaType="application/pdf" representation="B64">"""
CDA_TAIL = """</text>
    </nonXMLBody>
  </component>
</ClinicalDocument>
"""


def cda(size, out):
    raw = os.urandom(48 * 1024)
    with open(out, "w") as f:
        f.write(CDA_HEAD)
        written = 0
        while written < size:
            line = base64.b64encode(raw).decode()
            for i in range(0, len(line), 76):
                f.write("\n" + line[i:i + 76])
            written += len(line) + len(line) // 76
        f.write(CDA_TAIL)


if __name__ == "__main__":
    kind, mb, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    size = int(mb * 1024 * 1024)
    if kind.startswith("fhir-"):
        print("%d entries" % fhir(kind[5:], size, out))
    elif kind == "cda":
        cda(size, out)
    else:
        sys.exit("kind: fhir-batch, fhir-transaction or cda")
