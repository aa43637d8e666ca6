/**
 * Reads a JWS in any of its three serializations (compact, flattened JSON, general JSON) into the same
 * structure. Only the shape is checked here; headers and signatures are judged by the verifier so each
 * failure can be reported as its own check.
 */
import { fromBase64url, fromUtf8, utf8 } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { isJsonObject, parseJsonStrict } from '../json/strict-parse.js';
import { errorMessage } from '../verify/checks.js';

export const MAX_JWS_BYTES = 1 << 20;

export type JwsForm = 'compact' | 'flattened' | 'general';

export interface ParsedSignature {
  readonly protectedB64: string;
  /** The decoded protected header (strict JSON), not yet checked against the profile. */
  readonly protectedHeader: unknown;
  readonly unprotectedHeader?: unknown;
  readonly signature: Uint8Array;
  /** ASCII(BASE64URL(protected) || '.' || BASE64URL(payload)): what the signature covers. */
  readonly signingInput: Uint8Array;
}

export interface ParsedJws {
  readonly form: JwsForm;
  /**
   * The decoded payload. Decoded on first use, so a verifier can start checking signatures (which cover
   * the encoded form) first; a malformed encoding throws here.
   */
  readonly payload: Uint8Array;
  readonly signatures: readonly ParsedSignature[];
}

function parsed(form: JwsForm, payloadB64: string, signatures: readonly ParsedSignature[]): ParsedJws {
  let payload: Uint8Array | undefined;
  return {
    form,
    signatures,
    get payload() {
      if (payload === undefined) {
        try {
          payload = fromBase64url(payloadB64, 'payload');
        } catch (cause) {
          throw new ElicenseError('ERR_JWS_INVALID', errorMessage(cause), { field: 'payload', cause });
        }
      }
      return payload;
    },
  };
}

function invalid(message: string, field?: string): never {
  throw new ElicenseError('ERR_JWS_INVALID', message, field === undefined ? {} : { field });
}

/**
 * Decoded protected headers by their exact text: every license from one signer repeats the same header
 * (with its x5c chain), so it is decoded once. Callers must treat the decoded header as read-only.
 */
const decodedHeaders = new Map<number, { readonly text: string; readonly header: unknown }>();
const MAX_DECODED_HEADERS = 1024;

/**
 * A header carries its certificate chain, a few kilobytes: hashing all of it for a map look-up costs
 * more than the rest of parsing. The map is keyed by the length and 64 characters spread over the text,
 * and a hit is confirmed by comparing the whole text (a memory comparison, much cheaper than a hash).
 */
function fingerprint(text: string): number {
  let hash = text.length;
  const step = Math.max(1, Math.floor(text.length / 64));
  for (let i = 0; i < text.length; i += step) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

function decodeProtected(protectedB64: string): unknown {
  const key = fingerprint(protectedB64);
  const cached = decodedHeaders.get(key);
  if (cached !== undefined && cached.text === protectedB64) return cached.header;
  const bytes = fromBase64url(protectedB64, 'protected header');
  const header = parseJsonStrict(fromUtf8(bytes), { maxLength: 64 * 1024, maxDepth: 8 });
  if (decodedHeaders.size >= MAX_DECODED_HEADERS) decodedHeaders.delete(decodedHeaders.keys().next().value!);
  decodedHeaders.set(key, { text: protectedB64, header });
  return header;
}

/** ASCII(BASE64URL(protected) || '.' || BASE64URL(payload)), from the text when it is there in one piece. */
type SigningInputOf = (protectedB64: string) => Uint8Array;

function parseSignatureMember(member: unknown, payloadB64: string, where: string, signingInputOf?: SigningInputOf): ParsedSignature {
  if (!isJsonObject(member)) invalid(`${where} is not an object`, where);
  const { protected: protectedB64, header, signature } = member;
  if (typeof protectedB64 !== 'string' || protectedB64 === '') {
    invalid(`${where} has no protected header: unprotected-only signatures are not accepted`, `${where}.protected`);
  }
  if (typeof signature !== 'string') invalid(`${where} has no signature`, `${where}.signature`);
  return {
    protectedB64,
    protectedHeader: decodeProtected(protectedB64),
    ...(header === undefined ? {} : { unprotectedHeader: header }),
    signature: fromBase64url(signature, `${where}.signature`),
    signingInput: signingInputOf ? signingInputOf(protectedB64) : utf8(`${protectedB64}.${payloadB64}`),
  };
}

/**
 * `bytes` is the caller's input when it came as bytes and every character of `text` is one byte of it
 * (plain ASCII), `offset` where `text` starts in it: the signing input is then a view of those bytes, not
 * a fresh encoding of the same characters. The payload's alphabet is checked where it is decoded, after
 * the signature's computation has started.
 */
function parseCompact(text: string, bytes?: Uint8Array, offset = 0): ParsedJws {
  const parts = text.split('.');
  if (parts.length !== 3) invalid(`compact JWS must have 3 parts, found ${parts.length}`);
  const [protectedB64, payloadB64, signatureB64] = parts as [string, string, string];
  const length = protectedB64.length + 1 + payloadB64.length;
  const signingInputOf = () => (bytes ? bytes.subarray(offset, offset + length) : utf8(text.slice(0, length)));
  return parsed('compact', payloadB64, [parseSignatureMember({ protected: protectedB64, signature: signatureB64 }, payloadB64, 'signature', signingInputOf)]);
}

function parseJson(text: string): ParsedJws {
  const doc = parseJsonStrict(text, { maxLength: MAX_JWS_BYTES });
  if (!isJsonObject(doc)) invalid('JWS JSON serialization must be an object');
  const { payload } = doc;
  if (typeof payload !== 'string') invalid('JWS has no payload (detached payloads are not accepted)', 'payload');
  if ('signatures' in doc) {
    if ('protected' in doc || 'signature' in doc || 'header' in doc) {
      invalid('general JWS JSON must not also carry flattened members');
    }
    const { signatures } = doc;
    if (!Array.isArray(signatures) || signatures.length === 0) invalid('"signatures" must be a non-empty array', 'signatures');
    if (signatures.length > 8) invalid('more than 8 signatures', 'signatures');
    return parsed('general', payload, signatures.map((s, i) => parseSignatureMember(s, payload, `signatures[${i}]`)));
  }
  return parsed('flattened', payload, [parseSignatureMember(doc, payload, 'signature')]);
}

/** Parses a JWS from text or bytes (UTF-8), refusing anything over 1 MiB. */
export function parseJws(input: string | Uint8Array): ParsedJws {
  const size = typeof input === 'string' ? input.length : input.length;
  if (size > MAX_JWS_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `JWS of ${size} bytes exceeds the ${MAX_JWS_BYTES}-byte limit`);
  }
  const raw = typeof input === 'string' ? input : fromUtf8(input);
  const text = raw.trim();
  if (text.startsWith('{')) return parseJson(text);
  if (typeof input === 'string') return parseCompact(text);
  // UTF-8 gives fewer characters than bytes for anything beyond ASCII, so equal counts (less a byte
  // order mark, which the decoder drops) mean one byte per character: the text's offsets are the bytes'.
  const bom = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? 3 : 0;
  const lead = raw.length - raw.trimStart().length;
  return raw.length + bom === input.length ? parseCompact(text, input, bom + lead) : parseCompact(text);
}
