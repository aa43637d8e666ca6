/**
 * The annotated copy (加注件) of a license PDF: what a license repository hands an approval system
 * that is entitled to the license for one purpose (事项) until a date. The issued license is certified
 * (DocMDP P=1), so it cannot be stamped in place; the copy is a new PDF, certified by the repository
 * platform, that
 *  - shows every page of the license, seal included, with a red stamp naming the purpose, the approval
 *    system, the expiry and the copy id, so a printed or forwarded copy cannot pass for another use;
 *  - carries the license PDF exactly as issued (`original-license.pdf`, /AFRelationship /Source), so the
 *    issuing office's own signatures stay verifiable;
 *  - carries the facts of the release as JSON (`annotation.json`, /AFRelationship /Data).
 */
import { AFRelationship, PDFDocument, PDFName } from 'pdf-lib';
import { fromUtf8, toHex, utf8 } from '../bytes.js';
import { computeDigest } from '../cms/index.js';
import type { Signer } from '../crypto/signer.js';
import { ElicenseError, isElicenseError } from '../errors.js';
import { isJsonObject, parseJsonStrict } from '../json/strict-parse.js';
import { parseJws } from '../jws/parse.js';
import { loadPdf } from '../pdf/parse/index.js';
import { loadCjkFont } from '../pdf/render/cjk-font.js';
import { embedCjkFont } from '../pdf/render/embed-cjk-font.js';
import { extractEmbeddedLicense, MAX_LICENSE_PDF_BYTES, readEmbeddedFile } from '../pdf/render/extract-embedded-license.js';
import { deflate, flateStream } from '../pdf/render/flate.js';
import { drawSourcePages } from './annotated-copy-pages.js';
import { chinaDateTime, stampOperators, stampTexts, WATERMARK_OPACITY } from './annotated-copy-stamp.js';
import { signPdf } from './sign-pdf.js';
import type { Timestamper } from './timestamper.js';

export const ANNOTATED_COPY_ORIGINAL_FILE_NAME = 'original-license.pdf';
export const ANNOTATED_COPY_FACTS_FILE_NAME = 'annotation.json';
/** A copy holds the original once and its pages once more, plus the stamp and the signature. */
export const MAX_ANNOTATED_COPY_BYTES = 3 * MAX_LICENSE_PDF_BYTES;
const MAX_FACTS_BYTES = 16 * 1024;
const FACTS_VERSION = 1;
const MAX_PAGES = 100;
const FONT_KEY = 'StampFont';
const WATERMARK_STATE = 'StampWatermark';
const NOTICE_STATE = 'StampNotice';
const PRODUCER = 'eLicense';

/** What the license is released for, to whom and until when. */
export interface CopyAnnotation {
  /** 事项编码: the purpose's code in the approval system's catalogue. */
  readonly purposeCode: string;
  /** 事项名称, printed as 仅供办理<事项名称>使用. */
  readonly purposeName: string;
  /** The approval system (or its operator) the copy is released to. */
  readonly recipientName: string;
  readonly expires: Date;
  /** The repository's id for this release; printed, and the key to revoke or audit it. */
  readonly copyId: string;
  readonly issuedAt: Date;
}

export interface AnnotatedCopyFacts extends CopyAnnotation {
  /** The license's 电子证照标识, from the JWS the original carries. */
  readonly licenseIdentifier: string;
  /** SHA-256 of original-license.pdf, lower-case hex. */
  readonly originalSha256: string;
}

export interface CreateAnnotatedCopyOptions {
  /** The license PDF as issued (signed); it is embedded unchanged. */
  readonly licensePdf: Uint8Array;
  readonly annotation: CopyAnnotation;
  /** TrueType-outline CJK font bytes for the stamp (the license font); pass the same array every time. */
  readonly font: Uint8Array;
  /** The repository platform's signer: it certifies the copy, not the issuing office. */
  readonly signer: Signer;
  readonly signingTime: Date;
  readonly timestamper?: Timestamper;
}

export interface AnnotatedCopy {
  readonly annotation: AnnotatedCopyFacts;
  /** The license PDF exactly as issued; verify it with verifyLicensePdf. */
  readonly originalPdf: Uint8Array;
}

