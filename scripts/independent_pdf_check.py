"""Independent checks of the PDF test vectors with other people's code.

- poppler's pdfsig, with an NSS database that trusts the test root: every ES256 and PS256 vector the
  manifest expects to pass must show its first signature valid and its certificate trusted; a vector
  expected to fail with HASH_FAILURE must not show a valid signature. pdfsig exits 0 whatever it finds,
  so its text is read.
- OpenSSL: the CMS of the first signature, extracted from /Contents, verifies with `openssl cms -verify`
  over the ByteRange bytes against the test root (ES256, PS256).
- qpdf --check: every PDF vector the manifest expects to pass is a structurally sound PDF.

Prints one line per check and a closing 'N passed, N failed' line.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(__file__), "..", "test-vectors")
TEST_ROOT_CA = os.path.join(ROOT, "pki", "intl-root-ca.cert.pem")


def first_signature(data):
    """The bytes the first signature covers and its DER CMS (zero padding removed by the DER length)."""
    a, b, c, d = (int(x) for x in re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data).groups())
    contents = bytes.fromhex(data[a + b + 1 : c - 1].decode("ascii"))
    if contents[1] & 0x80:
        size = int.from_bytes(contents[2 : 2 + (contents[1] & 0x7F)], "big") + 2 + (contents[1] & 0x7F)
    else:
        size = contents[1] + 2
    return data[a : a + b] + data[c : c + d], contents[:size]


def algorithm_of(name):
    for prefix, alg in (("eddsa", "EdDSA"), ("ps256", "PS256"), ("sm2", "SM2SM3")):
        if name.startswith(prefix):
            return alg
    return "ES256"


def nss_database(tmp):
    db = f"sql:{tmp}"
    subprocess.run(["certutil", "-N", "-d", db, "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", db, "-n", "elicense-test-root", "-t", "CT,C,C", "-i", TEST_ROOT_CA], check=True, capture_output=True)
    return db


def main():
    with open(os.path.join(ROOT, "manifest.json"), encoding="utf-8") as f:
        vectors = [v for v in json.load(f)["vectors"] if v["format"] == "pdf"]
    passed = failed = 0

    def report(ok, line):
        nonlocal passed, failed
        print(f"{'ok  ' if ok else 'FAIL'} {line}")
        passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)

    with tempfile.TemporaryDirectory() as tmp:
        db = nss_database(tmp)
        for vector in vectors:
            path = os.path.join(ROOT, vector["file"])
            name = os.path.basename(path)
            expected = vector["expected"]
            must_pass = expected["indication"] == "TOTAL_PASSED"
            hash_failure = expected.get("subIndication") == "HASH_FAILURE"
            alg = algorithm_of(name)
            if must_pass:
                check = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
                report(check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, f"{vector['file']}: qpdf --check")
            if alg not in ("ES256", "PS256") or not (must_pass or hash_failure):
                continue
            out = subprocess.run(["pdfsig", "-nssdir", db, path], capture_output=True, text=True).stdout
            first = out.split("Signature #2:")[0]
            valid = "Signature Validation: Signature is Valid." in first
            trusted = "Certificate Validation: Certificate is Trusted." in first
            if must_pass:
                report(valid and trusted, f"{vector['file']}: {alg} via pdfsig (test root trusted): {'valid' if valid else 'not valid'}, {'trusted' if trusted else 'not trusted'}")
            else:
                report(not valid, f"{vector['file']}: {alg} via pdfsig: {'valid' if valid else 'not valid'}")
            with open(path, "rb") as f:
                data = f.read()
            try:
                signed, cms = first_signature(data)
            except ValueError:
                # The ByteRange hole is not a hex string: there is no CMS to hand to OpenSSL.
                report(not must_pass, f"{vector['file']}: {alg} CMS: /Contents cannot be extracted")
                continue
            with open(os.path.join(tmp, "content"), "wb") as f:
                f.write(signed)
            with open(os.path.join(tmp, "sig.der"), "wb") as f:
                f.write(cms)
            result = subprocess.run(
                ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", os.path.join(tmp, "sig.der"), "-content", os.path.join(tmp, "content"),
                 "-CAfile", TEST_ROOT_CA, "-purpose", "any", "-out", os.devnull],
                capture_output=True, text=True)
            ok_cms = "Verification successful" in result.stderr
            report(ok_cms == must_pass, f"{vector['file']}: {alg} CMS via openssl cms -verify: {'verifies' if ok_cms else 'does not verify'}")
    print(f"independent PDF: {passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
