/**
 * Everything about a PDF's signatures that does not need cryptography: where they are, what bytes
 * they cover, the CMS to hand to the CMS layer, and whether the document changed in disallowed ways
 * after each was made. Hostile input never throws out of here: a file that cannot be read is a
 * FORMAT_FAILURE check, bounded by the limits given.
 */
import { errorMessage, failed, forSignature, passed } from '../../verify/checks.js';
import type { Check } from '../../verify/report.js';
import type {
  PdfRef} from '../parse/index.js';
import {
  PdfError,
  WorkBudget,
  isName,
  loadPdf,
  nameOf,
  parsePdfDate,
  resolveLimits,
  textOf,
  type PdfDict,
  type PdfDocument,
  type PdfLimits,
  type RevisionView,
} from '../parse/index.js';
import { checkByteRange, signedChunks, type ByteRange, type Coverage } from './byte-range.js';
import { certificationSignatureRef, docMdpPermissionOf, type DocMdpPermission } from './docmdp.js';
import { MODIFICATIONS_CHECK, ModificationAnalyzer, modificationsCheck } from './modifications.js';
import type { RevisionChanges } from './revision-changes.js';
import { fieldLockOf, withFieldLock, type FieldLock } from './field-mdp.js';
import { extractSignatureContents } from './signature-contents.js';
import { findFormFields, findMistypedSignatureFields, findSignatureFields, findSignatureFieldsOutsideAcroForm, type SignatureField } from './signature-fields.js';
import { findUnreachableSignatures, type UnreachableSignature } from './unreachable-signatures.js';

export const STRUCTURE_CHECK = 'pdf.structure';
export const BYTE_RANGE_CHECK = 'pdf.byte-range';

/**
 * Approval signatures without a certification are judged as if certified with P=2: signing and
 * validation data may follow, annotations may not. A license is not a document to be annotated, and
 * annotations are how the evil-annotation attacks change what a signed page shows.
 */
export const UNCERTIFIED_PERMISSION: DocMdpPermission = 2;

export interface PdfRevisionSummary {
  readonly index: number;
  /** Offset after `%%EOF`, and after the end-of-line that follows it. */
  readonly eofOffset: number;
  readonly endOffset: number;
  readonly xref: 'table' | 'stream' | 'hybrid' | 'recovered';
  /** Object numbers this revision defines, redefines or frees. */
  readonly objects: readonly number[];
}

export interface PdfSignatureInfo {
  readonly index: number;
  readonly kind: 'certification' | 'approval' | 'timestamp';
  /** Fully qualified field name. */
  readonly field: string;
  readonly subFilter?: string;
  readonly filter?: string;
  readonly byteRange?: ByteRange;
  readonly coverage?: Coverage;
  /** The DER CMS SignedData (or timestamp token), padding removed. */
  readonly cms?: Uint8Array;
  /** The two signed ranges as views into the file, for digesting without a copy. */
  readonly signedChunks?: readonly [Uint8Array, Uint8Array];
  /** The revision whose end the ByteRange reaches. */
  readonly signedRevision?: number;
  /** The revision that last wrote the signature dictionary. */
  readonly addedInRevision?: number;
  /** DocMDP permission that binds changes after this signature, and whether a certification set it. */
  readonly docMdp: { readonly permission: DocMdpPermission; readonly certified: boolean };
  /** The form fields this signature locks (FieldMDP), if it locks any. */
  readonly fieldLock?: FieldLock;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  readonly signerName?: string;
  /** /M as ISO 8601 (claimed by the signer, not proven). */
  readonly signingTimeM?: string;
  readonly modifications: readonly RevisionChanges[];
  /** `pdf.structure` (for this signature), `pdf.byte-range`, `pdf.modifications`, tagged with `index`. */
  readonly checks: readonly Check[];
}

export interface PdfSignatureAnalysis {
  /** The parsed document, for reading more from it (embedded files, the DSS); absent when it could not be read. */
  readonly document?: PdfDocument;
  readonly revisions: readonly PdfRevisionSummary[];
  readonly signatures: readonly PdfSignatureInfo[];
  /** `pdf.structure` for the document as a whole. */
  readonly documentChecks: readonly Check[];
  /**
   * Signature dictionaries that no field of the final revision reaches, neither through the AcroForm
   * nor through a page's widgets. They sign nothing a reader is shown, so they are not in `signatures`.
   */
  readonly unreachableSignatures: readonly UnreachableSignature[];
}

export async function analyzePdfSignatures(bytes: Uint8Array, limits: Partial<PdfLimits> = {}): Promise<PdfSignatureAnalysis> {
  const budget = new WorkBudget(resolveLimits(limits));
  try {
    const doc = await loadPdf(bytes, { budget });
    return analyzeDocument(doc);
  } catch (error) {
    const kind = error instanceof PdfError ? error.kind : 'PDF_MALFORMED';
    const details = error instanceof PdfError && error.offset !== undefined ? { kind, offset: error.offset } : { kind };
    return {
      revisions: [],
      signatures: [],
      unreachableSignatures: [],
      documentChecks: [failed(STRUCTURE_CHECK, 'FORMAT_FAILURE', `the PDF cannot be read: ${errorMessage(error)}`, { details })],
    };
  }
}

