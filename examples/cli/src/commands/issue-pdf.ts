/**
 * The PDF form of a license for `elicense issue --pdf`: rendered, sealed and certified by the issuing
 * office's key; with `--tsa` time-stamped (PAdES B-T), and with `--lta` also given its chain and CRLs
 * in a DSS and a document timestamp (B-LTA). Its QR code carries the core fields signed by the same key,
 * so a scan verifies offline (`elicense verify scan.png`).
 */
import {
  issueLicensePdf,
  isElicenseError,
  parsePem,
  signLicenseQr,
  type LicenseCredential,
  type LicenseType,
  type Signer,
  type Timestamper,
} from '@elicense/core';
import { UsageError } from '../errors.js';
import { readInput, writeOutput } from '../io.js';
import { loadLicenseFont } from '@elicense/platform/license-font';
import { requestTimestamp } from '../tsa/client.js';
import { loadCertificates } from './inputs.js';

export interface LicensePdfRequest {
  readonly out: string;
  readonly credential: LicenseCredential;
  readonly type: LicenseType;
  readonly signedJson: string;
  readonly signer: Signer;
  readonly qrUrl: string;
  readonly tsa?: string;
  readonly lta: boolean;
  /** For B-LTA: CRL files (PEM or DER) and extra certificates (the root) for the DSS. */
  readonly crlFiles: readonly string[];
  readonly dssCertificateFiles: readonly string[];
}

function httpTimestamper(url: string): Timestamper {
  return async (digest, hashAlgorithm) => (await requestTimestamp(url, digest, hashAlgorithm, { timeoutMs: 15_000 })).token;
}

async function readCrls(files: readonly string[]): Promise<Uint8Array[]> {
  const crls: Uint8Array[] = [];
  for (const file of files) {
    const bytes = await readInput(file, 'CRL');
    const text = new TextDecoder().decode(bytes.subarray(0, 64));
    if (text.includes('-----BEGIN')) {
      const blocks = parsePem(new TextDecoder().decode(bytes)).filter((b) => b.label === 'X509 CRL');
      if (blocks.length === 0) throw new UsageError(`${file} holds no X509 CRL block`);
      crls.push(...blocks.map((b) => b.der));
    } else {
      crls.push(bytes);
    }
  }
  return crls;
}

export async function writeLicensePdf(request: LicensePdfRequest): Promise<string> {
  const timestamper = request.tsa === undefined ? undefined : httpTimestamper(request.tsa);
  const extraCertificates = (await Promise.all(request.dssCertificateFiles.map((file) => loadCertificates(file)))).flat().map((c) => c.der);
  try {
    const pdf = await issueLicensePdf({
      credential: request.credential,
      type: request.type,
      signedJson: request.signedJson,
      // The QR holds the verification URL with the identifier and the core fields signed by the same key.
      qrText: await signLicenseQr(request.credential, request.signer, { verificationUrl: request.qrUrl }),
      font: await loadLicenseFont(),
      signer: request.signer,
      signingTime: new Date(),
      ...(timestamper ? { timestamper } : {}),
      ...(request.lta
        ? { validationData: { certificates: [...request.signer.certificates, ...extraCertificates], crls: await readCrls(request.crlFiles) }, archiveTimestamp: true }
        : {}),
    });
    await writeOutput(request.out, pdf);
    return request.lta ? 'PAdES B-LTA' : timestamper ? 'PAdES B-T' : 'PAdES B-B';
  } catch (error) {
    if (isElicenseError(error)) throw new UsageError(`cannot make the PDF: ${error.message}`);
    throw error;
  }
}
