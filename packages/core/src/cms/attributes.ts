/**
 * CMS attributes (RFC 5652 §5.3): `Attribute ::= SEQUENCE { attrType OID, attrValues SET OF AttributeValue }`,
 * written with DER-sorted sets and read with bounds, each value kept as the bytes received.
 */
import { encodeOid, slice, type Tlv } from '../pki/der.js';
import { sequence, setOf } from './der-build.js';
import { bounded, fieldsOf, malformed, readOid } from './der-read.js';

export interface CmsAttribute {
  readonly oid: string;
  /** Each value as one DER TLV. */
  readonly values: readonly Uint8Array[];
}

/** More attributes, or values per attribute, than any real signer writes. */
const MAX_ATTRIBUTES = 64;
const MAX_VALUES = 16;

export function encodeAttribute(attribute: CmsAttribute): Uint8Array {
  return sequence(encodeOid(attribute.oid), setOf(attribute.values));
}

/** SignedAttributes as signed: the DER SET OF with the universal SET tag (RFC 5652 §5.4). */
export function encodeAttributeSet(attributes: readonly CmsAttribute[]): Uint8Array {
  return setOf(attributes.map(encodeAttribute));
}

export function readAttributes(bytes: Uint8Array, set: Tlv, field: string): CmsAttribute[] {
  const list = bounded(fieldsOf(bytes, set, set.tag, field), MAX_ATTRIBUTES, field);
  return list.map((attribute, i) => {
    const where = `${field}[${i}]`;
    const [typeTlv, valuesTlv, extra] = fieldsOf(bytes, attribute, 0x30, where);
    const oid = readOid(bytes, typeTlv, `${where}.attrType`);
    const values = bounded(fieldsOf(bytes, valuesTlv, 0x31, `${where}.attrValues`), MAX_VALUES, `${where}.attrValues`);
    if (extra) malformed(where, 'unexpected field after attrValues');
    return { oid, values: values.map((value) => slice(bytes, value)) };
  });
}
