/**
 * What one incremental update did, object by object, judged against what may change after a
 * signature (ISO 32000-1 §12.8.2.2, ETSI EN 319 142-1 §5.4; attacks from "Breaking the Specification:
 * PDF Certification" (IEEE S&P 2021) and the RUB-NDS shadow and incremental saving attacks).
 *
 * Allowed, at every permission level: DSS objects, document timestamps with their fields and widgets,
 * the catalog gaining /DSS or /AcroForm, document metadata (/Info, XMP /Metadata: never rendered, and
 * rewritten by Acrobat on every save), developer /Extensions, the xref and object streams carrying the
 * update, and objects rewritten with identical content. From P=2: signatures in new or empty signature
 * fields, with /Fields and the page's /Annots growing by exactly those fields and widgets. From P=3:
 * annotations other than widgets added, changed or removed. Everything else is a violation: page
 * content, resources, fonts, XObjects, changed widgets of other fields, /Perms, deleted objects, object
 * numbers freed and reused, and xref entries that point at some other object.
 *
 * Stricter than ISO 32000-1, on purpose (the same choices as pyHanko's default DiffPolicy):
 * - after a certification, a new signature field (or document timestamp field) must be invisible: a
 *   widget with an area is how the "sneaky signature" attack lays an appearance over the certified
 *   page, either at once or by signing, later, an empty field prepared for that purpose;
 * - a field signed now may have its appearance rewritten in place only when nothing but that field
 *   uses the old appearance dictionary and streams;
 * - filling in non-signature form fields is refused even at P=2: license PDFs have no fillable fields,
 *   and the check message says so rather than differing from the standard silently.
 */
import {
  PdfDict,
  PdfRef,
  PdfStream,
  describeType,
  isName,
  nameOf,
  type PdfDocument,
  type PdfObject,
  type RevisionView,
  type XrefEntry,
} from '../parse/index.js';
import type { DocMdpPermission } from './docmdp.js';
import { dssObjectNumbers } from './dss.js';
import { changedKeys, referencesIn, sameBytes, sameValue } from './object-compare.js';
import { ReferenceIndex, TRAILER_REFERRER } from './reference-index.js';
import { APPEARANCE_KEYS, findFormFields, findSignatureFields, isVisibleField } from './signature-fields.js';

export interface ObjectChange {
  readonly revision: number;
  /** Object number and generation; absent for changes to the trailer. */
  readonly num?: number;
  readonly gen?: number;
  readonly change: 'added' | 'changed' | 'deleted' | 'reused' | 'unreadable' | 'trailer';
  /** What the object is, e.g. "dictionary /Type /Page". */
  readonly type: string;
  readonly allowed: boolean;
  /** Why it is allowed, or what is wrong with it. */
  readonly reason: string;
}

export interface RevisionChanges {
  readonly revision: number;
  readonly changes: readonly ObjectChange[];
}

/** Widget keys a signer may set when it signs an existing empty field. */
const SIGNING_WIDGET_KEYS = new Set(['V', 'AP', 'AS', 'F']);
/** Trailer keys that describe the update itself rather than the document. */
const UPDATE_TRAILER_KEYS = new Set(['Size', 'Prev', 'ID', 'XRefStm', 'Info', 'Type', 'W', 'Index', 'Length', 'Filter', 'DecodeParms']);
/** Catalog keys a signer or validation-data update may change; each is then judged on its own. */
const CATALOG_UPDATE_KEYS = new Set(['DSS', 'AcroForm', 'Extensions', 'Version']);
/** Annotation flags a signer may add: Locked and LockedContents change nothing visible. */
const LOCK_FLAGS = 128 | 512;

class Classifier {
  readonly before: RevisionView;
  readonly after: RevisionView;
  readonly touched: ReadonlyMap<number, XrefEntry>;
  readonly allowed = new Map<number, string>();
  readonly problems = new Map<number, string>();
  readonly trailerProblems: string[] = [];

  constructor(
    readonly doc: PdfDocument,
    readonly revision: number,
    readonly permission: DocMdpPermission,
    /** Whether a certification signature sets the permission (approval signatures are judged as P=2). */
    readonly certified: boolean,
  ) {
    this.before = doc.at(revision - 1);
    this.after = doc.at(revision);
    this.touched = doc.revisions[revision]!.entries;
  }