const TEXT_LIMITS = { purposeCode: 64, purposeName: 200, recipientName: 200, copyId: 64 } as const;

/** The copy, certified by `signer` with DocMDP P=1 (no changes but validation data). */
export async function createAnnotatedCopy(options: CreateAnnotatedCopyOptions): Promise<Uint8Array> {
  const annotation = checkAnnotation(options.annotation);
  const { licensePdf, font } = options;
  if (!(licensePdf instanceof Uint8Array)) throw new ElicenseError('ERR_INVALID_INPUT', 'licensePdf is the bytes of the license PDF', { field: 'licensePdf' });
  if (!(font instanceof Uint8Array)) throw new ElicenseError('ERR_INVALID_INPUT', 'font is the bytes of a font file', { field: 'font' });
  // The hostile-input parser reads the license first: it bounds the input and proves it is a license PDF.
  const licenseIdentifier = identifierOf(await extractEmbeddedLicense(licensePdf));
  const cjk = loadCjkFont(font);
  const missing = cjk.missingCharacters(stampTexts(annotation, ANNOTATED_COPY_ORIGINAL_FILE_NAME).join(''));
  if (missing.length > 0) throw new ElicenseError('ERR_INVALID_INPUT', `the font has no glyph for ${missing.slice(0, 10).join(' ')}`, { field: 'font' });

  const source = await loadSource(licensePdf);
  const doc = await PDFDocument.create({ updateMetadata: false });
  const pages = drawSourcePages(source, doc);
  const pdfFont = await embedCjkFont(doc, font, stampTexts(annotation, ANNOTATED_COPY_ORIGINAL_FILE_NAME));
  const watermarkState = doc.context.register(doc.context.obj({ Type: 'ExtGState', ca: WATERMARK_OPACITY, CA: WATERMARK_OPACITY, BM: 'Multiply' }));
  const noticeState = doc.context.register(doc.context.obj({ Type: 'ExtGState', BM: 'Multiply' }));
  const resources = {
    font: cjk,
    encode: (text: string) => pdfFont.encodeText(text).toString(),
    fontKey: FONT_KEY,
    watermarkState: WATERMARK_STATE,
    noticeState: NOTICE_STATE,
  };
  for (const page of pages) {
    page.node.setFontDictionary(PDFName.of(FONT_KEY), pdfFont.ref);
    page.node.setExtGState(PDFName.of(WATERMARK_STATE), watermarkState);
    page.node.setExtGState(PDFName.of(NOTICE_STATE), noticeState);
    const { x, y, width, height } = page.getMediaBox();
    const operators = stampOperators([x, y, x + width, y + height], annotation, ANNOTATED_COPY_ORIGINAL_FILE_NAME, resources);
    page.node.addContentStream(doc.context.register(flateStream(doc.context, await deflate(utf8(operators)))));
  }

  const facts: AnnotatedCopyFacts = { ...annotation, licenseIdentifier, originalSha256: toHex(await computeDigest('SHA-256', licensePdf)) };
  setMetadata(doc, facts);
  // Attached in name order: the EmbeddedFiles name tree is sorted by name, and pdf-lib appends.
  await doc.attach(utf8(JSON.stringify(factsJson(facts))), ANNOTATED_COPY_FACTS_FILE_NAME, {
    mimeType: 'application/json',
    description: '加注信息（用途、用证系统、有效期、加注件编号）',
    creationDate: annotation.issuedAt,
    modificationDate: annotation.issuedAt,
    afRelationship: AFRelationship.Data,
  });
  await doc.attach(licensePdf, ANNOTATED_COPY_ORIGINAL_FILE_NAME, {
    mimeType: 'application/pdf',
    description: '电子证照原件（含颁证机构签章）',
    creationDate: annotation.issuedAt,
    modificationDate: annotation.issuedAt,
    afRelationship: AFRelationship.Source,
  });
  const unsigned = await doc.save({ useObjectStreams: false });
  return signPdf(unsigned, {
    signer: options.signer,
    signingTime: options.signingTime,
    fieldName: '加注件签章',
    reason: `加注件 ${annotation.copyId}：仅供办理${annotation.purposeName}使用，有效期至${chinaDateTime(annotation.expires)}`,
    docMdp: 1,
    ...(options.timestamper ? { timestamper: options.timestamper } : {}),
  });
}