function analyzeDocument(doc: PdfDocument): PdfSignatureAnalysis {
  const final = doc.at();
  const fields = [
    ...findSignatureFields(final).filter((f) => f.value !== undefined),
    ...findMistypedSignatureFields(final),
    ...findSignatureFieldsOutsideAcroForm(final, formObjectNumbers(final)),
  ];
  const certRef = certificationSignatureRef(final);
  const analyzer = new ModificationAnalyzer(doc);
  const preliminary = fields.map((field, index) => describeSignature(doc, field, index, certRef));
  const certification = preliminary.find((s) => s.kind === 'certification');
  const signatures = preliminary.map((s) => finishSignature(doc, s, certification, preliminary, analyzer));
  const documentChecks = [structureCheck(doc)];
  const reached = new Set(fields.flatMap((f) => (f.value?.ref ? [f.value.ref.num] : [])));
  const unreachableSignatures = findUnreachableSignatures(doc, reached);
  if (unreachableSignatures.length > 0) documentChecks[0] = withUnreachableNote(documentChecks[0]!, unreachableSignatures);
  return { document: doc, revisions: summarizeRevisions(doc), signatures, documentChecks, unreachableSignatures };
}

/** Object numbers of every field and widget in the AcroForm tree. */
function formObjectNumbers(view: RevisionView): Set<number> {
  const out = new Set<number>();
  for (const field of findFormFields(view)) for (const part of [field.field, ...field.widgets]) if (part.ref) out.add(part.ref.num);
  return out;
}

function summarizeRevisions(doc: PdfDocument): PdfRevisionSummary[] {
  return doc.revisions.map((r) => {
    const kinds = new Set(r.sections.map((s) => s.kind));
    const hybrid = r.sections.some((s) => s.kind === 'table' && s.trailer.has('XRefStm'));
    const xref = doc.recovered ? 'recovered' : hybrid ? 'hybrid' : kinds.has('stream') ? 'stream' : 'table';
    return { index: r.index, eofOffset: r.eofOffset, endOffset: r.endOffset, xref, objects: [...r.entries.keys()].sort((a, b) => a - b) };
  });
}

/**
 * Reads every object every revision defines, so that an entry pointing at the wrong object or at
 * garbage is found even where nothing else would have looked.
 */
function readAllObjects(doc: PdfDocument): void {
  for (const revision of doc.revisions) {
    for (const [num, entry] of revision.entries) {
      if (entry.type !== 'free') doc.getObject(num, entry.gen, revision.index);
    }
  }
}

function structureCheck(doc: PdfDocument): Check {
  readAllObjects(doc);
  const errors = doc.findings.filter((f) => f.severity === 'error');
  const warnings = doc.findings.filter((f) => f.severity === 'warning');
  const problems = errors.map((f) => (f.offset === undefined ? f.message : `${f.message} (at byte ${f.offset})`));
  if (doc.recovered) problems.unshift('the file was read by scanning for objects, not through its cross-reference data');
  if (doc.at().trailer.has('Encrypt')) problems.push('encrypted documents are not supported for verification');
  const details = { revisions: doc.revisions.length, errors: problems, warnings: warnings.map((w) => w.message) };
  if (problems.length > 0) return failed(STRUCTURE_CHECK, 'FORMAT_FAILURE', `PDF structure is not sound: ${problems.slice(0, 3).join('; ')}`, { details });
  return passed(STRUCTURE_CHECK, `${doc.revisions.length} revision(s), cross-reference data consistent`, { details });
}

/** Unreachable signature dictionaries sign nothing shown, so they are a note, not a failure. */
function withUnreachableNote(check: Check, unreachable: readonly UnreachableSignature[]): Check {
  const note = `signature dictionaries no field reaches (ignored): ${unreachable.map((u) => `${u.num} ${u.gen} R`).join(', ')}`;
  const warnings = [...((check.details?.warnings as string[] | undefined) ?? []), note];
  return { ...check, details: { ...check.details, warnings } };
}

interface Described {
  readonly index: number;
  readonly field: SignatureField;
  readonly dict: PdfDict;
  readonly ref?: PdfRef;
  readonly kind: PdfSignatureInfo['kind'];
  readonly ownPermission?: DocMdpPermission;
}

function describeSignature(doc: PdfDocument, field: SignatureField, index: number, certRef: PdfRef | undefined): Described {
  const value = field.value!;
  const dict = value.dict;
  const final = doc.at();
  const timestamp = isName(dict.get('Type'), 'DocTimeStamp') || isName(dict.get('SubFilter'), 'ETSI.RFC3161');
  const ownPermission = docMdpPermissionOf(final, dict);
  const isCertification = !timestamp && value.ref !== undefined && certRef?.num === value.ref.num && ownPermission !== undefined;
  const kind = timestamp ? 'timestamp' : isCertification ? 'certification' : 'approval';
  const base = { index, field, dict, kind } as const;
  const withRef = value.ref ? { ...base, ref: value.ref } : base;
  return ownPermission === undefined ? withRef : { ...withRef, ownPermission };
}