  existedBefore(num: number): boolean {
    const found = this.doc.entryAt(num, this.revision - 1);
    return found !== undefined && found.entry.type !== 'free';
  }

  isNew(num: number): boolean {
    return this.touched.has(num) && !this.existedBefore(num);
  }

  /** Object `num` as a view sees it, whatever its generation. */
  objectAt(view: RevisionView, num: number): PdfObject | undefined {
    return this.doc.getObject(num, undefined, view.index);
  }

  allow(num: number, reason: string): void {
    if (!this.allowed.has(num)) this.allowed.set(num, reason);
  }

  problem(num: number, reason: string): void {
    if (!this.problems.has(num)) this.problems.set(num, reason);
  }

  /** Allows every object first written in this revision that `value` reaches through new objects only. */
  allowNewSubtree(value: PdfObject | undefined, reason: string): void {
    const stack = referencesIn(value);
    const seen = new Set<number>();
    while (stack.length > 0) {
      const ref = stack.pop()!;
      if (seen.has(ref.num) || !this.isNew(ref.num)) continue;
      seen.add(ref.num);
      this.doc.budget.spend(1);
      this.allow(ref.num, reason);
      referencesIn(this.after.get(ref), stack);
    }
  }

  private afterIndex: ReferenceIndex | undefined;
  private beforeIndex: ReferenceIndex | undefined;

  get referencesAfter(): ReferenceIndex {
    return (this.afterIndex ??= new ReferenceIndex(this.after));
  }

  get referencesBefore(): ReferenceIndex {
    return (this.beforeIndex ??= new ReferenceIndex(this.before));
  }

  checkTrailer(): void {
    for (const key of changedKeys(this.before.trailer, this.after.trailer)) {
      if (!UPDATE_TRAILER_KEYS.has(key)) this.trailerProblems.push(`trailer /${key} ${this.before.trailer.has(key) ? 'changed' : 'added'}`);
    }
    const info = this.after.trailer.get('Info');
    if (info instanceof PdfRef && this.after.dict(info)) {
      this.allow(info.num, 'document information (metadata, not rendered)');
      this.allowNewSubtree(info, 'document information');
    }
  }

  checkContainers(): void {
    for (const section of this.doc.revisions[this.revision]!.sections) {
      if (section.streamObject !== undefined && this.isNew(section.streamObject)) this.allow(section.streamObject, 'cross-reference stream of this update');
    }
    for (const num of this.touched.keys()) {
      if (!this.isNew(num)) continue;
      const value = this.objectAt(this.after, num);
      if (value instanceof PdfStream && isName(value.dict.get('Type'), 'ObjStm')) this.allow(num, 'object stream (its objects are judged one by one)');
    }
  }

  checkCatalog(): void {
    const rootRef = this.after.trailer.get('Root');
    const before = this.before.catalog;
    const after = this.after.catalog;
    if (!before || !after) return;
    const bad: string[] = [];
    for (const key of changedKeys(before, after)) {
      if (CATALOG_UPDATE_KEYS.has(key)) continue;
      if (key === 'Metadata' && this.isXmpMetadata(after.get('Metadata'))) continue;
      bad.push(`/${key}`);
    }
    if (!(rootRef instanceof PdfRef)) return;
    if (bad.length > 0) this.problem(rootRef.num, `catalog ${bad.join(', ')} changed`);
    else this.allow(rootRef.num, 'catalog: only /DSS, /AcroForm, /Extensions, /Version or /Metadata changed');
    this.checkExtensions(rootRef.num, after.get('Extensions'));
  }

  /**
   * Developer extensions (ISO 32000-2 §7.12) declare what the file uses, such as ESIC for PAdES; they
   * may be added or updated, as long as a rewritten extensions object is not shared with anything else.
   */
  checkExtensions(catalogNum: number, value: PdfObject | undefined): void {
    const extensions = this.after.dict(value);
    if (!extensions) return;
    const candidates = [value, ...extensions.entries.values()].flatMap((v) => (v instanceof PdfRef ? [v] : []));
    for (const ref of candidates) {
      if (!this.touched.has(ref.num) || !this.existedBefore(ref.num)) continue;
      const others = [...this.referencesBefore.referrersOf(ref.num)]
        .filter((n) => n !== catalogNum && !candidates.some((c) => c.num === n))
        .map((n) => (n < 0 ? 'the trailer' : `${n} 0 R`));
      for (const [key, item] of this.before.catalog?.entries ?? []) {
        if (key !== 'Extensions' && referencesIn(item).some((r) => r.num === ref.num)) others.push(`catalog /${key}`);
      }
      if (others.length > 0) this.problem(ref.num, `developer extensions object is also used by ${others.join(', ')}`);
      else this.allow(ref.num, 'developer extensions updated');
    }
    this.allowNewSubtree(value, 'developer extensions');
  }

