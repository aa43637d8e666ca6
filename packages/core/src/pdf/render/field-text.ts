/** How license data reads on paper: labels from the type's schema, dates as 2024年01月15日, lists joined by 、. */
import type { LicenseType } from '../../license/types/license-type.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** No single printed value needs more; the schemas cap text at 4,000 characters. */
const MAX_VALUE_CHARACTERS = 5000;

/** `2024-01-15` as printed on Chinese licenses: `2024年01月15日`; other text unchanged. */
export function chineseDate(value: string): string {
  const match = ISO_DATE.exec(value);
  return match === null ? value : `${match[1]}年${match[2]}月${match[3]}日`;
}

/** The printed form of one 照面 field value. */
export function displayFieldValue(value: unknown): string {
  const text = displayText(value);
  return clean(text.slice(0, MAX_VALUE_CHARACTERS));
}

function displayText(value: unknown): string {
  if (typeof value === 'string') return chineseDate(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map(displayText).join('、');
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

/** Control characters would print as boxes or break the layout; a tab becomes a space, line ends stay breaks. */
function clean(text: string): string {
  let out = '';
  for (const character of text.replace(/\r\n?/g, '\n')) {
    const code = character.codePointAt(0)!;
    if (character === '\n') out += character;
    else if (character === '\t') out += ' ';
    else if (code >= 0x20 && (code < 0x7f || code > 0x9f) && code !== 0x2028 && code !== 0x2029) out += character;
  }
  return out;
}

/** The label a field is printed under: its schema title (e.g. 床位（张）), else its name. */
export function fieldLabel(type: LicenseType, name: string): string {
  const properties = type.fieldsSchema.properties as Record<string, { title?: unknown } | undefined> | undefined;
  const title = properties?.[name]?.title;
  return typeof title === 'string' && title !== '' ? title : name;
}

/** The type's field names in schema order. */
export function schemaFieldNames(type: LicenseType): string[] {
  const properties = type.fieldsSchema.properties;
  return properties !== null && typeof properties === 'object' ? Object.keys(properties) : [];
}
