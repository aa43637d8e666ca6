/**
 * The printable license: one page with the title, the field table, the QR code and the issuing
 * authority under its seal, the signed JSON embedded as an associated file, and the identity in the
 * metadata. The output is unsigned and deterministic (same input, same bytes); the PDF signing side adds
 * the signature as an incremental update.
 */
import { AFRelationship, PDFDocument, PDFName, type PDFFont } from 'pdf-lib';
import { utf8 } from '../../bytes.js';
import { recentValues } from '../../recent-values.js';
import { ElicenseError } from '../../errors.js';
import type { LicenseCredential } from '../../license/credential.js';
import type { LicenseType } from '../../license/types/license-type.js';
import { loadCjkFont, type CjkFont } from './cjk-font.js';
import { embedCjkFont } from './embed-cjk-font.js';
import { deflate, flateStream } from './flate.js';
import { EMBEDDED_LICENSE_DESCRIPTION, EMBEDDED_LICENSE_FILE_NAME, licenseJwsMediaType } from './embedded-license.js';
import { licensePageContent } from './license-page-content.js';
import { setLicenseMetadata } from './license-pdf-metadata.js';
import { DEFAULT_SEAL_DIAMETER_MM, drawOfficialSeal, type OfficialSealDrawing, type OfficialSealOptions } from './official-seal.js';
import { num } from './outline-path.js';
import { layoutLicensePage, type DrawItem, type PageLayout, type RectItem, type Rgb } from './page-layout.js';
import { qrCodeOperators } from './qr-code.js';

/** The seal drawn over the issuing authority; the organisation name defaults to the authority's. */
export type LicenseSealOptions = Partial<Omit<OfficialSealOptions, 'font'>>;

export interface RenderLicensePdfInput {
  /** The license VC, as buildLicenseCredential makes it. */
  readonly credential: LicenseCredential;
  readonly type: LicenseType;
  /** The compact or JSON-serialized JWS of the same license; embedded as license.jws. */
  readonly signedJson: string;
  readonly qr: { readonly text: string };
  /**
   * A font with TrueType outlines covering the license's characters. Pass the same Uint8Array every time:
   * the parsed font is cached per array.
   */
  readonly font: Uint8Array;
  /** Draw the seal into the page; leave out when the signature widget shows it (see licenseSealPlacement). */
  readonly seal?: LicenseSealOptions;
  /** The PDF's creation date; the license's issue date (00:00 China time) when absent. */
  readonly createdAt?: Date;
}

export interface LicenseSealPlacement {
  readonly pageIndex: 0;
  /** [x1 y1 x2 y2] in PDF points: where the seal goes, e.g. a signature widget's /Rect. */
  readonly rect: readonly [number, number, number, number];
}

const A4 = { widthMm: 210, heightMm: 297 } as const;
const FONT_KEY = 'F1';
const SEAL_KEY = 'Seal';
const SEAL_BLEND_KEY = 'GSSeal';
const FRAME_KEY = 'Frame';
const QR_KEY = 'QR';