  isXmpMetadata(value: PdfObject | undefined): boolean {
    const stream = this.after.resolve(value);
    return stream instanceof PdfStream && isName(stream.dict.get('Type'), 'Metadata') && isName(stream.dict.get('Subtype'), 'XML');
  }

  checkMetadata(): void {
    const value = this.after.catalog?.get('Metadata');
    if (value instanceof PdfRef && this.isXmpMetadata(value)) this.allow(value.num, 'XMP metadata (not rendered)');
  }

  checkDss(): void {
    const old = dssObjectNumbers(this.before);
    for (const num of dssObjectNumbers(this.after)) {
      if (this.isNew(num) || old.has(num)) this.allow(num, 'DSS (validation data)');
    }
  }

  /** Signature fields: new ones, empty ones signed now; returns the widgets those may add to pages. */
  checkSignatureFields(): Set<number> {
    const widgets = new Set<number>();
    const beforeFields = new Map(findSignatureFields(this.before).flatMap((f) => (f.field.ref ? [[f.field.ref.num, f] as const] : [])));
    for (const field of findSignatureFields(this.after)) {
      const fieldNum = field.field.ref?.num;
      const old = fieldNum === undefined ? undefined : beforeFields.get(fieldNum);
      const fieldIsNew = fieldNum !== undefined && this.isNew(fieldNum);
      const signedNow = field.value !== undefined && old !== undefined && old.value === undefined;
      if (!fieldIsNew && !signedNow) continue;
      const isTimestamp = field.value !== undefined && this.isDocumentTimestamp(field.value.dict);
      if (!isTimestamp && this.permission < 2) {
        if (fieldNum !== undefined) this.problem(fieldNum, `signature field "${field.name}" ${signedNow ? 'signed' : 'added'} although DocMDP P=1 allows no signatures`);
        continue;
      }
      const what = isTimestamp ? 'document timestamp' : 'signature';
      if (fieldIsNew && this.certified && isVisibleField(field)) {
        if (fieldNum !== undefined) {
          this.problem(fieldNum, `new ${what} field "${field.name}" has a visible widget; after a certification only invisible signature fields may be added`);
        }
        continue;
      }
      if (fieldNum !== undefined) {
        if (fieldIsNew) {
          this.allow(fieldNum, `new ${what} field "${field.name}"`);
          this.allowNewSubtree(field.field.dict.get('Kids'), `widgets of ${what} field "${field.name}"`);
        }
        else this.checkSigningUpdate(fieldNum, old!.field.dict, field.field.dict, `${what} field "${field.name}" signed`);
      }
      if (field.value) this.checkSignatureValue(field.value.ref, field.value.dict, what);
      for (const widget of field.widgets) {
        if (!widget.ref) continue;
        widgets.add(widget.ref.num);
        if (widget.ref.num === fieldNum) continue;
        if (this.isNew(widget.ref.num)) this.allow(widget.ref.num, `widget of ${what} field "${field.name}"`);
        else {
          const oldWidget = this.before.dict(widget.ref);
          if (oldWidget) this.checkSigningUpdate(widget.ref.num, oldWidget, widget.dict, `widget of ${what} field "${field.name}" given an appearance`);
        }
      }
      for (const widget of field.widgets) this.allowNewSubtree(widget.dict.get('AP'), `appearance of ${what} field "${field.name}"`);
    }
    return widgets;
  }

  isDocumentTimestamp(signature: PdfDict): boolean {
    return isName(signature.get('Type'), 'DocTimeStamp') || isName(signature.get('SubFilter'), 'ETSI.RFC3161');
  }

