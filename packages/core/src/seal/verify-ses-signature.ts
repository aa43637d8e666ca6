/**
 * Verifies an electronic seal signature (SES_Signature, v1, v4 or v5) in the order GB/T 38540 gives
 * (STANDARDS-CN §1.4): format; the signature over TBS_Sign; the signer's certificate in the seal's list;
 * the seal (maker's signature, validity at the signing time, registry status); the signer's and the
 * maker's certificate paths; the document hash; the timestamp. Every check is reported, in that order.
 */
import { equalBytes, toHex } from '../bytes.js';
import { sm3 } from '../crypto/sm3.js';
import type { CertificateInfo } from '../pki/certificate.js';
import { errorMessage, failed, indeterminate, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import { checkChain } from './chain-checks.js';
import { parseSesSignature } from './parse-ses-signature.js';
import { readSealCertificate } from './seal-certificate.js';
import { checkSealRegistration, checkSealSignature, checkSealValidity } from './seal-checks.js';
import { checkSignerInSeal } from './seal-membership.js';
import { checkSm2Signature } from './signature-check.js';
import { checkSealTimestamp, type TimestampOutcome } from './timestamp-checks.js';
import { SES_VERSION_NAMES, type ParsedSesSeal, type ParsedSesSignature, type SesVersion } from './types.js';
import { chainContext, sealMakerAnchors, sesTrust, type SesSignatureVerifyOptions } from './verify-options.js';

export interface SesSignatureVerification {
  readonly checks: Check[];
  readonly seal?: ParsedSesSeal;
  /** The signer's certificate, when the strict X.509 reader accepts it. */
  readonly signerCertificate?: CertificateInfo;
  /** The time the signer states (timeInfo). */
  readonly signingTime?: Date;
  /** Absent only when the input is not a SES_Signature at all. */
  readonly version?: SesVersion;
  /** The parsed signature, for callers that show or compare its parts (e.g. OFD's Seal.esl). */
  readonly signature?: ParsedSesSignature;
}

function checkDataHash(signature: ParsedSesSignature, options: SesSignatureVerifyOptions): Check {
  const id = 'ses.data-hash';
  const expected = signature.dataHash;
  const actual = options.data ? sm3(options.data) : options.dataHash;
  if (!actual) return indeterminate(id, 'SIGNED_DATA_NOT_FOUND', `the signed document was not given, so dataHash ${toHex(expected)} cannot be compared (property ${signature.propertyInfo})`);
  return equalBytes(actual, expected)
    ? passed(id, `dataHash is the SM3 hash of the signed document (${signature.propertyInfo})`)
    : failed(id, 'HASH_FAILURE', `the signed document's SM3 hash ${toHex(actual)} is not dataHash ${toHex(expected)} (${signature.propertyInfo})`);
}

export async function verifySesSignature(der: Uint8Array, options: SesSignatureVerifyOptions): Promise<SesSignatureVerification> {
  let signature: ParsedSesSignature;
  try {
    signature = parseSesSignature(der);
  } catch (error) {
    return { checks: [failed('ses.format', 'FORMAT_FAILURE', `not a readable SES_Signature: ${errorMessage(error)}`)] };
  }
  const { seal } = signature;
  const trust = sesTrust(options);
  const signer = readSealCertificate(signature.signerCertificate);
  const checks: Check[] = [
    passed(
      'ses.format',
      `SES_Signature ${SES_VERSION_NAMES[signature.version]}, seal ${seal.esID} "${seal.property.name}" from ${seal.header.vendorId}, signed at ${signature.signingTimeText}`,
    ),
    await checkSm2Signature({
      id: 'ses.signature',
      who: 'the signer',
      certificate: signer,
      algorithm: signature.signatureAlgorithm,
      signedBytes: signature.signedBytes,
      signature: signature.signature,
    }),
    await checkSignerInSeal(seal, signature.signerCertificate),
    await checkSealSignature(seal),
  ];

  // A trusted timestamp proves when the signature existed; without one, certificates are judged at `at`.
  const timestamp: TimestampOutcome | undefined = signature.timeStamp
    ? await checkSealTimestamp('ses.timestamp', signature.timeStamp, signature.signature.bytes, trust.trustList, chainContext(options, options.at))
    : undefined;
  const pathTime = timestamp?.provenTime ?? options.at;
  const signerChain = await checkChain(signer, 'cert', trust.trustList?.issuers.flatMap((issuer) => issuer.certificates), trust.noTrustReason, chainContext(options, pathTime));
  const makers = sealMakerAnchors(trust);
  const makerChain = await checkChain(readSealCertificate(seal.makerCertificate), 'seal.cert', makers.anchors, makers.reason, chainContext(options, pathTime));

  const sealTime = timestamp?.provenTime ?? signature.signingTime;
  const sealTimestamp = seal.timeStamp
    ? await checkSealTimestamp('ses.seal-timestamp', seal.timeStamp, seal.signature.bytes, trust.trustList, chainContext(options, options.at))
    : undefined;
  checks.push(
    ...(sealTimestamp?.checks ?? []),
    checkSealValidity(seal, sealTime, timestamp?.provenTime ? 'the timestamped signing time' : 'the stated signing time'),
    checkSealRegistration(seal, trust.trustList, sealTime ?? options.at, signerChain.path),
    ...signerChain.checks,
    ...makerChain.checks,
    checkDataHash(signature, options),
    ...(timestamp?.checks ?? []),
  );
  return {
    checks,
    seal,
    ...(signer.info ? { signerCertificate: signer.info } : {}),
    ...(signature.signingTime ? { signingTime: signature.signingTime } : {}),
    version: signature.version,
    signature,
  };
}
