/**
 * Staged CMS signing: `prepareCmsSignature` returns the exact bytes to sign (the DER signed
 * attributes), so a remote signer or an HSM can sign them, and `complete` wraps the signature value
 * into ContentInfo(SignedData). Signed attributes are those of ETSI.CAdES.detached / PAdES baseline
 * B-B: content-type, message-digest, ESS signing-certificate-v2, signing-time only on request (PAdES
 * puts the time in the signature dictionary's /M).
 */
import { equalBytes } from '../bytes.js';
import { ALGORITHMS, algorithmSpec, type SignatureAlgorithm } from '../crypto/algorithms.js';
import { derSignatureToRaw } from '../crypto/ecdsa-der.js';
import { assertKeyFitsAlgorithm, parsePublicKey } from '../crypto/public-key.js';
import { ElicenseError } from '../errors.js';
import { parseCertificate, type CertificateInfo } from '../pki/certificate.js';
import { encodeOid } from '../pki/der.js';
import { encodeAttributeSet, type CmsAttribute } from './attributes.js';
import { encodeSignedData, encodeSignerInfo } from './build-signed-data.js';
import { encodeTime, octetString } from './der-build.js';
import { computeDigest, digestAlgorithmIdentifier, digestLength, type DigestAlgorithm } from './digest-algorithms.js';
import { CMS_OID } from './oids.js';
import { CMS_DIGEST, cmsSignatureAlgorithmIdentifier, cmsSignatureValue } from './signature-algorithms.js';
import { issuerAndSerialNumber } from './signer-identifier.js';
import { signingCertificateV2Value } from './signing-certificate.js';

export interface PrepareCmsSignatureOptions {
  /** The signer's certificate first, then any intermediates; DER. All are embedded. */
  readonly certificates: readonly Uint8Array[];
  readonly alg: SignatureAlgorithm;
  /** The content's digest under `cmsDigestAlgorithm(alg)`, when the caller hashed it (a PDF byte range). */
  readonly contentDigest?: Uint8Array;
  /** The content itself; hashed here. Give this or `contentDigest`. */
  readonly content?: Uint8Array;
  /** eContentType; id-data when absent. */
  readonly contentType?: string;
  /** Adds a signing-time attribute; off by default (PAdES keeps the time in /M). */
  readonly signingTime?: Date;
  /** More signed attributes (not content-type, message-digest, signing-time or signing-certificate). */
  readonly extraSignedAttributes?: readonly CmsAttribute[];
  /** Embeds `content` as eContent (time-stamp tokens do); detached otherwise. */
  readonly encapsulateContent?: boolean;
  /** Leaves the certificates out of the SignedData (a time-stamp token for a request without certReq). */
  readonly omitCertificates?: boolean;
}

export interface PreparedCmsSignature {
  readonly alg: SignatureAlgorithm;
  readonly digestAlgorithm: DigestAlgorithm;
  /** DER of the signed attributes SET OF: exactly the bytes the signer signs (the message, not a digest). */
  readonly signedAttributes: Uint8Array;
  /**
   * DER ContentInfo(SignedData) around the signature value, given in JOSE form (raw r‖s for ECDSA and
   * SM2, as core signers return it) or, for ECDSA and SM2, as DER `SEQUENCE { r, s }` as HSMs return it.
   */
  complete(signatureValue: Uint8Array): Uint8Array;
}

const RESERVED_ATTRIBUTES = new Set<string>([
  CMS_OID.contentType,
  CMS_OID.messageDigest,
  CMS_OID.signingTime,
  CMS_OID.signingCertificate,
  CMS_OID.signingCertificateV2,
]);

function misuse(message: string, field?: string): never {
  throw new ElicenseError('ERR_INVALID_INPUT', message, field === undefined ? {} : { field });
}

/** The digest algorithm a CMS signature with `alg` uses for message-digest: hash PDF byte ranges with it. */
export function cmsDigestAlgorithm(alg: SignatureAlgorithm): DigestAlgorithm {
  return CMS_DIGEST[algorithmSpec(alg).alg];
}

