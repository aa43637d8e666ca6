/**
 * The CMS (or RFC 3161 token) in /Contents. Signers reserve more room than the signature needs and
 * pad with zeros; the padding is stripped by reading the encoded length, and only zeros may follow it.
 */
import { PdfString, type PdfDict } from '../parse/index.js';

/** Large enough for CMS with embedded chains, CRLs and OCSP responses; larger is refused. */
export const MAX_SIGNATURE_CONTENTS_BYTES = 4 * 1024 * 1024;

export type ContentsResult = { readonly ok: true; readonly cms: Uint8Array } | { readonly ok: false; readonly problem: string };

export function extractSignatureContents(signature: PdfDict): ContentsResult {
  const contents = signature.get('Contents');
  if (!(contents instanceof PdfString)) return { ok: false, problem: '/Contents is missing or not a string' };
  const bytes = contents.bytes;
  if (bytes.length > MAX_SIGNATURE_CONTENTS_BYTES) return { ok: false, problem: `/Contents larger than ${MAX_SIGNATURE_CONTENTS_BYTES} bytes` };
  if (bytes[0] !== 0x30) return { ok: false, problem: '/Contents does not start with an ASN.1 SEQUENCE' };
  const length = encodedLength(bytes);
  if (length === undefined) return { ok: false, problem: '/Contents is not a complete BER/DER element' };
  for (let i = length; i < bytes.length; i++) {
    if (bytes[i] !== 0) return { ok: false, problem: `non-zero byte after the signature at /Contents offset ${i}` };
  }
  return { ok: true, cms: bytes.subarray(0, length) };
}

interface Header {
  readonly contentStart: number;
  /** Undefined for the indefinite form. */
  readonly length?: number;
  readonly constructed: boolean;
}

function readHeader(bytes: Uint8Array, at: number): Header | undefined {
  let pos = at;
  const tag = bytes[pos++];
  if (tag === undefined) return undefined;
  if ((tag & 0x1f) === 0x1f) {
    // High tag numbers continue while bit 8 is set.
    for (let i = 0; ; i++) {
      const b = bytes[pos++];
      if (b === undefined || i >= 4) return undefined;
      if ((b & 0x80) === 0) break;
    }
  }
  const first = bytes[pos++];
  if (first === undefined) return undefined;
  const constructed = (tag & 0x20) !== 0;
  if (first < 0x80) return { contentStart: pos, length: first, constructed };
  if (first === 0x80) return { contentStart: pos, constructed };
  const count = first & 0x7f;
  if (count > 4 || pos + count > bytes.length) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[pos++]!;
  return { contentStart: pos, length, constructed };
}

/**
 * Length of the first element. Signers that emit BER use the indefinite form (Acrobat writes
 * `30 80 ...`), whose end is only found by walking to its end-of-contents marker; definite-length
 * children are skipped whole, so the walk is linear and its depth bounded.
 */
function encodedLength(bytes: Uint8Array): number | undefined {
  let pos = 0;
  let open = 0;
  do {
    if (open > 0 && bytes[pos] === 0 && bytes[pos + 1] === 0) {
      pos += 2;
      open--;
      continue;
    }
    const header = readHeader(bytes, pos);
    if (!header) return undefined;
    if (header.length === undefined) {
      if (!header.constructed || ++open > 64) return undefined;
      pos = header.contentStart;
    } else {
      pos = header.contentStart + header.length;
    }
    if (pos > bytes.length) return undefined;
  } while (open > 0);
  return pos;
}
