/**
 * Judges each SignerInfo of a CMS SignedData as separate facts (signer certificate found, algorithms
 * fit, signed attributes well-formed, message digest, signature, ESS binding), each a report check
 * with an id a document verifier can use as is: `cms.signer-certificate`, `cms.algorithms`,
 * `cms.signed-attributes`, `cms.message-digest`, `cms.signature`, `cms.signing-certificate`.
 * Certificate path, trust and revocation are the caller's (pki/path.ts). Nothing missing or unknown
 * ever passes.
 */
import { equalBytes } from '../bytes.js';
import { isSignatureAlgorithm, type SignatureAlgorithm } from '../crypto/algorithms.js';
import { assertKeyFitsAlgorithm, parsePublicKey } from '../crypto/public-key.js';
import { verifySignature } from '../crypto/verify-signature.js';
import type { CertificateInfo } from '../pki/certificate.js';
import { content, decodeOid, readTlv } from '../pki/der.js';
import { parseCertificateCached, parseTime } from '../pki/certificate.js';
import type { UnsupportedAlgorithm } from '../pki/x509-algorithm.js';
import { failed, indeterminate, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import type { CmsAttribute } from './attributes.js';
import { computeDigest, type DigestAlgorithm } from './digest-algorithms.js';
import { CMS_OID } from './oids.js';
import { parseCmsSignedData, type ParsedCmsSignedData, type ParsedSignerInfo } from './parse-signed-data.js';
import { CMS_DIGEST, rawCmsSignature } from './signature-algorithms.js';
import { identifies } from './signer-identifier.js';
import { checkSigningCertificate } from './signing-certificate.js';

export interface CmsVerificationOptions {
  /** The signed content (for a PDF, the byte-range bytes). Overrides eContent when given. */
  readonly content?: Uint8Array;
  /**
   * The content's digest under the signer's digest algorithm (see `ParsedSignerInfo.digestAlgorithm`);
   * a promise lets the signature be checked while the digest of a large content is still computed.
   */
  readonly contentDigest?: Uint8Array | Promise<Uint8Array>;
  /** More certificates the signer's may be among, for SignedData that embeds none (a time-stamp token without certReq). */
  readonly certificates?: readonly (Uint8Array | CertificateInfo)[];
}

export interface CmsSignerVerification {
  readonly index: number;
  /** The signer certificate, found among the embedded ones by the SignerInfo's identifier. */
  readonly certificate?: CertificateInfo;
  readonly digestAlgorithm?: DigestAlgorithm;
  readonly digestAlgorithmOid: string;
  readonly signatureAlgorithm: SignatureAlgorithm | UnsupportedAlgorithm;
  readonly signatureAlgorithmOid: string;
  /** OIDs of the signed attributes, in the order received. */
  readonly signedAttributes: readonly string[];
  /** Undefined when it could not be judged (no content given, or no signed attributes). */
  readonly messageDigestMatches?: boolean;
  readonly signatureValid: boolean;
  readonly signingCertificateBound: boolean;
  readonly signingTime?: Date;
  /** The signature value as stored: what a signature time-stamp's imprint covers. */
  readonly signatureValue: Uint8Array;
  /** DER time-stamp tokens from id-aa-signatureTimeStampToken unsigned attributes. */
  readonly timestampTokens: readonly Uint8Array[];
  readonly checks: readonly Check[];
}

export interface CmsVerification {
  readonly signedData: ParsedCmsSignedData;
  readonly signers: readonly CmsSignerVerification[];
  /** Every signer's checks in order, plus `cms.signers` when there is no SignerInfo at all. */
  readonly checks: readonly Check[];
}

const ALGORITHM_CHECK = 'cms.algorithms';

function singleValue(attributes: readonly CmsAttribute[], oid: string): Uint8Array | undefined {
  const found = attributes.filter((a) => a.oid === oid);
  return found.length === 1 && found[0]!.values.length === 1 ? found[0]!.values[0] : undefined;
}

/** Content octets of a one-TLV value with the given tag, or undefined when it is something else. */
function valueContent(value: Uint8Array | undefined, tag: number): Uint8Array | undefined {
  if (!value) return undefined;
  try {
    const tlv = readTlv(value, 0);
    return tlv.tag === tag && tlv.end === value.length ? content(value, tlv) : undefined;
  } catch {
    return undefined;
  }
}

function attributeProblems(attributes: readonly CmsAttribute[], eContentType: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { oid } of attributes) {
    if (seen.has(oid)) problems.push(`attribute ${oid} appears more than once`);
    seen.add(oid);
  }
  const contentTypeBody = valueContent(singleValue(attributes, CMS_OID.contentType), 0x06);
  let contentType: string | undefined;
  try {
    contentType = contentTypeBody ? decodeOid(contentTypeBody) : undefined;
  } catch {
    contentType = undefined;
  }
  if (contentType === undefined) problems.push('content-type is missing or malformed');
  else if (contentType !== eContentType) problems.push(`content-type ${contentType} differs from eContentType ${eContentType}`);
  if (!valueContent(singleValue(attributes, CMS_OID.messageDigest), 0x04)) problems.push('message-digest is missing or malformed');
  return problems;
}

