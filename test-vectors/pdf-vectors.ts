/**
 * The PDF test vectors: license PDFs signed to each PAdES level with every algorithm, and the attacks a
 * PDF verifier must catch (changed bytes, content replaced in a later revision, a signer the license
 * does not name). Built on the same demo PKI, trust list and status lists as the JSON vectors.
 */
import {
  appendIncrementalUpdate,
  cmsDigestAlgorithm,
  concatBytes,
  digestSignedChunks,
  preparePdfSignature,
  signCmsDetached,
  signPdf,
  defaultLicenseTypeRegistry,
  drawOfficialSeal,
  issueLicensePdf,
  sealAttribute,
  readPdfTrailer,
  renderLicensePdf,
  signLicenseCompact,
  type LicenseCredential,
  type Signer,
  type Timestamper,
} from '@elicense/core';
import { PDFDocument, PDFName, PDFRawStream, PDFRef, PDFString, type PDFDict } from 'pdf-lib';
import { loadLicenseFont } from '@elicense/platform/license-font';

export interface PdfVectorContext {
  readonly timestamper: Timestamper;
  /** The chain and CRLs a B-LT file carries in its DSS. */
  readonly validationData: { certificates: Uint8Array[]; crls: Uint8Array[] };
  readonly signingTime: Date;
  /** The housing office's registered electronic seal, listing all its signing certificates. */
  readonly seal: Uint8Array;
}

export interface PdfVector {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expected: { indication: string; subIndication?: string };
  readonly description: string;
}

const QR_BASE = 'https://verify.elicense.example/v1?id=';

/**
 * A license PDF: the JSON form signed by `jsonSigner`, the PDF certified by `pdfSigner` with the
 * office's seal (`seal`: the context's registered one by default, `null` for none).
 */
