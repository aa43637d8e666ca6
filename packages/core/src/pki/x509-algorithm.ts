/**
 * How the algorithm table appears in X.509 certificates and CRLs: the AlgorithmIdentifier for each
 * algorithm, reading one back (anything outside the table is reported, not guessed), and the
 * signature value's X.509 form (DER `SEQUENCE { r, s }` for ECDSA and SM2, raw bytes otherwise).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import { toHex } from '../bytes.js';
import { ALGORITHMS, OID, SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../crypto/algorithms.js';
import { derSignatureToRaw, rawSignatureToDer } from '../crypto/ecdsa-der.js';

/** A signature algorithm that is not in the table, or is in it with parameters the table does not allow. */
export interface UnsupportedAlgorithm {
  readonly unsupported: string;
}

export function isSupportedAlgorithm(alg: SignatureAlgorithm | UnsupportedAlgorithm): alg is SignatureAlgorithm {
  return typeof alg === 'string';
}

const sha256Identifier = (): AlgorithmIdentifier => new AlgorithmIdentifier({ algorithm: OID.sha256, parameters: null });

/** RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt, encoded as OpenSSL does (trailer omitted). */
const PSS_PARAMETERS = AsnConvert.serialize(
  new RsaSaPssParams({
    hashAlgorithm: sha256Identifier(),
    maskGenAlgorithm: new AlgorithmIdentifier({
      algorithm: OID.mgf1,
      parameters: AsnConvert.serialize(sha256Identifier()),
    }),
    saltLength: 32,
    trailerField: 1,
  }),
);

/** Per algorithm: the DER AlgorithmIdentifier written into TBSCertificate.signature and CertificateList. */
const IDENTIFIERS = new Map<SignatureAlgorithm, Uint8Array>(
  SIGNATURE_ALGORITHMS.map((alg) => {
    const oid = ALGORITHMS[alg].x509Oid;
    const identifier =
      alg === 'PS256'
        ? new AlgorithmIdentifier({ algorithm: oid, parameters: PSS_PARAMETERS })
        : alg === 'RS256'
          ? new AlgorithmIdentifier({ algorithm: oid, parameters: null })
          : new AlgorithmIdentifier({ algorithm: oid });
    return [alg, new Uint8Array(AsnConvert.serialize(identifier))];
  }),
);

export function algorithmIdentifierDer(alg: SignatureAlgorithm): Uint8Array {
  return IDENTIFIERS.get(alg)!;
}

/** Absent or NULL: RFC 4055 and RFC 5758 ask verifiers to accept both where either is seen. */
function absentOrNull(parameters: ArrayBuffer | null | undefined): boolean {
  return parameters === undefined || parameters === null;
}

function isPss256(parameters: ArrayBuffer | null | undefined): boolean {
  if (!parameters) return false;
  const pss = AsnConvert.parse(parameters, RsaSaPssParams);
  if (pss.hashAlgorithm.algorithm !== OID.sha256 || !absentOrNull(pss.hashAlgorithm.parameters)) return false;
  if (pss.maskGenAlgorithm.algorithm !== OID.mgf1 || !pss.maskGenAlgorithm.parameters) return false;
  const mgfHash = AsnConvert.parse(pss.maskGenAlgorithm.parameters, AlgorithmIdentifier);
  if (mgfHash.algorithm !== OID.sha256 || !absentOrNull(mgfHash.parameters)) return false;
  return Number(pss.saltLength) === 32 && Number(pss.trailerField) === 1;
}

/** Certificates repeat a handful of identifiers; remembering them saves an ASN.1 parse per certificate. */
const seen = new Map<string, SignatureAlgorithm | UnsupportedAlgorithm>();
const MAX_SEEN = 64;

/** Reads a DER AlgorithmIdentifier into the table's name, or an `unsupported` marker with the OID. */
export function signatureAlgorithmFromIdentifier(der: Uint8Array): SignatureAlgorithm | UnsupportedAlgorithm {
  const hex = toHex(der);
  let alg = seen.get(hex);
  if (alg === undefined) {
    alg = readIdentifier(der);
    if (seen.size < MAX_SEEN) seen.set(hex, alg);
  }
  return alg;
}

function readIdentifier(der: Uint8Array): SignatureAlgorithm | UnsupportedAlgorithm {
  const { algorithm, parameters } = AsnConvert.parse(der, AlgorithmIdentifier);
  switch (algorithm) {
    case OID.ecdsaWithSha256:
      return absentOrNull(parameters) ? 'ES256' : { unsupported: algorithm };
    case OID.sm2WithSm3:
      // Several Chinese CAs write NULL parameters here.
      return absentOrNull(parameters) ? 'SM2SM3' : { unsupported: algorithm };
    case OID.ed25519:
      return parameters === undefined ? 'EdDSA' : { unsupported: algorithm };
    case OID.sha256WithRsa:
      return absentOrNull(parameters) ? 'RS256' : { unsupported: algorithm };
    case OID.rsassaPss:
      return isPss256(parameters) ? 'PS256' : { unsupported: `${algorithm} (parameters other than SHA-256/MGF1-SHA-256/salt 32)` };
    default:
      return { unsupported: algorithm };
  }
}

const DER_SIGNED = new Set<SignatureAlgorithm>(['ES256', 'SM2SM3']);

/** The BIT STRING content of an X.509 signature made by `alg`, from the JOSE form the signer returns. */
export function x509SignatureValue(alg: SignatureAlgorithm, raw: Uint8Array): Uint8Array {
  return DER_SIGNED.has(alg) ? rawSignatureToDer(raw) : raw;
}

/**
 * The JOSE form of an X.509 signature value; unsupported algorithms keep the bytes as they are. An
 * ECDSA or SM2 value that is not a DER `SEQUENCE { r, s }` of 32-byte integers (another curve's
 * signature under ecdsa-with-SHA256, or garbage) becomes empty, so it can never verify; whether that
 * is a failure or an unsupported key is decided by the issuer key at verification.
 */
export function rawSignatureValue(alg: SignatureAlgorithm | UnsupportedAlgorithm, value: Uint8Array): Uint8Array {
  if (!isSupportedAlgorithm(alg) || !DER_SIGNED.has(alg)) return value;
  try {
    return derSignatureToRaw(value);
  } catch {
    return new Uint8Array(0);
  }
}
