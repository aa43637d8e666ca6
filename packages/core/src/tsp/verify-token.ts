/**
 * Verifies an RFC 3161 time-stamp token: the TSTInfo's message imprint against the caller's data or
 * digest, the token's CMS signature (checks renamed `tsp.*`), and the TSA certificate's critical
 * id-kp-timeStamping usage and validity at genTime. Path and trust are the caller's: it gets the TSA
 * certificate and the embedded ones for pki/path.ts validateCertificatePath, judged at genTime.
 */
import { equalBytes } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import type { CertificateInfo } from '../pki/certificate.js';
import { failed, passed } from '../verify/checks.js';
import { worstOf, type Check } from '../verify/report.js';
import { computeDigest, type DigestAlgorithm } from '../cms/digest-algorithms.js';
import { malformed } from '../cms/der-read.js';
import { CMS_OID } from '../cms/oids.js';
import { parseCmsSignedData } from '../cms/parse-signed-data.js';
import { verifyCmsSignature } from '../cms/verify-cms-signature.js';
import { timeStampingCertificateProblem } from './tsa-certificate.js';
import { parseTstInfo, type Accuracy } from './tst-info.js';

export type TimeStampSubject =
  | { readonly data: Uint8Array }
  | { readonly digest: Uint8Array; readonly hashAlgorithm?: DigestAlgorithm };

export interface VerifyTimeStampOptions {
  /** TSA certificates to use when the token embeds none (requested without certReq). */
  readonly certificates?: readonly (Uint8Array | CertificateInfo)[];
}

export interface TimeStampVerification {
  /** True when every check passed; chain and trust are still the caller's to judge. */
  readonly valid: boolean;
  readonly genTime: Date;
  readonly policy: string;
  /** Lowercase hex. */
  readonly serialNumber: string;
  readonly hashAlgorithm?: DigestAlgorithm;
  readonly accuracy?: Accuracy;
  /** Lowercase hex of the nonce INTEGER content. */
  readonly nonce?: string;
  /** DER of the certificate that signed the token, when found. */
  readonly tsaCertificate?: Uint8Array;
  /** DER of every certificate embedded in the token (the path to build from). */
  readonly certificates: readonly Uint8Array[];
  /** `tsp.message-imprint`, the `tsp.*` CMS checks, `tsp.tsa-certificate`. */
  readonly checks: readonly Check[];
}

function imprintCheck(claimed: Uint8Array, actual: Uint8Array | undefined, why?: string): Check {
  const id = 'tsp.message-imprint';
  if (!actual) return failed(id, 'HASH_FAILURE', why ?? 'no digest to compare with');
  return equalBytes(claimed, actual)
    ? passed(id, 'the time-stamp covers the given data')
    : failed(id, 'HASH_FAILURE', 'the time-stamp message imprint does not match the given data');
}

/** Throws ERR_ASN1_INVALID when the token is not a SignedData over a TSTInfo; everything else is a check. */
export async function verifyTimeStampToken(
  tokenDer: Uint8Array,
  subject: TimeStampSubject,
  options: VerifyTimeStampOptions = {},
): Promise<TimeStampVerification> {
  const signedData = parseCmsSignedData(tokenDer);
  if (signedData.encapsulatedContentType !== CMS_OID.tstInfo || !signedData.encapsulatedContent) {
    malformed('timeStampToken', 'the SignedData does not encapsulate a TSTInfo');
  }
  if (signedData.signerInfos.length !== 1) malformed('timeStampToken', 'a time-stamp token has exactly one SignerInfo');
  const info = parseTstInfo(signedData.encapsulatedContent);
  const imprint = info.messageImprint;

  let actual: Uint8Array | undefined;
  let why: string | undefined;
  if ('data' in subject) {
    if (imprint.hashAlgorithm) actual = await computeDigest(imprint.hashAlgorithm, subject.data);
    else why = `the imprint hash algorithm ${imprint.hashAlgorithmOid} is not supported`;
  } else if (subject.hashAlgorithm !== undefined && subject.hashAlgorithm !== imprint.hashAlgorithm) {
    why = `the imprint uses ${imprint.hashAlgorithm ?? imprint.hashAlgorithmOid}, not ${subject.hashAlgorithm}`;
  } else if (!(subject.digest instanceof Uint8Array)) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'give the data or its digest', { field: 'digest' });
  } else {
    actual = subject.digest;
  }
  const checks: Check[] = [imprintCheck(imprint.hashedMessage, actual, why)];

  const cms = await verifyCmsSignature(signedData, options.certificates ? { certificates: options.certificates } : {});
  const signer = cms.signers[0]!;
  checks.push(...signer.checks.map((check) => ({ ...check, id: check.id.replace(/^cms\./, 'tsp.') })));

  const certificate = signer.certificate;
  if (certificate) {
    const problem = timeStampingCertificateProblem(certificate);
    const at = info.genTime.getTime();
    const inValidity = certificate.notBefore.getTime() <= at && at <= certificate.notAfter.getTime();
    checks.push(
      problem
        ? failed('tsp.tsa-certificate', 'CHAIN_CONSTRAINTS_FAILURE', problem)
        : inValidity
          ? passed('tsp.tsa-certificate', `${certificate.subject} is a time-stamping certificate valid at genTime`)
          : failed('tsp.tsa-certificate', 'EXPIRED', `genTime ${info.genTime.toISOString()} is outside the validity of ${certificate.subject}`),
    );
  }
  return {
    valid: worstOf(checks).indication === 'TOTAL_PASSED',
    genTime: info.genTime,
    policy: info.policy,
    serialNumber: info.serialNumber,
    ...(imprint.hashAlgorithm ? { hashAlgorithm: imprint.hashAlgorithm } : {}),
    ...(info.accuracy ? { accuracy: info.accuracy } : {}),
    ...(info.nonce === undefined ? {} : { nonce: info.nonce }),
    ...(certificate ? { tsaCertificate: certificate.der } : {}),
    certificates: signedData.certificates.map((c) => c.der),
    checks,
  };
}