  /** An existing field or widget may gain /V, an appearance, and lock flags; nothing else. */
  checkSigningUpdate(num: number, before: PdfDict, after: PdfDict, reason: string): void {
    const keys = changedKeys(before, after);
    const bad = keys.filter((key) => !SIGNING_WIDGET_KEYS.has(key));
    const flagsBefore = before.get('F');
    const flagsAfter = after.get('F');
    const flagChange = (typeof flagsBefore === 'number' ? flagsBefore : 0) ^ (typeof flagsAfter === 'number' ? flagsAfter : 0);
    if (flagChange & ~LOCK_FLAGS) bad.push('/F (visibility flags)');
    if (before.has('V') && keys.includes('V')) bad.push('/V of an already signed field');
    const rewritten = this.checkAppearanceRewrites(num, before.get('AP'), after.get('AP'));
    if (keys.includes('AP') || rewritten) {
      const shared = this.sharedAppearanceDictionary(num, before.get('AP'));
      if (shared) bad.push(shared);
    }
    if (bad.length > 0) this.problem(num, `${bad.join(', ')} changed`);
    else this.allow(num, reason);
  }

  /** Who else, in the signed revision, refers to object `num`, besides `owner`. */
  otherReferrers(num: number, owner: number): string[] {
    return [...this.referencesBefore.referrersOf(num)].filter((n) => n !== owner).map((n) => (n === TRAILER_REFERRER ? 'the trailer' : `${n} 0 R`));
  }

  /**
   * An indirect appearance dictionary that something else also uses: replacing the field's appearance
   * is then not a change to this field alone (pyHanko flags the same, e.g. a catalog or trailer entry
   * that keeps the old appearance dictionary reachable).
   */
  sharedAppearanceDictionary(widgetNum: number, oldAp: PdfObject | undefined): string | undefined {
    if (!(oldAp instanceof PdfRef)) return undefined;
    const others = this.otherReferrers(oldAp.num, widgetNum);
    return others.length > 0 ? `/AP (its appearance dictionary ${oldAp.num} 0 R is also used by ${others.join(', ')})` : undefined;
  }

  /**
   * Appearance objects of a field signed now that were rewritten in place instead of replaced by new
   * ones. That is the same as pointing the field at a new appearance, and allowed, when the object
   * is still what the field uses and nothing else in the signed revision uses it; otherwise the
   * rewrite changes whatever else shows it.
   */
  checkAppearanceRewrites(widgetNum: number, oldAp: PdfObject | undefined, newAp: PdfObject | undefined): boolean {
    const oldDict = this.before.dict(oldAp);
    const newDict = this.after.dict(newAp);
    const apHolder = oldAp instanceof PdfRef ? oldAp.num : widgetNum;
    const candidates: { ref: PdfRef; owner: number; stillUsed: boolean }[] = [];
    if (oldAp instanceof PdfRef) candidates.push({ ref: oldAp, owner: widgetNum, stillUsed: newAp instanceof PdfRef && newAp.num === oldAp.num });
    for (const key of APPEARANCE_KEYS) {
      const old = oldDict?.get(key);
      if (!(old instanceof PdfRef)) continue;
      const now = newDict?.get(key);
      candidates.push({ ref: old, owner: apHolder, stillUsed: now instanceof PdfRef && now.num === old.num });
    }
    let rewritten = false;
    for (const { ref, owner, stillUsed } of candidates) {
      if (!this.touched.has(ref.num) || !this.existedBefore(ref.num)) continue;
      rewritten = true;
      const others = this.otherReferrers(ref.num, owner);
      if (!stillUsed) this.problem(ref.num, 'appearance object of an existing field overwritten in place, but the field no longer uses it');
      else if (others.length > 0) this.problem(ref.num, `appearance object of an existing field overwritten in place, though also used by ${others.join(', ')}`);
      else {
        this.allow(ref.num, 'appearance of the field signed now, rewritten in place (used by nothing else)');
        this.allowNewSubtree(this.after.get(ref), 'appearance of the field signed now');
      }
    }
    return rewritten;
  }

  /**
   * Non-signature fields whose field or widget dictionaries changed. ISO 32000-1 allows filling them
   * in at P=2; this verifier does not (see the module comment), and says why in the violation.
   */
  checkFormFilling(): void {
    for (const field of findFormFields(this.before)) {
      if (field.type === 'Sig') continue;
      for (const part of [field.field, ...field.widgets]) {
        if (!part.ref || !this.touched.has(part.ref.num)) continue;
        if (sameValue(this.objectAt(this.before, part.ref.num), this.objectAt(this.after, part.ref.num))) continue;
        this.problem(
          part.ref.num,
          `form field "${field.name}" (/${field.type ?? 'no FT'}) filled in or changed: ISO 32000-1 allows form filling at DocMDP P>=2, but this verifier refuses it, since license PDFs have no fillable fields`,
        );
      }
    }
  }