export async function licensePdf(
  credential: LicenseCredential,
  jsonSigner: Signer,
  pdfSigner: Signer,
  ctx: PdfVectorContext,
  level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' = 'B-B',
  seal: Uint8Array | null = ctx.seal,
  sealLook: { centerText?: string } = {},
): Promise<Uint8Array> {
  return issueLicensePdf({
    credential,
    type: defaultLicenseTypeRegistry.get(credential.credentialSubject.certificateTypeCode),
    signedJson: await signLicenseCompact(credential, jsonSigner),
    qrText: `${QR_BASE}${credential.credentialSubject.certificateIdentifier}`,
    font: await loadLicenseFont(),
    signer: pdfSigner,
    signingTime: ctx.signingTime,
    ...(seal ? { sesSeal: seal, seal: sealLook } : {}),
    ...(level === 'B-B' ? {} : { timestamper: ctx.timestamper }),
    ...(level === 'B-LT' || level === 'B-LTA' ? { validationData: ctx.validationData } : {}),
    ...(level === 'B-LTA' ? { archiveTimestamp: true } : {}),
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

/** An incremental update after signing that lays a new annotation over the page (the "evil annotation" attack). */
async function addAnnotationOverlay(pdf: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const page = doc.getPage(0);
  const annotRef = PDFRef.of(readPdfTrailer(pdf).size);
  const annot = doc.context.obj({ Type: 'Annot', Subtype: 'FreeText', Rect: [100, 400, 500, 460], Contents: PDFString.of('REVOKED'), DA: PDFString.of('/Helv 36 Tf 1 0 0 rg'), F: 4 });
  const pageDict = page.node.clone();
  const annots = page.node.Annots()?.asArray() ?? [];
  pageDict.set(PDFName.of('Annots'), doc.context.obj([...annots, annotRef]));
  return appendIncrementalUpdate(pdf, { objects: [{ ref: annotRef, object: annot }, { ref: page.ref, object: pageDict }] });
}

/**
 * An approval signature appended after a P=1 certification. Our signer refuses to do this, so the
 * update is prepared on a copy that claims P=2 and then appended to the real certified file.
 */
async function signAfterCertification(certified: Uint8Array, signer: Signer, signingTime: Date): Promise<Uint8Array> {
  const text = Buffer.from(certified).toString('latin1');
  const at = text.indexOf('/P 1');
  if (at < 0) throw new Error('no /P 1 in the certified file');
  const claimsP2 = certified.slice();
  claimsP2[at + 3] = 0x32;
  const staged = await preparePdfSignature(claimsP2, { signingTime, fieldName: '审批签名' });
  const update = staged.prepared.subarray(certified.length);
  const [a, b, c, d] = staged.byteRange;
  const whole = concatBytes(certified, update);
  const digest = await digestSignedChunks([whole.subarray(a, a + b), whole.subarray(c, c + d)], cmsDigestAlgorithm(signer.alg));
  const embedded = staged.embed(await signCmsDetached({ contentDigest: digest }, signer));
  return concatBytes(certified, embedded.subarray(certified.length));
}

/** The first /ByteRange rewritten (same width) so the hole no longer lies over /Contents. */
function shiftByteRange(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const match = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text)!;
  const [a, b, c, d] = match.slice(1).map(Number) as [number, number, number, number];
  const replacement = `/ByteRange [${a} ${b - 64} ${c - 64} ${d + 64}]`.padEnd(match[0].length, ' ');
  const out = pdf.slice();
  out.set(new TextEncoder().encode(replacement), match.index);
  return out;
}

/** `pdf` with the /Contents of its first signature replaced by the one `donor` carries. */
function transplantContents(pdf: Uint8Array, donor: Uint8Array): Uint8Array {
  const hole = (bytes: Uint8Array) => {
    const match = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)/.exec(Buffer.from(bytes).toString('latin1'))!;
    return [Number(match[2]), Number(match[3])] as const;
  };
  const [from, to] = hole(pdf);
  const [donorFrom, donorTo] = hole(donor);
  if (to - from !== donorTo - donorFrom) throw new Error('the two placeholders differ in size');
  const out = pdf.slice();
  out.set(donor.subarray(donorFrom, donorTo), from);
  return out;
}

/** A page rendered for the license, carrying the signed JSON of the same license with another holder. */
async function pageForAnotherHolder(credential: LicenseCredential, signer: Signer, ctx: PdfVectorContext): Promise<Uint8Array> {
  const other = { ...credential, credentialSubject: { ...credential.credentialSubject, certificateHolderName: '钱多多' } };
  const unsigned = await renderLicensePdf({
    credential,
    type: defaultLicenseTypeRegistry.get(credential.credentialSubject.certificateTypeCode),
    signedJson: await signLicenseCompact(other, signer),
    qr: { text: `${QR_BASE}${credential.credentialSubject.certificateIdentifier}` },
    font: await loadLicenseFont(),
  });
  return signPdf(unsigned, { signer, signingTime: ctx.signingTime, docMdp: 1 });
}

/**
 * A certification that binds the registered seal to its own drawing but shows another seal: what a
 * forged or careless signing tool would make. `issueLicensePdf` refuses to, so the parts are put together here.
 */
async function showingAnotherSeal(credential: LicenseCredential, signer: Signer, ctx: PdfVectorContext): Promise<Uint8Array> {
  const font = await loadLicenseFont();
  const issuer = credential.credentialSubject.certificateIssuingAuthorityName;
  const unsigned = await renderLicensePdf({
    credential,
    type: defaultLicenseTypeRegistry.get(credential.credentialSubject.certificateTypeCode),
    signedJson: await signLicenseCompact(credential, signer),
    qr: { text: `${QR_BASE}${credential.credentialSubject.certificateIdentifier}` },
    font,
  });
  const registered = drawOfficialSeal({ organizationName: issuer, centerText: '电子证照专用章', font });
  const shown = drawOfficialSeal({ organizationName: issuer, centerText: '合同专用章', font });
  const staged = await preparePdfSignature(unsigned, {
    signingTime: ctx.signingTime,
    fieldName: '颁证机构签章',
    visible: { page: 0, rect: [400, 120, 519, 239], appearance: { width: shown.size, height: shown.size, operators: shown.operators } },
    docMdp: 1,
    contentsSize: 16384 + ctx.seal.length,
  });
  const digest = await digestSignedChunks(staged.coveredChunks(), cmsDigestAlgorithm(signer.alg));
  return staged.embed(await signCmsDetached({ contentDigest: digest }, signer, { extraSignedAttributes: [sealAttribute(ctx.seal, registered.operators)] }));
}

export async function pdfVectors(input: {
  credential: LicenseCredential;
  /** A second license of the same office, for transplanting signatures between files. */
  other: LicenseCredential;
  /** A license of a type the office may not issue. */
  unauthorized: LicenseCredential;
  signers: Record<'es256' | 'ps256' | 'eddsa' | 'sm2' | 'revoked' | 'rogue' | 'otherOffice', Signer>;
  /** The housing office's seals: registered active (in ctx), registered revoked, and one with the same esID and another picture. */
  seals: { revoked: Uint8Array; otherPicture: Uint8Array };
  /** B-LT validation data for the SM2 chain. */
  sm2ValidationData: PdfVectorContext['validationData'];
  ctx: PdfVectorContext;
}): Promise<PdfVector[]> {
  const { credential, signers, ctx } = input;
  const sm2Ctx = { ...ctx, validationData: input.sm2ValidationData };
  const es = signers.es256;
  const bb = await licensePdf(credential, es, es, ctx);
  const lta = await licensePdf(credential, es, es, ctx, 'B-LTA');
  const PASSED = { indication: 'TOTAL_PASSED' };
  return [
    { name: 'es256-b-b', bytes: bb, expected: PASSED, description: 'ES256 PAdES B-B certification signature (DocMDP P=1) carrying the office\'s registered SES_Seal (signed attribute 2.999.38540.1), whose picture is the appearance' },
    { name: 'ps256-b-b', bytes: await licensePdf(credential, es, signers.ps256, ctx), expected: PASSED, description: 'PS256 (RSA-PSS) PAdES B-B' },
    { name: 'eddsa-b-b', bytes: await licensePdf(credential, es, signers.eddsa, ctx), expected: PASSED, description: 'Ed25519 PAdES B-B (CMS digest SHA-512, RFC 8419)' },
    { name: 'sm2-b-b', bytes: await licensePdf(credential, signers.sm2, signers.sm2, ctx), expected: PASSED, description: 'SM2 with SM3 PAdES B-B (ID 1234567812345678), JSON form SM2-signed too' },
    { name: 'es256-b-t', bytes: await licensePdf(credential, es, es, ctx, 'B-T'), expected: PASSED, description: 'ES256 PAdES B-T: RFC 3161 signature timestamp from the trust list\'s TSA' },
    { name: 'es256-b-lt', bytes: await licensePdf(credential, es, es, ctx, 'B-LT'), expected: PASSED, description: 'ES256 PAdES B-LT: signature timestamp, then a DSS with the chain and CRLs' },
    { name: 'es256-b-lta', bytes: lta, expected: PASSED, description: 'ES256 PAdES B-LTA: signature timestamp, DSS with chain and CRLs, document timestamp' },
    { name: 'sm2-b-t', bytes: await licensePdf(credential, signers.sm2, signers.sm2, sm2Ctx, 'B-T'), expected: PASSED, description: 'SM2 PAdES B-T (the platform TSA signs its timestamp with ES256)' },
    { name: 'sm2-b-lt', bytes: await licensePdf(credential, signers.sm2, signers.sm2, sm2Ctx, 'B-LT'), expected: PASSED, description: 'SM2 PAdES B-LT: DSS with the SM2 chain and CRLs' },
    { name: 'sm2-b-lta', bytes: await licensePdf(credential, signers.sm2, signers.sm2, sm2Ctx, 'B-LTA'), expected: PASSED, description: 'SM2 PAdES B-LTA' },
    { name: 'sealed-seal-revoked', bytes: await licensePdf(credential, es, es, ctx, 'B-B', input.seals.revoked), expected: { indication: 'TOTAL_FAILED', subIndication: 'REVOKED' }, description: 'sealed with a seal the trust list marks revoked, while every certificate is good' },
    {
      name: 'sealed-picture-not-registered',
      bytes: await licensePdf(credential, es, es, ctx, 'B-B', input.seals.otherPicture, { centerText: '合同专用章' }),
      expected: { indication: 'TOTAL_FAILED', subIndication: 'SIG_CONSTRAINTS_FAILURE' },
      description: 'the visible seal is the seal\'s own picture, but not the picture the trust list registers for that esID (合同专用章 instead of 电子证照专用章)',
    },
    {
      name: 'sealed-appearance-not-the-seal',
      bytes: await showingAnotherSeal(credential, es, ctx),
      expected: { indication: 'TOTAL_FAILED', subIndication: 'SIG_CONSTRAINTS_FAILURE' },
      description: 'the signature carries the registered seal bound to its drawing, but the widget shows another seal',
    },
    {
      name: 'unsealed-issuer-registers-seals',
      bytes: await licensePdf(credential, es, es, ctx, 'B-B', null),
      expected: { indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE' },
      description: 'validly certified without a seal, by an office that registers its seals in the trust list',
    },
    { name: 'tampered-signed-byte', bytes: flipSignedByte(bb), expected: { indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' }, description: 'one byte inside the signed range changed' },
    {
      name: 'page-content-replaced-after-signing',
      bytes: await replacePageContent(lta),
      expected: { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
      description: 'an incremental update after certification points the page at new content (shadow attack); the signature itself still verifies',
    },
    {
      name: 'annotation-overlay-added-later',
      bytes: await addAnnotationOverlay(lta),
      expected: { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
      description: 'a FreeText annotation laid over the page in an update after certification (evil annotation)',
    },
    {
      name: 'signature-added-after-certification',
      bytes: await signAfterCertification(bb, signers.otherOffice, ctx.signingTime),
      expected: { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
      description: 'an approval signature added after a DocMDP P=1 certification, which allows none',
    },
    { name: 'byte-range-elsewhere', bytes: shiftByteRange(bb), expected: { indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' }, description: 'the ByteRange hole moved off /Contents (same width, so nothing else shifts)' },
    {
      name: 'contents-from-another-file',
      bytes: transplantContents(bb, await licensePdf(input.other, es, es, ctx)),
      expected: { indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' },
      description: "/Contents replaced by another license PDF's valid signature of the same office",
    },
    {
      name: 'issuer-not-authorized-for-type',
      bytes: await licensePdf(input.unauthorized, es, es, ctx),
      expected: { indication: 'TOTAL_FAILED', subIndication: 'SIG_CONSTRAINTS_FAILURE' },
      description: '住建厅 issues and certifies a 营业执照, a type the trust list does not let it issue',
    },
    {
      name: 'page-differs-from-embedded-license',
      bytes: await pageForAnotherHolder(credential, es, ctx),
      expected: { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' },
      description: 'validly certified, but the page shows another holder than the embedded signed license',
    },
    { name: 'untrusted-root', bytes: await licensePdf(credential, es, signers.rogue, ctx, 'B-B', null), expected: { indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' }, description: 'PDF signed under a root the trust list does not name' },
    { name: 'revoked-signing-certificate', bytes: await licensePdf(credential, es, signers.revoked, ctx), expected: { indication: 'TOTAL_FAILED', subIndication: 'REVOKED' }, description: 'PDF signed with a certificate revoked by its CA' },
    { name: 'signed-by-another-office', bytes: await licensePdf(credential, es, signers.otherOffice, ctx, 'B-B', null), expected: { indication: 'TOTAL_FAILED', subIndication: 'SIG_CONSTRAINTS_FAILURE' }, description: 'the license names 住建厅 but 市场监管局 certified the PDF' },
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
