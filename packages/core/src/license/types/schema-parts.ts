/** Building blocks shared by the type schemas, so every type spells a USCC or a date the same way. */

export const JSON_SCHEMA_2020 = 'https://json-schema.org/draft/2020-12/schema';

export function text(title: string, maxLength = 200): Record<string, unknown> {
  return { type: 'string', title, minLength: 1, maxLength };
}

export function date(title: string): Record<string, unknown> {
  return { type: 'string', title, format: 'date' };
}

export function uscc(title = '统一社会信用代码'): Record<string, unknown> {
  return { type: 'string', title, pattern: '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' };
}

export function personId(title = '公民身份号码'): Record<string, unknown> {
  return { type: 'string', title, pattern: '^[0-9]{17}[0-9X]$' };
}

export function oneOf(title: string, values: readonly string[]): Record<string, unknown> {
  return { type: 'string', title, enum: values };
}

export function list(title: string, itemTitle: string, maxItems = 100): Record<string, unknown> {
  return { type: 'array', title, minItems: 1, maxItems, items: text(itemTitle) };
}