  checkSignatureValue(ref: PdfRef | undefined, dict: PdfDict, what: string): void {
    if (!ref) return;
    if (!this.isNew(ref.num)) {
      this.problem(ref.num, `${what} dictionary is not a new object`);
      return;
    }
    const type = nameOf(dict.get('Type'));
    if (type !== undefined && type !== 'Sig' && type !== 'DocTimeStamp') {
      this.problem(ref.num, `field value is /Type /${type}, not a signature dictionary`);
      return;
    }
    const certifies = (this.after.array(dict.get('Reference')) ?? []).some((r) => isName(this.after.dict(r)?.get('TransformMethod'), 'DocMDP'));
    if (certifies) {
      this.problem(ref.num, 'a certification (DocMDP) signature added after the document was signed');
      return;
    }
    this.allow(ref.num, `${what} dictionary`);
    this.allowNewSubtree(dict, `${what} dictionary`);
  }

  checkAcroForm(): void {
    const catalogValue = this.after.catalog?.get('AcroForm');
    const before = this.before.acroForm;
    const after = this.after.acroForm;
    if (!after) return;
    const bad: string[] = [];
    for (const key of before ? changedKeys(before, after) : after.keys()) {
      if (key === 'SigFlags' || key === 'Fields') continue;
      if (!before && (key === 'DA' || key === 'DR')) continue;
      if (key === 'DR' && before && this.onlyAddsResources(before.get('DR'), after.get('DR'))) continue;
      bad.push(`/${key}`);
    }
    const fieldsProblem = this.checkFieldsArray(before, after);
    if (fieldsProblem) bad.push(fieldsProblem);
    const fieldsValue = after.get('Fields');
    const nums = [catalogValue, fieldsValue].flatMap((v) => (v instanceof PdfRef ? [v.num] : []));
    for (const num of nums) {
      if (bad.length > 0) this.problem(num, `AcroForm ${bad.join(', ')}`);
      else this.allow(num, 'AcroForm: /Fields grew by signature fields, /SigFlags');
    }
    if (bad.length > 0 && nums.length === 0) {
      const root = this.after.trailer.get('Root');
      if (root instanceof PdfRef) this.problem(root.num, `AcroForm ${bad.join(', ')}`);
    }
    if (!before) this.allowNewSubtree(after, 'new AcroForm');
  }

  /**
   * Default resources may gain entries (a new signature appearance needs its font), but no existing
   * resource may change, since viewers regenerate field appearances from them.
   */
  onlyAddsResources(beforeValue: PdfObject | undefined, afterValue: PdfObject | undefined): boolean {
    const before = this.before.dict(beforeValue);
    const after = this.after.dict(afterValue);
    if (!before || !after) return false;
    if (afterValue instanceof PdfRef && this.touched.has(afterValue.num) && this.existedBefore(afterValue.num)) return false;
    for (const key of before.keys()) {
      const oldSub = this.before.dict(before.get(key));
      const newSub = this.after.dict(after.get(key));
      if (!oldSub || !newSub) {
        if (!sameValue(before.get(key), after.get(key))) return false;
        continue;
      }
      if (after.get(key) instanceof PdfRef && !sameValue(before.get(key), after.get(key))) return false;
      for (const name of oldSub.keys()) if (!sameValue(oldSub.get(name), newSub.get(name))) return false;
      for (const name of newSub.keys()) if (!oldSub.has(name)) this.allowNewSubtree(newSub.get(name), 'resource added to the AcroForm /DR');
    }
    return true;
  }

