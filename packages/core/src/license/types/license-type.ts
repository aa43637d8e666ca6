/** A license type (证照类型) as data: the catalog entry of GB/T 36902 plus the schema of its 照面 fields. */

export type HolderCategory = 'legal-person' | 'natural-person';

/** 证照定义机构级别 in the catalog: 1 国家级, 2 省部级, 3 地市级, 4 区县级, 5 其他. */
export type DefiningAuthorityLevel = 1 | 2 | 3 | 4 | 5;

/** 有效期限: a fixed number of years or months from the effective date, or 长期有效. */
export type ValidityRule = { readonly years: number } | { readonly months: number } | { readonly longTerm: true };

/** How the printable rendition (PDF) of a license of this type is laid out. */
export interface LicenseRenderTemplate {
  /** Page size in millimetres; A4 portrait (210 x 297) when absent. */
  readonly pageSize?: { readonly widthMm: number; readonly heightMm: number };
  /** The printed title; the type's name when absent. */
  readonly title?: string;
  /**
   * The field table, top to bottom: a field name fills a row, two names share one. Fields left out follow
   * in schema order, one per row.
   */
  readonly rows?: readonly (string | readonly [string, string])[];
  /** Printed before the issuing authority's name: 发证机关 when absent, 登记机关 for registrations. */
  readonly authorityLabel?: string;
}

export interface LicenseType {
  /** 证照类型代码: the defining authority's USCC followed by a 3-digit sequence. */
  readonly code: string;
  readonly name: string;
  readonly definingAuthority: {
    readonly name: string;
    readonly code: string;
    readonly level: DefiningAuthorityLevel;
  };
  readonly holderCategory: HolderCategory;
  readonly validity: ValidityRule;
  /** JSON Schema 2020-12 for `credentialSubject.fields`, property names as printed on the license. */
  readonly fieldsSchema: Readonly<Record<string, unknown>>;
  /**
   * 照面 fields that repeat a metadata element and so must carry the same value: the holder's name and
   * code, and the 证照编号.
   */
  readonly linkedFields?: {
    readonly holderName?: string;
    readonly holderCode?: string;
    readonly number?: string;
  };
  /** A realistic example that passes the schema; the demo codes in it are made up. */
  readonly sample: {
    readonly fields: Readonly<Record<string, unknown>>;
    readonly holder: { readonly name: string; readonly code: string };
  };
  /** The PDF layout; without one the fields are printed one per row in schema order on A4 portrait. */
  readonly renderTemplate?: LicenseRenderTemplate;
  /** 关联事项: the government service items that issue this license. */
  readonly relatedItems?: readonly { readonly code: string; readonly name: string }[];
}