async function contentDigestFor(options: PrepareCmsSignatureOptions, digestAlgorithm: DigestAlgorithm): Promise<Uint8Array> {
  const { content, contentDigest } = options;
  if ((content === undefined) === (contentDigest === undefined)) misuse('give exactly one of content and contentDigest');
  if (options.encapsulateContent && content === undefined) misuse('encapsulateContent needs the content itself', 'content');
  if (content !== undefined) return computeDigest(digestAlgorithm, content);
  if (contentDigest!.length !== digestLength(digestAlgorithm)) {
    misuse(`contentDigest must be a ${digestAlgorithm} digest of ${digestLength(digestAlgorithm)} bytes, got ${contentDigest!.length}`, 'contentDigest');
  }
  return contentDigest!;
}

function signerCertificate(options: PrepareCmsSignatureOptions): CertificateInfo {
  const [leaf] = options.certificates;
  if (!leaf) misuse('certificates must hold the signer certificate first', 'certificates');
  const certificate = parseCertificate(leaf);
  assertKeyFitsAlgorithm(options.alg, parsePublicKey(certificate.publicKey));
  return certificate;
}

/** The CMS form of a signature value given raw (JOSE) or, for ECDSA and SM2, already DER. */
function signatureForCms(alg: SignatureAlgorithm, value: Uint8Array): Uint8Array {
  const rawLength = ALGORITHMS[alg].rawSignatureLength;
  if (alg !== 'ES256' && alg !== 'SM2SM3') return value;
  if (value.length === rawLength) return cmsSignatureValue(alg, value);
  derSignatureToRaw(value);
  return value;
}

export async function prepareCmsSignature(options: PrepareCmsSignatureOptions): Promise<PreparedCmsSignature> {
  const { alg } = options;
  if (!algorithmSpec(alg).canSign) throw new ElicenseError('ERR_ALG_UNSUPPORTED', `${alg} is accepted for verification only`);
  const certificate = signerCertificate(options);
  const digestAlgorithm = CMS_DIGEST[alg];
  const messageDigest = await contentDigestFor(options, digestAlgorithm);
  const contentType = options.contentType ?? CMS_OID.data;

  for (const extra of options.extraSignedAttributes ?? []) {
    if (RESERVED_ATTRIBUTES.has(extra.oid)) misuse(`signed attribute ${extra.oid} is written by prepareCmsSignature itself`, 'extraSignedAttributes');
    if (extra.values.length === 0) misuse(`signed attribute ${extra.oid} has no value`, 'extraSignedAttributes');
  }
  if (options.signingTime !== undefined && Number.isNaN(options.signingTime.getTime())) misuse('signingTime is not a valid Date', 'signingTime');

  const attributes: CmsAttribute[] = [
    { oid: CMS_OID.contentType, values: [encodeOid(contentType)] },
    { oid: CMS_OID.messageDigest, values: [octetString(messageDigest)] },
    { oid: CMS_OID.signingCertificateV2, values: [await signingCertificateV2Value(certificate)] },
    ...(options.signingTime ? [{ oid: CMS_OID.signingTime, values: [encodeTime(options.signingTime)] }] : []),
    ...(options.extraSignedAttributes ?? []),
  ];
  const signedAttributes = encodeAttributeSet(attributes);
  const digestIdentifier = digestAlgorithmIdentifier(digestAlgorithm);
  const certificates = options.omitCertificates ? [] : options.certificates.map((der) => der.slice());
  const content = options.encapsulateContent ? options.content!.slice() : undefined;

  return {
    alg,
    digestAlgorithm,
    signedAttributes: signedAttributes.slice(),
    complete(signatureValue) {
      const signerInfo = encodeSignerInfo({
        signerIdentifier: issuerAndSerialNumber(certificate),
        digestAlgorithm: digestIdentifier,
        signedAttributes,
        signatureAlgorithm: cmsSignatureAlgorithmIdentifier(alg),
        signature: signatureForCms(alg, signatureValue),
      });
      return encodeSignedData({
        digestAlgorithm: digestIdentifier,
        contentType,
        ...(content ? { content } : {}),
        certificates,
        signerInfo,
      });
    },
  };
}

/** Refuses a signer whose key is not the key of its first certificate: nothing is signed with the wrong key. */
export function assertSignerMatchesCertificate(publicKey: Uint8Array, certificateDer: Uint8Array | undefined): void {
  if (!certificateDer) misuse('the signer has no certificate', 'certificates');
  const certified = parsePublicKey(parseCertificate(certificateDer).publicKey).keyBytes;
  if (!equalBytes(parsePublicKey(publicKey).keyBytes, certified)) {
    throw new ElicenseError('ERR_KEY_INVALID', 'the signer key is not the key of its first certificate');
  }
}