  /** Old fields must all stay; new ones must be signature fields allowed in this revision. */
  checkFieldsArray(before: PdfDict | undefined, after: PdfDict): string | undefined {
    const old = (this.before.array(before?.get('Fields')) ?? []).flatMap((v) => (v instanceof PdfRef ? [v.num] : []));
    const now = (this.after.array(after.get('Fields')) ?? []).flatMap((v) => (v instanceof PdfRef ? [v.num] : []));
    const nowSet = new Set(now);
    const removed = old.filter((num) => !nowSet.has(num));
    if (removed.length > 0) return `/Fields lost ${removed.map((n) => `${n} 0 R`).join(', ')}`;
    const oldSet = new Set(old);
    const addedNotAllowed = now.filter((num) => !oldSet.has(num) && (!this.allowed.has(num) || this.problems.has(num)));
    if (addedNotAllowed.length > 0) return `/Fields gained fields other than allowed signature fields (${addedNotAllowed.map((n) => `${n} 0 R`).join(', ')})`;
    return undefined;
  }

  checkPages(allowedWidgets: Set<number>): void {
    const before = this.before.pages;
    const after = this.after.pages;
    if (before.length !== after.length) this.trailerProblems.push(`page count changed from ${before.length} to ${after.length}`);
    for (let i = 0; i < Math.min(before.length, after.length); i++) {
      const oldPage = before[i]!;
      const page = after[i]!;
      const annotsProblem = this.checkAnnots(i + 1, oldPage.dict, page.dict, allowedWidgets);
      const keys = changedKeys(oldPage.dict, page.dict).filter((k) => k !== 'Annots');
      if (page.ref) {
        if (keys.length > 0) this.problem(page.ref.num, `page ${i + 1}: ${keys.map((k) => `/${k}`).join(', ')} changed`);
        else if (annotsProblem) this.problem(page.ref.num, annotsProblem);
        else this.allow(page.ref.num, `page ${i + 1}: /Annots grew by allowed annotations`);
      }
      const annotsValue = page.dict.get('Annots');
      if (annotsValue instanceof PdfRef) {
        if (annotsProblem) this.problem(annotsValue.num, annotsProblem);
        else this.allow(annotsValue.num, `page ${i + 1}: /Annots grew by allowed annotations`);
      }
    }
  }

  checkAnnots(pageNumber: number, oldPage: PdfDict, page: PdfDict, allowedWidgets: Set<number>): string | undefined {
    const refs = (view: RevisionView, dict: PdfDict) => (view.array(dict.get('Annots')) ?? []).flatMap((v) => (v instanceof PdfRef ? [v.num] : []));
    const old = refs(this.before, oldPage);
    const now = refs(this.after, page);
    const oldSet = new Set(old);
    const nowSet = new Set(now);
    const annotationsAllowed = this.permission >= 3;
    const problems: string[] = [];
    for (const num of old) {
      if (nowSet.has(num)) {
        if (annotationsAllowed && this.touched.has(num) && !this.isWidget(this.before, num)) this.allow(num, 'annotation changed (DocMDP P=3)');
        continue;
      }
      if (!(annotationsAllowed && !this.isWidget(this.before, num))) problems.push(`annotation ${num} 0 R removed`);
    }
    for (const num of now) {
      if (oldSet.has(num) || allowedWidgets.has(num)) continue;
      const annotation = this.objectAt(this.after, num);
      const subtype = nameOf(annotation instanceof PdfDict ? annotation.get('Subtype') : undefined) ?? 'unknown';
      if (annotationsAllowed && !this.isWidget(this.after, num) && this.isNew(num)) {
        this.allow(num, `/${subtype} annotation added (DocMDP P=3)`);
        this.allowNewSubtree(annotation, `/${subtype} annotation`);
        continue;
      }
      problems.push(`/${subtype} annotation ${num} 0 R added`);
      if (this.touched.has(num)) this.problem(num, `/${subtype} annotation added to page ${pageNumber}`);
    }
    return problems.length > 0 ? `page ${pageNumber}: ${problems.join(', ')}` : undefined;
  }

  isWidget(view: RevisionView, num: number): boolean {
    const value = this.objectAt(view, num);
    return value instanceof PdfDict && isName(value.get('Subtype'), 'Widget');
  }

  /** A Type1/TrueType font's /Name is obsolete since PDF 1.1 and ignored; Acrobat drops it when signing. */
  isObsoleteFontNameChange(before: PdfObject | undefined, after: PdfObject | undefined): boolean {
    if (!(before instanceof PdfDict) || !(after instanceof PdfDict)) return false;
    if (!isName(before.get('Type'), 'Font') || !isName(after.get('Type'), 'Font')) return false;
    const keys = changedKeys(before, after);
    return keys.length === 1 && keys[0] === 'Name';
  }

