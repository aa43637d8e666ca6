"""Independent check of the test vectors with other people's code.

For every vector the manifest expects to pass, each JWS signature is verified from its x5c leaf
certificate: ES256, EdDSA, PS256 and RS256 with Python's joserfc (keys loaded by `cryptography`),
SM2SM3 with the OpenSSL command line (SM3, distinguishing ID 1234567812345678). Vectors the manifest
expects to fail with SIG_CRYPTO_FAILURE must fail here too.

PDF vectors: the first (certification) signature of each PDF the manifest expects to pass is checked by
poppler's pdfsig (NSS) for ES256 and PS256, and by GnuTLS certtool over the ByteRange for Ed25519, which
NSS cannot verify; a PDF expected to fail with HASH_FAILURE must fail there too. SM2 CMS has no
independent verifier on this machine (OpenSSL 3.0 cannot set the SM2 ID for CMS).

QR vectors: the PNG is read by ZBar (zbarimg), the signer is found by its key id (the first 8 bytes of
SHA-256 over the DER certificate, base64url) among the certificates in test-vectors/pki/, and the
compact JWS in the URL fragment is verified like the JSON vectors: joserfc for ES256, OpenSSL for SM2.

Prints one line per check and a closing 'N passed, N failed' line.
"""
import re
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import warnings

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import ECKey, OKPKey, RSAKey
from joserfc.registry import HeaderParameter

ROOT = os.path.join(os.path.dirname(__file__), "..", "test-vectors")
KEY_TYPES = {"ES256": ECKey, "EdDSA": OKPKey, "PS256": RSAKey, "RS256": RSAKey}


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def der_integer(value):
    body = value.to_bytes((value.bit_length() + 8) // 8 or 1, "big")
    return b"\x02" + bytes([len(body)]) + body


def raw_to_der(raw):
    body = der_integer(int.from_bytes(raw[:32], "big")) + der_integer(int.from_bytes(raw[32:], "big"))
    return b"\x30" + bytes([len(body)]) + body


def signatures_of(text):
    """(protected, payload, signature) triples for compact and general/flattened JSON serializations."""
    text = text.strip()
    if not text.startswith("{"):
        return [tuple(text.split("."))]
    doc = json.loads(text)
    members = doc["signatures"] if "signatures" in doc else [doc]
    return [(m["protected"], doc["payload"], m["signature"]) for m in members]


def verify_sm2(certificate, signing_input, signature):
    with tempfile.TemporaryDirectory() as tmp:
        # Python's cryptography has no SM2 curve: OpenSSL takes the key out of the certificate itself.
        cert = os.path.join(tmp, "cert.der")
        with open(cert, "wb") as f:
            f.write(certificate.public_bytes(serialization.Encoding.DER))
        pub = os.path.join(tmp, "pub.pem")
        subprocess.run(["openssl", "x509", "-inform", "DER", "-in", cert, "-pubkey", "-noout", "-out", pub], check=True, capture_output=True)
        sig = os.path.join(tmp, "sig.der")
        with open(sig, "wb") as f:
            f.write(raw_to_der(signature))
        msg = os.path.join(tmp, "msg")
        with open(msg, "wb") as f:
            f.write(signing_input)
        result = subprocess.run(
            ["openssl", "dgst", "-sm3", "-verify", pub, "-sigopt", "distid:1234567812345678", "-signature", sig, msg],
            capture_output=True, text=True,
        )
        return result.returncode == 0 and "Verified OK" in result.stdout


def verify_one(protected, payload, signature):
    header = json.loads(b64url_decode(protected))
    certificate = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
    return verify_with_certificate(header["alg"], certificate, protected, payload, signature)


def is_seal_reference(value):
    if not isinstance(value, dict) or set(value) != {"esID", "pictureSm3", "sealSm3"}:
        raise ValueError("must be an eLicense seal reference")


# joserfc refuses header parameters it does not know, critical or not; eLicense's one private
# parameter (a seal reference, not critical) is declared the way joserfc asks for private headers.
PRIVATE_HEADERS = {"elicense:seal": HeaderParameter("eLicense electronic seal reference", is_seal_reference)}


def verify_with_certificate(alg, certificate, protected, payload, signature):
    if alg == "SM2SM3":
        return alg, "openssl", verify_sm2(certificate, f"{protected}.{payload}".encode(), b64url_decode(signature))
    pem = certificate.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    key = KEY_TYPES[alg].import_key(pem)
    # x5c chains make headers larger than joserfc's 512-byte default.
    registry = jws.JWSRegistry(header_registry=PRIVATE_HEADERS, algorithms=[alg])
    registry.max_header_length = 64 * 1024
    try:
        jws.deserialize_compact(f"{protected}.{payload}.{signature}", key, registry=registry)
        return alg, "joserfc", True
    except BadSignatureError:
        return alg, "joserfc", False


def certificates_by_key_id():
    """Every certificate in test-vectors/pki/, by the key id a QR code names it with."""
    found = {}
    pki = os.path.join(ROOT, "pki")
    for name in sorted(os.listdir(pki)):
        if name.endswith(".cert.pem"):
            with open(os.path.join(pki, name), "rb") as f:
                certificate = x509.load_pem_x509_certificate(f.read())
            der = certificate.public_bytes(serialization.Encoding.DER)
            kid = base64.urlsafe_b64encode(hashlib.sha256(der).digest()[:8]).decode().rstrip("=")
            found[kid] = certificate
    return found


def verify_qr(vector, certificates):
    """(alg, tool, valid) for the signed form in a QR image, read by zbarimg."""
    result = subprocess.run(["zbarimg", "-q", "--raw", os.path.join(ROOT, vector["file"])], capture_output=True)
    text = result.stdout.decode("utf-8").strip()
    protected, payload, signature = text.split("#", 1)[1].split(".")
    header = json.loads(b64url_decode(protected))
    return verify_with_certificate(header["alg"], certificates[header["kid"]], protected, payload, signature)


def pdf_first_signature(data):
    """The signed bytes and the DER CMS of the first signature dictionary in the file."""
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    a, b, c, d = (int(x) for x in match.groups())
    hex_contents = data[a + b + 1 : c - 1].rstrip(b"0")
    cms = bytes.fromhex((hex_contents + b"0" * (len(hex_contents) % 2)).decode("ascii"))
    return data[a : a + b] + data[c : c + d], cms


def pdf_signature_alg(vector):
    name = os.path.basename(vector["file"])
    for prefix, alg in (("eddsa", "EdDSA"), ("ps256", "PS256"), ("sm2", "SM2SM3")):
        if name.startswith(prefix):
            return alg
    return "ES256"


def verify_pdf(vector):
    """(tool, valid) for the first signature of a PDF vector, or None when no independent tool applies."""
    path = os.path.join(ROOT, vector["file"])
    alg = pdf_signature_alg(vector)
    if alg == "SM2SM3":
        return None
    if alg == "EdDSA":
        with open(path, "rb") as f:
            signed, cms = pdf_first_signature(f.read())
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "data"), "wb") as f:
                f.write(signed)
            with open(os.path.join(tmp, "sig.der"), "wb") as f:
                f.write(cms)
            result = subprocess.run(
                ["certtool", "--p7-verify", "--inder", "--infile", os.path.join(tmp, "sig.der"), "--load-data", os.path.join(tmp, "data"),
                 "--load-ca-certificate", os.path.join(ROOT, "pki", "intl-root-ca.cert.pem")],
                capture_output=True, text=True)
        return "certtool", "Signature status: ok" in result.stderr + result.stdout
    result = subprocess.run(["pdfsig", "-nocert", path], capture_output=True, text=True)
    first = result.stdout.split("Signature #2:")[0]
    return "pdfsig", "Signature Validation: Signature is Valid." in first