export async function renderLicensePdf(input: RenderLicensePdfInput): Promise<Uint8Array> {
  const { credential, type } = input;
  const mediaType = licenseJwsMediaType(input.signedJson, credential);
  const font = fontInput(input.font);
  const layout = pageLayout(input, font);

  const doc = await PDFDocument.create({ updateMetadata: false });
  const pdfFont = await embedCjkFont(doc, input.font, layout.items.flatMap((item) => (item.kind === 'text' ? [item.text] : [])));

  const page = doc.addPage([layout.width, layout.height]);
  page.node.setFontDictionary(PDFName.of(FONT_KEY), pdfFont.ref);
  // The frame and the QR code are hundreds of small squares: each is a form of its own, so the page's
  // content stream holds the text a reader extracts and little else (the frame's form is drawn once per
  // page size). Painting order is as before: frame, table and text, QR code, seal.
  const pageForm = async (key: string, deflated: Uint8Array) => {
    const form = flateStream(doc.context, deflated, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, layout.width, layout.height], Resources: {} });
    page.node.setXObject(PDFName.of(key), doc.context.register(form));
    return `q /${key} Do Q`;
  };
  const qr = qrCodeOperators(input.qr?.text, layout.qr.x, layout.qr.y, layout.qr.size);
  const operators = [
    await pageForm(FRAME_KEY, await frameForm(layout)),
    ...pageOperators(layout.items, (item) => itemOperators(item, pdfFont)),
    await pageForm(QR_KEY, await deflate(utf8(qr))),
  ];

  if (input.seal !== undefined) {
    const seal = await sealForm({
      organizationName: credential.credentialSubject.certificateIssuingAuthorityName,
      ...input.seal,
      font: input.font,
    });
    const form = flateStream(doc.context, seal.deflated, { Type: 'XObject', Subtype: 'Form', BBox: [...seal.bbox], Resources: {} });
    page.node.setXObject(PDFName.of(SEAL_KEY), doc.context.register(form));
    // Multiply, as ink on paper: the black text under the seal stays legible through the red.
    page.node.setExtGState(PDFName.of(SEAL_BLEND_KEY), doc.context.register(doc.context.obj({ Type: 'ExtGState', BM: 'Multiply' })));
    const x = layout.seal.centerX - seal.size / 2;
    const y = layout.seal.centerY - seal.size / 2;
    operators.push(`q /${SEAL_BLEND_KEY} gs 1 0 0 1 ${num(x)} ${num(y)} cm /${SEAL_KEY} Do Q`);
  }
  page.node.addContentStream(doc.context.register(flateStream(doc.context, await deflate(utf8(operators.join('\n'))))));

  const created = input.createdAt ?? new Date(`${credential.credentialSubject.certificateIssuedDate}T00:00:00+08:00`);
  setLicenseMetadata(doc, credential, type.renderTemplate?.title ?? type.name, created);
  await doc.attach(utf8(input.signedJson), EMBEDDED_LICENSE_FILE_NAME, {
    mimeType: mediaType,
    description: EMBEDDED_LICENSE_DESCRIPTION,
    creationDate: created,
    modificationDate: created,
    afRelationship: AFRelationship.Data,
  });
  // A classic cross-reference table and no object streams: simplest for the incremental update that signs it.
  return doc.save({ useObjectStreams: false });
}

/** Deflated frame drawings by page size: every license of a type has the same frame. */
const frameForms = recentValues<string, Promise<Uint8Array>>(16);

function frameForm(layout: PageLayout): Promise<Uint8Array> {
  return frameForms(`${layout.width}x${layout.height}`, () => deflate(utf8(pageOperators(layout.frame, rectOperators).join('\n'))));
}

interface SealForm {
  readonly size: number;
  readonly bbox: readonly [number, number, number, number];
  readonly deflated: Uint8Array;
}

/**
 * The seal's form, deflated, per drawing: drawOfficialSeal keeps its drawings per font and options (an
 * office's seal is the same on every license it issues), so the same drawing finds its compressed form.
 */
const sealForms = new WeakMap<OfficialSealDrawing, Promise<SealForm>>();

function sealForm(options: OfficialSealOptions): Promise<SealForm> {
  const drawing = drawOfficialSeal(options);
  let form = sealForms.get(drawing);
  if (form === undefined) {
    form = deflate(utf8(drawing.operators)).then((deflated) => ({ size: drawing.size, bbox: drawing.bbox, deflated }));
    sealForms.set(drawing, form);
  }
  return form;
}

/** Where renderLicensePdf puts the seal for this license, for a signature widget that shows it instead. */
export function licenseSealPlacement(input: Pick<RenderLicensePdfInput, 'credential' | 'type' | 'font'> & { readonly seal?: { readonly diameterMm?: number } }): LicenseSealPlacement {
  const { seal } = pageLayout(input, fontInput(input.font));
  const r = seal.diameter / 2;
  return { pageIndex: 0, rect: [seal.centerX - r, seal.centerY - r, seal.centerX + r, seal.centerY + r] };
}