function readSigningTime(attributes: readonly CmsAttribute[]): Date | undefined {
  const value = singleValue(attributes, CMS_OID.signingTime);
  if (!value) return undefined;
  try {
    return parseTime(value, readTlv(value, 0));
  } catch {
    return undefined;
  }
}

/** The algorithm fit: known digest, algorithm in the table, the digest the algorithm requires, a key it can use. */
function algorithmCheck(info: ParsedSignerInfo, certificate: CertificateInfo | undefined): { check: Check; alg?: SignatureAlgorithm } {
  const alg = info.signatureAlgorithm;
  if (!isSignatureAlgorithm(alg)) {
    return { check: indeterminate(ALGORITHM_CHECK, 'CRYPTO_CONSTRAINTS_FAILURE', `signature algorithm ${(alg as UnsupportedAlgorithm).unsupported} is not supported`) };
  }
  if (!info.digestAlgorithm) {
    return { check: failed(ALGORITHM_CHECK, 'CRYPTO_CONSTRAINTS_FAILURE', `digest algorithm ${info.digestAlgorithmOid} is not supported with ${alg}`) };
  }
  if (info.digestAlgorithm !== CMS_DIGEST[alg]) {
    return { check: failed(ALGORITHM_CHECK, 'CRYPTO_CONSTRAINTS_FAILURE', `${alg} signatures use ${CMS_DIGEST[alg]}, but the digest algorithm is ${info.digestAlgorithm}`) };
  }
  if (certificate) {
    try {
      assertKeyFitsAlgorithm(alg, parsePublicKey(certificate.publicKey));
    } catch (error) {
      return { check: failed(ALGORITHM_CHECK, 'SIG_CRYPTO_FAILURE', `the signer key does not fit ${alg}: ${(error as Error).message}`) };
    }
  }
  return { check: passed(ALGORITHM_CHECK, `${alg} with ${info.digestAlgorithm}`), alg };
}

/** The RFC 3161 tokens over the signature value (CAdES signature-time-stamp), in their order. */
export function signatureTimestampTokens(info: ParsedSignerInfo): Uint8Array[] {
  return info.unsignedAttributes.filter((a) => a.oid === CMS_OID.signatureTimeStampToken).flatMap((a) => a.values);
}

interface ContentSource {
  readonly content?: Uint8Array;
  readonly contentDigest?: Uint8Array | Promise<Uint8Array>;
}