def main():
    # joserfc warns that RFC 9864 deprecates the name EdDSA; the signature check is what matters here.
    warnings.filterwarnings("ignore", message="EdDSA is deprecated")
    with open(os.path.join(ROOT, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    passed = failed = 0
    qr_certificates = certificates_by_key_id()
    for vector in manifest["vectors"]:
        expected = vector["expected"]
        must_pass = expected["indication"] == "TOTAL_PASSED"
        must_fail = expected.get("subIndication") == "SIG_CRYPTO_FAILURE"
        if vector["format"] == "pdf":
            must_fail_pdf = expected.get("subIndication") == "HASH_FAILURE"
            checked = verify_pdf(vector) if (must_pass or must_fail_pdf) else None
            if checked is None:
                continue
            tool, valid = checked
            ok = valid if must_pass else not valid
            print(f"{'ok  ' if ok else 'FAIL'} {vector['file']}: {pdf_signature_alg(vector)} via {tool}: {'verifies' if valid else 'does not verify'}")
            passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
            continue
        if vector["format"] == "qr":
            if not (must_pass or must_fail):
                continue
            alg, tool, valid = verify_qr(vector, qr_certificates)
            ok = valid if must_pass else not valid
            print(f"{'ok  ' if ok else 'FAIL'} {vector['file']}: {alg} via zbarimg + {tool}: {'verifies' if valid else 'does not verify'}")
            passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
            continue
        if vector["format"] != "jws" or not (must_pass or must_fail):
            continue
        with open(os.path.join(ROOT, vector["file"]), encoding="utf-8") as f:
            triples = signatures_of(f.read())
        results = [verify_one(*t) for t in triples]
        ok = all(r[2] for r in results) if must_pass else not all(r[2] for r in results)
        for alg, tool, valid in results:
            print(f"{'ok  ' if ok else 'FAIL'} {vector['file']}: {alg} via {tool}: {'verifies' if valid else 'does not verify'}")
        if ok:
            passed += 1
        else:
            failed += 1
    print(f"independent: {passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