function finishSignature(
  doc: PdfDocument,
  s: Described,
  certification: Described | undefined,
  all: readonly Described[],
  analyzer: ModificationAnalyzer,
): PdfSignatureInfo {
  const checks: Check[] = [];
  const structureProblems: string[] = [];
  const info: Record<string, unknown> = { index: s.index, kind: s.kind, field: s.field.name };
  const subFilter = nameOf(s.dict.get('SubFilter'));
  const filter = nameOf(s.dict.get('Filter'));
  if (subFilter !== undefined) info.subFilter = subFilter;
  if (filter !== undefined) info.filter = filter;
  for (const [key, name] of [['Reason', 'reason'], ['Location', 'location'], ['ContactInfo', 'contactInfo'], ['Name', 'signerName']] as const) {
    const text = textOf(s.dict.get(key));
    if (text !== undefined) info[name] = text;
  }
  const m = textOf(s.dict.get('M'));
  const signingTime = m === undefined ? undefined : parsePdfDate(m);
  if (signingTime !== undefined) info.signingTimeM = signingTime;
  if (s.ref) {
    info.addedInRevision = doc.entryAt(s.ref.num, doc.lastRevision)?.revision;
    if (all.some((other) => other !== s && other.ref?.num === s.ref!.num)) structureProblems.push('the same signature dictionary is the value of two fields');
  } else structureProblems.push('the signature dictionary is a direct object, not an indirect one');
  if (s.field.outsideAcroForm) structureProblems.push('the signature field is reached from a page, but is not in the AcroForm /Fields tree');
  if (s.field.notTypedSig) structureProblems.push(`the field holding the signature is typed /${s.field.type ?? '(none)'}, not /Sig`);
  if (s.ownPermission !== undefined && s.kind !== 'certification') structureProblems.push('a DocMDP reference in a signature the catalog /Perms does not name');

  const contents = extractSignatureContents(s.dict);
  if (contents.ok) info.cms = contents.cms;
  else structureProblems.push(contents.problem);

  const range = checkByteRange(doc, s.dict);
  if (range.byteRange) info.byteRange = range.byteRange;
  if (range.coverage) info.coverage = range.coverage;
  if (range.ok) {
    info.byteRange = range.byteRange;
    info.coverage = range.coverage;
    info.signedRevision = range.signedRevision;
    info.signedChunks = signedChunks(doc.bytes, range.byteRange);
    const c = range.coverage;
    checks.push(
      passed(BYTE_RANGE_CHECK, `covers ${c.coveredBytes} of ${c.fileBytes} bytes, up to the end of revision ${range.signedRevision}${c.wholeFile ? ' (the whole file)' : ''}`, {
        details: { ...c, signedRevision: range.signedRevision },
      }),
    );
  } else {
    checks.push(failed(BYTE_RANGE_CHECK, 'HASH_FAILURE', `ByteRange unsound: ${range.problems.join('; ')}`, { details: { problems: range.problems } }));
  }

  checks.unshift(
    structureProblems.length > 0
      ? failed(STRUCTURE_CHECK, 'FORMAT_FAILURE', `signature dictionary unsound: ${structureProblems.join('; ')}`)
      : passed(STRUCTURE_CHECK, `signature dictionary in field "${s.field.name}" is well formed`),
  );

  const certRevision = certification ? checkByteRange(doc, certification.dict) : undefined;
  const certSigned = certRevision?.ok ? certRevision.signedRevision : undefined;
  const certified = certification?.ownPermission !== undefined && certSigned !== undefined && range.ok && certSigned <= range.signedRevision;
  const permission = certified ? certification!.ownPermission! : UNCERTIFIED_PERMISSION;
  info.docMdp = { permission, certified };
  const lock = fieldLockOf(doc.at(), s.dict, s.field.field.dict);
  if (lock) info.fieldLock = lock;
  if (range.ok) {
    const modifications = withFieldLock(doc, analyzer.after(range.signedRevision, permission, certified), lock, s.field.name);
    info.modifications = modifications;
    const check = modificationsCheck(modifications, permission, certified);
    const notFirst = s.kind === 'certification' && all.some((other) => other !== s && isSignedBefore(doc, other, range.signedRevision));
    checks.push(notFirst ? failed(check.id, 'FORMAT_FAILURE', 'the certification signature is not the first signature in the document', { details: check.details ?? {} }) : check);
  } else {
    info.modifications = [];
    checks.push(failed(MODIFICATIONS_CHECK, 'FORMAT_FAILURE', 'not analysed: the ByteRange does not identify a signed revision'));
  }
  info.checks = forSignature(checks, s.index);
  return info as unknown as PdfSignatureInfo;
}

function isSignedBefore(doc: PdfDocument, other: Described, revision: number): boolean {
  const range = checkByteRange(doc, other.dict);
  return range.ok && range.signedRevision < revision;
}