async function messageDigestCheck(
  attributes: readonly CmsAttribute[],
  digestAlgorithm: DigestAlgorithm | undefined,
  source: ContentSource,
): Promise<{ check: Check; matches?: boolean }> {
  const id = 'cms.message-digest';
  const claimed = valueContent(singleValue(attributes, CMS_OID.messageDigest), 0x04);
  if (!claimed) return { check: failed(id, 'FORMAT_FAILURE', 'no well-formed message-digest attribute') };
  if (!digestAlgorithm) return { check: indeterminate(id, 'CRYPTO_CONSTRAINTS_FAILURE', 'the digest algorithm is not supported') };
  let actual: Uint8Array;
  if (source.content) actual = await computeDigest(digestAlgorithm, source.content);
  else if (source.contentDigest) actual = await source.contentDigest;
  else return { check: indeterminate(id, 'SIGNED_DATA_NOT_FOUND', 'detached signature and no content given') };
  const matches = equalBytes(actual, claimed);
  return matches
    ? { check: passed(id, `the ${digestAlgorithm} digest of the content matches message-digest`), matches }
    : { check: failed(id, 'HASH_FAILURE', `the ${digestAlgorithm} digest of the content does not match message-digest`), matches };
}

async function signatureCheck(
  info: ParsedSignerInfo,
  alg: SignatureAlgorithm | undefined,
  certificate: CertificateInfo | undefined,
  source: ContentSource,
): Promise<{ check: Check; valid: boolean }> {
  const id = 'cms.signature';
  if (!certificate) return { check: indeterminate(id, 'NO_SIGNING_CERTIFICATE_FOUND', 'no signer certificate to verify with'), valid: false };
  if (!alg) return { check: indeterminate(id, 'CRYPTO_CONSTRAINTS_FAILURE', 'the signature algorithm is not supported'), valid: false };
  // Without signed attributes the signature covers the content itself (as in GB/T 35275 files).
  const signed = info.signedAttributesDer ?? source.content;
  if (!signed) return { check: indeterminate(id, 'SIGNED_DATA_NOT_FOUND', 'no signed attributes and no content to verify over'), valid: false };
  let valid: boolean;
  try {
    valid = await verifySignature(alg, certificate.publicKey, signed, rawCmsSignature(alg, info.signature));
  } catch (error) {
    return { check: failed(id, 'SIG_CRYPTO_FAILURE', `the signature cannot be checked with the signer key: ${(error as Error).message}`), valid: false };
  }
  const over = info.signedAttributesDer ? 'the signed attributes' : 'the content (no signed attributes)';
  return valid
    ? { check: passed(id, `the ${alg} signature over ${over} verifies with ${certificate.subject}`), valid }
    : { check: failed(id, 'SIG_CRYPTO_FAILURE', `the ${alg} signature over ${over} does not verify`), valid };
}

async function signingCertificateCheck(attributes: readonly CmsAttribute[], certificate: CertificateInfo | undefined): Promise<{ check: Check; bound: boolean }> {
  const id = 'cms.signing-certificate';
  const v2 = attributes.filter((a) => a.oid === CMS_OID.signingCertificateV2);
  const v1 = attributes.filter((a) => a.oid === CMS_OID.signingCertificate);
  const [attribute, ...others] = v2.length > 0 ? v2 : v1;
  if (!attribute) return { check: failed(id, 'SIG_CONSTRAINTS_FAILURE', 'no ESS signing-certificate(-v2) attribute binds the signer certificate'), bound: false };
  if (others.length > 0 || attribute.values.length !== 1) {
    return { check: failed(id, 'FORMAT_FAILURE', 'the ESS signing-certificate attribute must appear once with one value'), bound: false };
  }
  if (!certificate) return { check: indeterminate(id, 'NO_SIGNING_CERTIFICATE_FOUND', 'no signer certificate to compare with'), bound: false };
  try {
    const binding = await checkSigningCertificate({ oid: attribute.oid, value: attribute.values[0]! }, certificate);
    return binding.bound
      ? { check: passed(id, binding.message), bound: true }
      : { check: failed(id, 'SIG_CONSTRAINTS_FAILURE', binding.message), bound: false };
  } catch (error) {
    return { check: failed(id, 'FORMAT_FAILURE', `malformed ESS signing-certificate attribute: ${(error as Error).message}`), bound: false };
  }
}

