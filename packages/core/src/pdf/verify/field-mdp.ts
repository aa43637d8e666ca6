/**
 * FieldMDP (ISO 32000-1 §12.8.2.4, §12.7.4.5): a signature may lock form fields, through a
 * /Reference entry with /TransformMethod /FieldMDP or, failing that, its field's /Lock dictionary.
 * /Action /All locks every field, /Include the fields named in /Fields, /Exclude all but those. After
 * the signature, a locked field's dictionary, widgets and appearance objects must not change, and no
 * new field with a locked name may appear, except an invisible signature field (a document timestamp
 * or a signature that shows nothing), as pyHanko allows.
 */
import { PdfRef, isName, nameOf, textOf, type ObjectWithRef, type PdfDict, type PdfDocument, type PdfObject, type RevisionView } from '../parse/index.js';
import { sameValue } from './object-compare.js';
import type { ObjectChange, RevisionChanges } from './revision-changes.js';
import { APPEARANCE_KEYS, findFormFields, isVisibleField, type FormField } from './signature-fields.js';

export type FieldLockAction = 'All' | 'Include' | 'Exclude';

export interface FieldLock {
  readonly action: FieldLockAction;
  /** Fully qualified field names, for Include and Exclude. */
  readonly fields: readonly string[];
  /** Where the lock was found. */
  readonly source: 'FieldMDP' | 'Lock';
}

/** The lock a signature sets, if any. An unknown /Action locks every field: the strictest reading. */
export function fieldLockOf(view: RevisionView, signature: PdfDict, field: PdfDict): FieldLock | undefined {
  for (const item of view.array(signature.get('Reference')) ?? []) {
    const reference = view.dict(item);
    if (!reference || !isName(view.resolve(reference.get('TransformMethod')), 'FieldMDP')) continue;
    const params = view.dict(reference.get('TransformParams'));
    if (params) return lockFrom(view, params, 'FieldMDP');
  }
  const lock = view.dict(field.get('Lock'));
  return lock ? lockFrom(view, lock, 'Lock') : undefined;
}

function lockFrom(view: RevisionView, dict: PdfDict, source: FieldLock['source']): FieldLock {
  const action = nameOf(view.resolve(dict.get('Action')));
  const fields = (view.array(dict.get('Fields')) ?? []).flatMap((f) => {
    const text = textOf(view.resolve(f));
    return text === undefined ? [] : [text];
  });
  return { action: action === 'Include' || action === 'Exclude' ? action : 'All', fields, source };
}

export function isLocked(lock: FieldLock, name: string): boolean {
  const named = lock.fields.some((f) => name === f || name.startsWith(`${f}.`));
  if (lock.action === 'All') return true;
  return lock.action === 'Include' ? named : !named;
}

/**
 * The revisions as classified, with a violation added for each change to a field the lock covers.
 * Returns new arrays; the classified revisions are shared between signatures and left as they are.
 */
export function withFieldLock(doc: PdfDocument, revisions: readonly RevisionChanges[], lock: FieldLock | undefined, signatureField: string): RevisionChanges[] {
  if (!lock) return [...revisions];
  return revisions.map((r) => {
    const violations = lockViolations(doc, r.revision, lock, signatureField);
    return violations.length === 0 ? r : { revision: r.revision, changes: [...r.changes, ...violations] };
  });
}

function lockViolations(doc: PdfDocument, revision: number, lock: FieldLock, signatureField: string): ObjectChange[] {
  const before = doc.at(revision - 1);
  const after = doc.at(revision);
  const touched = doc.revisions[revision]!.entries;
  const oldFields = new Map(findFormFields(before).map((f) => [f.name, f] as const));
  const out: ObjectChange[] = [];
  const why = `field is locked by the ${lock.source === 'FieldMDP' ? 'FieldMDP transform' : '/Lock dictionary'} of signature field "${signatureField}" (/Action /${lock.action})`;
  for (const field of findFormFields(after)) {
    if (!isLocked(lock, field.name)) continue;
    const old = oldFields.get(field.name);
    if (!old) {
      if (field.type === 'Sig' && !isVisibleField(field)) continue;
      const num = field.field.ref?.num;
      out.push({ revision, ...(num === undefined ? {} : { num, gen: 0 }), change: 'added', type: `form field "${field.name}"`, allowed: false, reason: `new field with a locked name: ${why}` });
      continue;
    }
    for (const num of objectsOf(before, old)) {
      const entry = touched.get(num);
      if (!entry || sameValue(doc.getObject(num, undefined, revision - 1), doc.getObject(num, undefined, revision))) continue;
      doc.budget.spend(1);
      out.push({ revision, num, gen: entry.gen, change: 'changed', type: `part of form field "${field.name}"`, allowed: false, reason: why });
    }
  }
  return out;
}

/** The field, its widgets, their appearance dictionaries and appearance streams, as object numbers. */
function objectsOf(view: RevisionView, field: FormField): Set<number> {
  const out = new Set<number>();
  const note = (value: PdfObject | undefined) => {
    if (value instanceof PdfRef) out.add(value.num);
  };
  const parts: ObjectWithRef[] = [field.field, ...field.widgets];
  for (const part of parts) {
    note(part.ref);
    const ap = part.dict.get('AP');
    note(ap);
    const apDict = view.dict(ap);
    for (const key of APPEARANCE_KEYS) note(apDict?.get(key));
  }
  return out;
}
