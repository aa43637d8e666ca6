/**
 * Reads a JWS in any of its three serializations (compact, flattened JSON, general JSON) into the same
 * structure. Only the shape is checked here; headers and signatures are judged by the verifier so each
 * failure can be reported as its own check.
 */
import { fromBase64url, fromUtf8, utf8 } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { isJsonObject, parseJsonStrict } from '../json/strict-parse.js';

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
  readonly payload: Uint8Array;
  readonly signatures: readonly ParsedSignature[];
}

function invalid(message: string, field?: string): never {
  throw new ElicenseError('ERR_JWS_INVALID', message, field === undefined ? {} : { field });
}

function decodeProtected(protectedB64: string): unknown {
  const bytes = fromBase64url(protectedB64, 'protected header');
  return parseJsonStrict(fromUtf8(bytes), { maxLength: 64 * 1024, maxDepth: 8 });
}

function parseSignatureMember(member: unknown, payloadB64: string, where: string): ParsedSignature {
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
    signingInput: utf8(`${protectedB64}.${payloadB64}`),
  };
}

function parseCompact(text: string): ParsedJws {
  const parts = text.split('.');
  if (parts.length !== 3) invalid(`compact JWS must have 3 parts, found ${parts.length}`);
  const [protectedB64, payloadB64, signatureB64] = parts as [string, string, string];
  return {
    form: 'compact',
    payload: fromBase64url(payloadB64, 'payload'),
    signatures: [parseSignatureMember({ protected: protectedB64, signature: signatureB64 }, payloadB64, 'signature')],
  };
}

function parseJson(text: string): ParsedJws {
  const doc = parseJsonStrict(text, { maxLength: MAX_JWS_BYTES });
  if (!isJsonObject(doc)) invalid('JWS JSON serialization must be an object');
  const { payload } = doc;
  if (typeof payload !== 'string') invalid('JWS has no payload (detached payloads are not accepted)', 'payload');
  const decodedPayload = fromBase64url(payload, 'payload');
  if ('signatures' in doc) {
    if ('protected' in doc || 'signature' in doc || 'header' in doc) {
      invalid('general JWS JSON must not also carry flattened members');
    }
    const { signatures } = doc;
    if (!Array.isArray(signatures) || signatures.length === 0) invalid('"signatures" must be a non-empty array', 'signatures');
    if (signatures.length > 8) invalid('more than 8 signatures', 'signatures');
    return {
      form: 'general',
      payload: decodedPayload,
      signatures: signatures.map((s, i) => parseSignatureMember(s, payload, `signatures[${i}]`)),
    };
  }
  return { form: 'flattened', payload: decodedPayload, signatures: [parseSignatureMember(doc, payload, 'signature')] };
}

/** Parses a JWS from text or bytes (UTF-8), refusing anything over 1 MiB. */
export function parseJws(input: string | Uint8Array): ParsedJws {
  const size = typeof input === 'string' ? input.length : input.length;
  if (size > MAX_JWS_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `JWS of ${size} bytes exceeds the ${MAX_JWS_BYTES}-byte limit`);
  }
  const text = (typeof input === 'string' ? input : fromUtf8(input)).trim();
  return text.startsWith('{') ? parseJson(text) : parseCompact(text);
}
