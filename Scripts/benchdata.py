"""Shared by the two benchmark scripts: NHS numbers and the one-OBX HL7 v2 messages they drop."""

def nhs(n):
    """A 999-range test NHS number with a valid Modulus 11 check digit (derived from n)."""
    base = 999000000 + n % 900000
    while True:
        s = str(base)
        t = sum(int(s[i]) * (10 - i) for i in range(9))
        c = 11 - t % 11
        c = 0 if c == 11 else c
        if c != 10:
            return s + str(c)
        base += 1

def orm(n):
    """An ORM^O01 new order with placer number ORD<n>."""
    return ("\r".join(["MSH|^~\\&|GPSYSTEM|A83008|LABSYS|RX1LAB|20261126091500||ORM^O01^ORM_O01|O-%d|P|2.5.1" % n,
                       "PID|1||%s^^^NHS^NH||TEST^PATIENT||19700101|F" % nhs(n), "ORC|NW|ORD%d^GPSYSTEM" % n,
                       "OBR|1|ORD%d^GPSYSTEM||26604007^Full blood count^SCT" % n]) + "\r").encode()

def oru(n, control="R"):
    """An ORU^R01 final result answering ORD<n>, MSH-10 <control>-<n>."""
    return ("\r".join(["MSH|^~\\&|LABSYS|RX1LAB|GPSYSTEM|A83008|20261126153000||ORU^R01^ORU_R01|%s-%d|P|2.5.1" % (control, n),
                       "PID|1||%s^^^NHS^NH||TEST^PATIENT||19700101|F" % nhs(n), "ORC|RE|ORD%d^GPSYSTEM|LAB%d^LABSYS" % (n, n),
                       "OBR|1|ORD%d^GPSYSTEM|LAB%d^LABSYS|26604007^Full blood count^SCT||||||||||||||||||||F" % (n, n),
                       "OBX|1|NM|718-7^Hemoglobin^LN||%d|g/L^g/L^UCUM|115-165|N|||F" % (100 + n % 60)]) + "\r").encode()