function pageLayout(input: Pick<RenderLicensePdfInput, 'credential' | 'type'> & { readonly seal?: { readonly diameterMm?: number } }, font: CjkFont): PageLayout {
  const content = licensePageContent(input.credential, input.type);
  const missing = font.missingCharacters([content.title, content.authorityName, ...content.rows.flat().flatMap((c) => [c.label, c.value])].join(''));
  if (missing.length > 0) {
    throw new ElicenseError('ERR_INVALID_INPUT', `the font has no glyph for ${missing.slice(0, 10).join(' ')}`, { field: 'font' });
  }
  const pageSize = input.type.renderTemplate?.pageSize ?? A4;
  if (!(pageSize.widthMm >= 100 && pageSize.widthMm <= 1200 && pageSize.heightMm >= 100 && pageSize.heightMm <= 1200)) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'the template page size is 100 to 1200 mm each way', { field: 'type.renderTemplate.pageSize' });
  }
  return layoutLicensePage(content, {
    ...pageSize,
    sealDiameterMm: input.seal?.diameterMm ?? DEFAULT_SEAL_DIAMETER_MM,
    measure: (text) => font.widthOf(text),
  });
}

function fontInput(font: unknown): CjkFont {
  if (!(font instanceof Uint8Array)) throw new ElicenseError('ERR_INVALID_INPUT', 'font is the bytes of a font file', { field: 'font' });
  return loadCjkFont(font);
}

/**
 * The items' operators in painting order. A run of filled squares of one colour (the frame's chain has
 * hundreds) is one path filled once, as the QR code's modules are: the page stream is a fraction of the
 * size, and viewers, text extraction and verification read it faster.
 */
function pageOperators<T extends DrawItem>(items: readonly T[], operatorsOf: (item: T) => string): string[] {
  const operators: string[] = [];
  let run: { color: string; rects: string[] } | undefined;
  const endRun = () => {
    if (run) operators.push(`${run.color}\n${run.rects.join('\n')}\nf`);
    run = undefined;
  };
  for (const item of items) {
    if (item.kind === 'rect' && item.fill !== undefined && item.stroke === undefined) {
      const color = rgb(item.fill, 'rg');
      if (run?.color !== color) {
        endRun();
        run = { color, rects: [] };
      }
      run.rects.push(`${num(item.x)} ${num(item.y)} ${num(item.width)} ${num(item.height)} re`);
      continue;
    }
    endRun();
    operators.push(operatorsOf(item));
  }
  endRun();
  return operators;
}

function itemOperators(item: DrawItem, font: PDFFont): string {
  switch (item.kind) {
    case 'text': {
      const bold = item.bold === true ? `2 Tr ${num(item.size * 0.028)} w ${rgb(item.color, 'RG')}` : '0 Tr';
      const hex = font.encodeText(item.text).toString();
      return `BT ${rgb(item.color, 'rg')} ${bold} /${FONT_KEY} ${num(item.size)} Tf ${num(item.spacing ?? 0)} Tc ${num(item.x)} ${num(item.y)} Td ${hex} Tj ET`;
    }
    case 'rect':
      return rectOperators(item);
    case 'line':
      return `${rgb(item.color, 'RG')} ${num(item.lineWidth)} w ${num(item.x1)} ${num(item.y1)} m ${num(item.x2)} ${num(item.y2)} l S`;
  }
}

function rectOperators(item: RectItem): string {
  const paint = item.fill !== undefined && item.stroke !== undefined ? 'B' : item.fill !== undefined ? 'f' : 'S';
  const colors = [item.fill && rgb(item.fill, 'rg'), item.stroke && `${rgb(item.stroke, 'RG')} ${num(item.lineWidth ?? 1)} w`].filter(Boolean).join(' ');
  return `${colors} ${num(item.x)} ${num(item.y)} ${num(item.width)} ${num(item.height)} re ${paint}`;
}

function rgb(color: Rgb, operator: 'rg' | 'RG'): string {
  return `${color.map(num).join(' ')} ${operator}`;
}