async function verifySigner(
  signedData: ParsedCmsSignedData,
  info: ParsedSignerInfo,
  source: ContentSource,
  candidates: readonly CertificateInfo[],
): Promise<CmsSignerVerification> {
  const checks: Check[] = [];
  const certificate = candidates.find((cert) => identifies(info.identifier, cert));
  checks.push(
    certificate
      ? passed('cms.signer-certificate', `signer certificate ${certificate.subject} (serial ${certificate.serialNumber})`)
      : indeterminate('cms.signer-certificate', 'NO_SIGNING_CERTIFICATE_FOUND', 'the certificate the SignerInfo names is not among the certificates available'),
  );
  const { check: algCheck, alg } = algorithmCheck(info, certificate);
  checks.push(algCheck);

  const attributes = info.signedAttributes;
  // The digest, the signature and the certificate binding each wait on WebCrypto: started together,
  // their waits overlap. The checks are listed in this order whatever finishes first.
  const pendingDigest = attributes ? messageDigestCheck(attributes, info.digestAlgorithm, source) : undefined;
  const pendingSignature = signatureCheck(info, alg, certificate, source);
  const pendingBinding = signingCertificateCheck(attributes ?? [], certificate);
  for (const pending of [pendingDigest, pendingSignature, pendingBinding]) pending?.catch(() => undefined);
  let messageDigestMatches: boolean | undefined;
  if (!attributes) {
    checks.push(failed('cms.signed-attributes', 'FORMAT_FAILURE', 'the SignerInfo has no signed attributes (CAdES and PAdES require them)'));
  } else {
    const problems = attributeProblems(attributes, signedData.encapsulatedContentType);
    checks.push(
      problems.length === 0
        ? passed('cms.signed-attributes', 'content-type and message-digest present once each')
        : failed('cms.signed-attributes', 'FORMAT_FAILURE', problems.join('; ')),
    );
    const md = await pendingDigest!;
    checks.push(md.check);
    messageDigestMatches = md.matches;
  }
  const signature = await pendingSignature;
  checks.push(signature.check);
  const binding = await pendingBinding;
  checks.push(binding.check);
  const signingCertificateBound = binding.bound;

  const signingTime = attributes ? readSigningTime(attributes) : undefined;
  const timestampTokens = signatureTimestampTokens(info);
  return {
    index: info.index,
    ...(certificate ? { certificate } : {}),
    ...(info.digestAlgorithm ? { digestAlgorithm: info.digestAlgorithm } : {}),
    digestAlgorithmOid: info.digestAlgorithmOid,
    signatureAlgorithm: info.signatureAlgorithm,
    signatureAlgorithmOid: info.signatureAlgorithmOid,
    signedAttributes: (attributes ?? []).map((a) => a.oid),
    ...(messageDigestMatches === undefined ? {} : { messageDigestMatches }),
    signatureValid: signature.valid,
    signingCertificateBound,
    ...(signingTime ? { signingTime } : {}),
    signatureValue: info.signature,
    timestampTokens,
    checks,
  };
}

/**
 * Verifies every SignerInfo. `content` or `contentDigest` stands for a detached content; without
 * either, encapsulated content is used. Throws only for unparseable input (see parseCmsSignedData).
 */
export async function verifyCmsSignature(cms: ParsedCmsSignedData | Uint8Array, options: CmsVerificationOptions = {}): Promise<CmsVerification> {
  const signedData = cms instanceof Uint8Array ? parseCmsSignedData(cms) : cms;
  const source: ContentSource =
    options.content !== undefined
      ? { content: options.content }
      : options.contentDigest !== undefined
        ? { contentDigest: options.contentDigest }
        : signedData.encapsulatedContent !== undefined
          ? { content: signedData.encapsulatedContent }
          : {};
  const candidates = [...signedData.certificates, ...(options.certificates ?? []).map((cert) => parseCertificateCached(cert))];
  const signers: CmsSignerVerification[] = [];
  for (const info of signedData.signerInfos) signers.push(await verifySigner(signedData, info, source, candidates));
  const checks = signers.flatMap((s) => s.checks);
  if (signers.length === 0) checks.push(failed('cms.signers', 'FORMAT_FAILURE', 'the SignedData has no SignerInfo'));
  return { signedData, signers, checks };
}