  judge(): ObjectChange[] {
    const changes: ObjectChange[] = [];
    for (const reason of this.trailerProblems) changes.push({ revision: this.revision, change: 'trailer', type: 'trailer', allowed: false, reason });
    for (const [num, entry] of this.touched) {
      this.doc.budget.spend(1);
      const before = this.doc.entryAt(num, this.revision - 1);
      const existed = before !== undefined && before.entry.type !== 'free';
      const base = { revision: this.revision, num, gen: entry.gen };
      if (entry.type === 'free') {
        if (existed) changes.push({ ...base, change: 'deleted', type: describeType(this.before.get(new PdfRef(num, before.entry.gen))), allowed: false, reason: 'object deleted' });
        continue;
      }
      if (!existed && before?.entry.type === 'free' && this.wasEverInUse(num)) {
        changes.push({ ...base, change: 'reused', type: describeType(this.after.get(new PdfRef(num, entry.gen))), allowed: false, reason: 'object number freed earlier and reused' });
        continue;
      }
      const value = this.doc.getObject(num, entry.gen, this.revision);
      if (value === undefined) {
        changes.push({ ...base, change: 'unreadable', type: 'missing object', allowed: false, reason: 'xref entry points at a different or unreadable object' });
        continue;
      }
      const type = describeType(value);
      if (existed) {
        const old = this.doc.getObject(num, before.entry.gen, this.revision - 1);
        if (before.entry.gen !== entry.gen) {
          changes.push({ ...base, change: 'reused', type, allowed: false, reason: `generation changed from ${before.entry.gen} to ${entry.gen}` });
          continue;
        }
        if (sameValue(old, value)) {
          changes.push({ ...base, change: 'changed', type, allowed: true, reason: 'rewritten with identical content' });
          continue;
        }
        if (this.isObsoleteFontNameChange(old, value)) {
          changes.push({ ...base, change: 'changed', type, allowed: true, reason: 'obsolete font /Name removed or changed' });
          continue;
        }
      }
      const change = existed ? 'changed' : 'added';
      const allowedReason = this.problems.has(num) ? undefined : this.allowed.get(num);
      if (allowedReason !== undefined) {
        changes.push({ ...base, change, type, allowed: true, reason: allowedReason });
        continue;
      }
      if (!existed && !this.problems.has(num) && !this.referencesAfter.isReferenced(num)) {
        changes.push({ ...base, change, type, allowed: true, reason: 'not referenced by anything, so without effect' });
        continue;
      }
      const detail = this.problems.get(num) ?? this.describeUnexplained(num, existed, value);
      changes.push({ ...base, change, type, allowed: false, reason: detail });
    }
    return changes;
  }

  wasEverInUse(num: number): boolean {
    for (let k = this.revision - 1; k >= 0; k--) {
      const entry = this.doc.revisions[k]!.entries.get(num);
      if (entry && entry.type !== 'free') return true;
    }
    return false;
  }

  describeUnexplained(num: number, existed: boolean, value: PdfObject): string {
    if (!existed) return 'added, and not part of any allowed change';
    const old = this.objectAt(this.before, num);
    const oldDict = old instanceof PdfStream ? old.dict : old instanceof PdfDict ? old : undefined;
    const newDict = value instanceof PdfStream ? value.dict : value instanceof PdfDict ? value : undefined;
    const parts: string[] = [];
    if (oldDict && newDict) {
      const keys = changedKeys(oldDict, newDict);
      if (keys.length > 0) parts.push(`keys ${keys.map((k) => `/${k}`).join(', ')} changed`);
    }
    if (old instanceof PdfStream && value instanceof PdfStream && !sameBytes(old.raw, value.raw)) parts.push('stream data changed');
    if (parts.length === 0) parts.push(`${describeType(old)} replaced by ${describeType(value)}`);
    return `redefined (${parts.join('; ')})`;
  }
}

export function classifyRevision(doc: PdfDocument, revision: number, permission: DocMdpPermission, certified = false): RevisionChanges {
  const c = new Classifier(doc, revision, permission, certified);
  c.checkTrailer();
  c.checkContainers();
  c.checkDss();
  c.checkMetadata();
  const widgets = c.checkSignatureFields();
  c.checkFormFilling();
  c.checkAcroForm();
  c.checkCatalog();
  c.checkPages(widgets);
  return { revision, changes: c.judge() };
}