/**
 * The facts and the original license a copy carries, read through the hostile-input parser. This does
 * not verify anything: verify the copy's own signature (the platform's) and the original's
 * (verifyLicensePdf) before relying on either. Throws ElicenseError: ERR_PDF_INVALID, ERR_INPUT_TOO_LARGE.
 */
export async function readAnnotatedCopy(pdfBytes: Uint8Array): Promise<AnnotatedCopy> {
  if (!(pdfBytes instanceof Uint8Array)) throw invalid('the annotated copy is given as bytes');
  if (pdfBytes.length > MAX_ANNOTATED_COPY_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `the annotated copy is larger than ${MAX_ANNOTATED_COPY_BYTES} bytes`, { field: 'pdf' });
  }
  let factsBytes: Uint8Array | undefined;
  let originalPdf: Uint8Array | undefined;
  try {
    const view = (await loadPdf(pdfBytes, { limits: { maxDecodedStreamBytes: MAX_LICENSE_PDF_BYTES + 1 } })).at();
    factsBytes = await readEmbeddedFile(view, ANNOTATED_COPY_FACTS_FILE_NAME, MAX_FACTS_BYTES, 'the annotation is larger than an annotation may be');
    originalPdf = await readEmbeddedFile(view, ANNOTATED_COPY_ORIGINAL_FILE_NAME, MAX_LICENSE_PDF_BYTES, 'the original license is larger than a license PDF may be');
  } catch (cause) {
    if (isElicenseError(cause, 'ERR_INPUT_TOO_LARGE')) throw cause;
    throw invalid('the file is not a readable, unencrypted PDF', cause);
  }
  if (factsBytes === undefined) throw invalid(`the PDF has no ${ANNOTATED_COPY_FACTS_FILE_NAME}: it is not an annotated copy`);
  if (originalPdf === undefined) throw invalid(`the PDF has no ${ANNOTATED_COPY_ORIGINAL_FILE_NAME}: it is not an annotated copy`);
  const annotation = parseFacts(factsBytes);
  if (toHex(await computeDigest('SHA-256', originalPdf)) !== annotation.originalSha256) {
    throw invalid(`the attached ${ANNOTATED_COPY_ORIGINAL_FILE_NAME} is not the license the annotation names (SHA-256 differs)`);
  }
  return { annotation, originalPdf };
}

function checkAnnotation(value: CopyAnnotation): CopyAnnotation {
  if (value === null || typeof value !== 'object') throw new ElicenseError('ERR_INVALID_INPUT', 'annotation is an object', { field: 'annotation' });
  for (const [key, limit] of Object.entries(TEXT_LIMITS)) checkText(value[key as keyof typeof TEXT_LIMITS], `annotation.${key}`, limit);
  for (const key of ['expires', 'issuedAt'] as const) {
    if (!(value[key] instanceof Date) || !Number.isFinite(value[key].getTime())) {
      throw new ElicenseError('ERR_INVALID_INPUT', `annotation.${key} is a valid Date`, { field: `annotation.${key}` });
    }
  }
  if (value.expires.getTime() <= value.issuedAt.getTime()) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'annotation.expires is after annotation.issuedAt', { field: 'annotation.expires' });
  }
  const { purposeCode, purposeName, recipientName, expires, copyId, issuedAt } = value;
  return { purposeCode, purposeName, recipientName, expires, copyId, issuedAt };
}

function checkText(value: unknown, field: string, limit: number): void {
  if (typeof value !== 'string' || value.trim() === '') throw new ElicenseError('ERR_INVALID_INPUT', `${field} is a non-empty string`, { field });
  if ([...value].length > limit) throw new ElicenseError('ERR_INVALID_INPUT', `${field} is at most ${limit} characters`, { field });
  // Printed on one stamp line each: control characters would print as boxes or break the layout.
  if ([...value].some(isControlCharacter)) throw new ElicenseError('ERR_INVALID_INPUT', `${field} contains control characters`, { field });
}

