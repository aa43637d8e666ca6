/**
 * The PDF test vectors: license PDFs signed to each PAdES level with every algorithm, and the attacks a
 * PDF verifier must catch (changed bytes, content replaced in a later revision, a signer the license
 * does not name). Built on the same demo PKI, trust list and status lists as the JSON vectors.
 */
import {
  appendIncrementalUpdate,
  defaultLicenseTypeRegistry,
  issueLicensePdf,
  readPdfTrailer,
  renderLicensePdf,
  signLicenseCompact,
  type LicenseCredential,
  type Signer,
  type Timestamper,
} from '@elicense/core';
import { PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFDict } from 'pdf-lib';
import { loadLicenseFont } from 'elicense/license-font';

export interface PdfVectorContext {
  readonly timestamper: Timestamper;
  /** The chain and CRLs a B-LT file carries in its DSS. */
  readonly validationData: { certificates: Uint8Array[]; crls: Uint8Array[] };
  readonly signingTime: Date;
}

export interface PdfVector {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expected: { indication: string; subIndication?: string };
  readonly description: string;
}

const QR_BASE = 'https://verify.elicense.example/v1?id=';

/** A license PDF: the JSON form signed by `jsonSigner`, the PDF certified by `pdfSigner`. */
export async function licensePdf(
  credential: LicenseCredential,
  jsonSigner: Signer,
  pdfSigner: Signer,
  ctx: PdfVectorContext,
  level: 'B-B' | 'B-T' | 'B-LTA' = 'B-B',
): Promise<Uint8Array> {
  return issueLicensePdf({
    credential,
    type: defaultLicenseTypeRegistry.get(credential.credentialSubject.certificateTypeCode),
    signedJson: await signLicenseCompact(credential, jsonSigner),
    qrText: `${QR_BASE}${credential.credentialSubject.certificateIdentifier}`,
    font: await loadLicenseFont(),
    signer: pdfSigner,
    signingTime: ctx.signingTime,
    ...(level === 'B-B' ? {} : { timestamper: ctx.timestamper }),
    ...(level === 'B-LTA' ? { validationData: ctx.validationData, archiveTimestamp: true } : {}),
  });
}

/** Flips one bit inside the signed range (in the document /Info dictionary). */
function flipSignedByte(pdf: Uint8Array): Uint8Array {
  const at = Buffer.from(pdf).indexOf('/Producer');
  const out = pdf.slice();
  out[at + 2] = out[at + 2]! ^ 0x20;
  return out;
}

/** An incremental update after signing that points the page at new content: the shadow-content attack. */
async function replacePageContent(pdf: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const page = doc.getPage(0);
  const contentRef = PDFRef.of(readPdfTrailer(pdf).size);
  const content = PDFRawStream.of(doc.context.obj({}) as PDFDict, new TextEncoder().encode('BT /F1 36 Tf 120 420 Td (REVOKED) Tj ET'));
  const pageDict = page.node.clone();
  pageDict.set(PDFName.of('Contents'), contentRef);
  return appendIncrementalUpdate(pdf, { objects: [{ ref: contentRef, object: content }, { ref: page.ref, object: pageDict }] });
}

export async function pdfVectors(input: {
  credential: LicenseCredential;
  signers: Record<'es256' | 'ps256' | 'eddsa' | 'sm2' | 'revoked' | 'rogue' | 'otherOffice', Signer>;
  ctx: PdfVectorContext;
}): Promise<PdfVector[]> {
  const { credential, signers, ctx } = input;
  const es = signers.es256;
  const bb = await licensePdf(credential, es, es, ctx);
  const lta = await licensePdf(credential, es, es, ctx, 'B-LTA');
  const PASSED = { indication: 'TOTAL_PASSED' };
  return [
    { name: 'es256-b-b', bytes: bb, expected: PASSED, description: 'ES256 PAdES B-B certification signature (DocMDP P=1) with the seal as its appearance' },
    { name: 'ps256-b-b', bytes: await licensePdf(credential, es, signers.ps256, ctx), expected: PASSED, description: 'PS256 (RSA-PSS) PAdES B-B' },
    { name: 'eddsa-b-b', bytes: await licensePdf(credential, es, signers.eddsa, ctx), expected: PASSED, description: 'Ed25519 PAdES B-B (CMS digest SHA-512, RFC 8419)' },
    { name: 'sm2-b-b', bytes: await licensePdf(credential, signers.sm2, signers.sm2, ctx), expected: PASSED, description: 'SM2 with SM3 PAdES B-B (ID 1234567812345678), JSON form SM2-signed too' },
    { name: 'es256-b-t', bytes: await licensePdf(credential, es, es, ctx, 'B-T'), expected: PASSED, description: 'ES256 PAdES B-T: RFC 3161 signature timestamp from the trust list\'s TSA' },
    { name: 'es256-b-lta', bytes: lta, expected: PASSED, description: 'ES256 PAdES B-LTA: signature timestamp, DSS with chain and CRLs, document timestamp' },
    { name: 'tampered-signed-byte', bytes: flipSignedByte(bb), expected: { indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' }, description: 'one byte inside the signed range changed' },
    {
      name: 'page-content-replaced-after-signing',
      bytes: await replacePageContent(lta),
      expected: { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
      description: 'an incremental update after certification points the page at new content (shadow attack); the signature itself still verifies',
    },
    { name: 'untrusted-root', bytes: await licensePdf(credential, es, signers.rogue, ctx), expected: { indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' }, description: 'PDF signed under a root the trust list does not name' },
    { name: 'revoked-signing-certificate', bytes: await licensePdf(credential, es, signers.revoked, ctx), expected: { indication: 'TOTAL_FAILED', subIndication: 'REVOKED' }, description: 'PDF signed with a certificate revoked by its CA' },
    { name: 'signed-by-another-office', bytes: await licensePdf(credential, es, signers.otherOffice, ctx), expected: { indication: 'TOTAL_FAILED', subIndication: 'SIG_CONSTRAINTS_FAILURE' }, description: 'the license names 住建厅 but 市场监管局 certified the PDF' },
    {
      name: 'unsigned',
      bytes: await renderLicensePdf({
        credential,
        type: defaultLicenseTypeRegistry.get(credential.credentialSubject.certificateTypeCode),
        signedJson: await signLicenseCompact(credential, es),
        qr: { text: `${QR_BASE}${credential.credentialSubject.certificateIdentifier}` },
        font: await loadLicenseFont(),
      }),
      expected: { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
      description: 'a rendered license PDF that was never signed',
    },
  ];
}
