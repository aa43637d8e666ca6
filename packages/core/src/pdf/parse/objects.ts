/**
 * The PDF object model: values as parsed, nothing resolved. Integers are JS numbers and reals are
 * `PdfReal`, so a check that needs an integer (ByteRange, /Length, /W) can refuse `0.0`. A null value
 * in a dictionary means the key is absent (ISO 32000-1 §7.3.7), so such entries are dropped.
 */

/** A half-open range of byte offsets [start, end). */
export interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfString {
  /**
   * @param span where the string token (including its delimiters) lies in the file; absent for strings
   *   read from a decoded object stream, whose bytes a ByteRange cannot point at.
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
    readonly span?: ByteSpan,
  ) {}
}

export class PdfReal {
  constructor(readonly value: number) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}

  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

export class PdfDict {
  constructor(readonly entries: ReadonlyMap<string, PdfObject>) {}

  get(key: string): PdfObject | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }
}

export class PdfStream {
  /**
   * @param raw the encoded stream bytes as they are in the file (a view, not a copy)
   * @param rawOffset where `raw` starts in the file
   */
  constructor(
    readonly dict: PdfDict,
    readonly raw: Uint8Array,
    readonly rawOffset: number,
  ) {}
}

export type PdfObject = null | boolean | number | PdfReal | PdfName | PdfString | PdfRef | PdfDict | PdfStream | readonly PdfObject[];

export function isName(value: PdfObject | undefined, name?: string): value is PdfName {
  return value instanceof PdfName && (name === undefined || value.name === name);
}

export function nameOf(value: PdfObject | undefined): string | undefined {
  return value instanceof PdfName ? value.name : undefined;
}

export function isInteger(value: PdfObject | undefined): value is number {
  return typeof value === 'number';
}

/** The numeric value of an integer or a real. */
export function numberOf(value: PdfObject | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof PdfReal) return value.value;
  return undefined;
}

export function isArray(value: PdfObject | undefined): value is readonly PdfObject[] {
  return Array.isArray(value);
}

/** The dictionary of a dictionary or of a stream. */
export function dictOf(value: PdfObject | undefined): PdfDict | undefined {
  if (value instanceof PdfDict) return value;
  if (value instanceof PdfStream) return value.dict;
  return undefined;
}

/** A short human description of a value's type, for messages ("dictionary /Type /Page", "stream"). */
export function describeType(value: PdfObject | undefined): string {
  if (value === undefined) return 'missing object';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number' || value instanceof PdfReal) return 'number';
  if (value instanceof PdfName) return 'name';
  if (value instanceof PdfString) return 'string';
  if (value instanceof PdfRef) return 'reference';
  if (Array.isArray(value)) return 'array';
  const dict = dictOf(value);
  const kind = value instanceof PdfStream ? 'stream' : 'dictionary';
  const type = nameOf(dict?.get('Type'));
  const subtype = nameOf(dict?.get('Subtype')) ?? nameOf(dict?.get('FT'));
  return [kind, type && `/Type /${type}`, subtype && `/${subtype}`].filter(Boolean).join(' ');
}