function isControlCharacter(character: string): boolean {
  const code = character.codePointAt(0)!;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

function identifierOf(jws: string): string {
  let payload: unknown;
  try {
    payload = parseJsonStrict(fromUtf8(parseJws(jws).payload));
  } catch (cause) {
    throw new ElicenseError('ERR_PDF_INVALID', 'the embedded license.jws does not carry a JSON license', { cause, field: 'licensePdf' });
  }
  const subject = isJsonObject(payload) ? payload.credentialSubject : undefined;
  const identifier = isJsonObject(subject) ? subject.certificateIdentifier : undefined;
  if (typeof identifier !== 'string' || identifier === '') {
    throw new ElicenseError('ERR_PDF_INVALID', 'the embedded license names no certificateIdentifier', { field: 'licensePdf' });
  }
  return identifier;
}

async function loadSource(licensePdf: Uint8Array): Promise<PDFDocument> {
  let source: PDFDocument;
  try {
    source = await PDFDocument.load(licensePdf, { updateMetadata: false });
  } catch (cause) {
    throw new ElicenseError('ERR_PDF_INVALID', 'the license PDF cannot be read for copying', { cause, field: 'licensePdf' });
  }
  const count = source.getPageCount();
  if (count < 1 || count > MAX_PAGES) throw new ElicenseError('ERR_PDF_INVALID', `the license PDF has ${count} pages; a copy takes 1 to ${MAX_PAGES}`, { field: 'licensePdf' });
  return source;
}

function factsJson(facts: AnnotatedCopyFacts): Record<string, unknown> {
  return {
    version: FACTS_VERSION,
    purposeCode: facts.purposeCode,
    purposeName: facts.purposeName,
    recipient: facts.recipientName,
    expires: facts.expires.toISOString(),
    issuedAt: facts.issuedAt.toISOString(),
    copyId: facts.copyId,
    licenseIdentifier: facts.licenseIdentifier,
    originalSha256: facts.originalSha256,
  };
}

function parseFacts(bytes: Uint8Array): AnnotatedCopyFacts {
  let json: unknown;
  try {
    json = parseJsonStrict(fromUtf8(bytes));
  } catch (cause) {
    throw invalid(`${ANNOTATED_COPY_FACTS_FILE_NAME} is not JSON`, cause);
  }
  if (!isJsonObject(json) || json.version !== FACTS_VERSION) throw invalid(`${ANNOTATED_COPY_FACTS_FILE_NAME} is not a version ${FACTS_VERSION} annotation`);
  const text = (key: string): string => {
    const value = json[key];
    if (typeof value !== 'string' || value === '') throw invalid(`${ANNOTATED_COPY_FACTS_FILE_NAME} has no ${key}`);
    return value;
  };
  const time = (key: string): Date => {
    const value = new Date(text(key));
    if (!Number.isFinite(value.getTime())) throw invalid(`${ANNOTATED_COPY_FACTS_FILE_NAME} ${key} is not a time`);
    return value;
  };
  const originalSha256 = text('originalSha256');
  if (!/^[0-9a-f]{64}$/.test(originalSha256)) throw invalid(`${ANNOTATED_COPY_FACTS_FILE_NAME} originalSha256 is not a SHA-256 in hex`);
  return {
    purposeCode: text('purposeCode'),
    purposeName: text('purposeName'),
    recipientName: text('recipient'),
    expires: time('expires'),
    copyId: text('copyId'),
    issuedAt: time('issuedAt'),
    licenseIdentifier: text('licenseIdentifier'),
    originalSha256,
  };
}

/** The document information names the copy for indexing; the page and the JSON say the rest. */
function setMetadata(doc: PDFDocument, facts: AnnotatedCopyFacts): void {
  doc.setTitle(`电子证照加注件 ${facts.licenseIdentifier}`, { showInWindowTitleBar: true });
  doc.setSubject(`仅供办理${facts.purposeName}使用，有效期至${chinaDateTime(facts.expires)}`);
  doc.setKeywords([facts.licenseIdentifier, facts.copyId, facts.purposeCode]);
  doc.setCreator(PRODUCER);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(facts.issuedAt);
  doc.setModificationDate(facts.issuedAt);
  doc.setLanguage('zh-CN');
}

function invalid(message: string, cause?: unknown): ElicenseError {
  return new ElicenseError('ERR_PDF_INVALID', message, cause === undefined ? { field: 'pdf' } : { cause, field: 'pdf' });
}
