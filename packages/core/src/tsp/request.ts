/**
 * RFC 3161 §2.4.1 time-stamp requests: written for a client, read (strictly, bounded) by the authority.
 *
 *   TimeStampReq ::= SEQUENCE { version INTEGER { v1(1) }, messageImprint MessageImprint,
 *     reqPolicy TSAPolicyId OPTIONAL, nonce INTEGER OPTIONAL, certReq BOOLEAN DEFAULT FALSE,
 *     extensions [0] IMPLICIT Extensions OPTIONAL }
 *   MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
 */
import { ElicenseError } from '../errors.js';
import { assertSingleDerValue, content, encodeOid, encodeTlv, encodeUnsignedInteger, readTlv, type Tlv } from '../pki/der.js';
import { octetString, sequence } from '../cms/der-build.js';
import { expectTag, fieldsOf, malformed, readIntegerBytes, readingField, readOid, readSmallInteger } from '../cms/der-read.js';
import { digestAlgorithmFromOid, digestAlgorithmIdentifier, digestLength, type DigestAlgorithm } from '../cms/digest-algorithms.js';
import { encodeBigInteger } from './integers.js';

/** A request is a digest and a few small fields; anything larger is not one. */
export const MAX_TIME_STAMP_REQUEST_BYTES = 8 * 1024;

export interface TimeStampRequestOptions {
  readonly digest: Uint8Array;
  readonly hashAlgorithm: DigestAlgorithm;
  /** Echoed in the token, so a response cannot be replayed for another request: a random 64-bit value is usual. */
  readonly nonce?: bigint;
  /** Asks the authority to include its certificate in the token. */
  readonly certReq?: boolean;
  readonly policy?: string;
}

export function createTimeStampRequest(options: TimeStampRequestOptions): Uint8Array {
  const length = digestLength(options.hashAlgorithm);
  if (!(options.digest instanceof Uint8Array) || options.digest.length !== length) {
    throw new ElicenseError('ERR_INVALID_INPUT', `digest must be a ${options.hashAlgorithm} digest of ${length} bytes`, { field: 'digest' });
  }
  return sequence(
    encodeUnsignedInteger(Uint8Array.of(1)),
    messageImprint(options.hashAlgorithm, options.digest),
    options.policy === undefined ? new Uint8Array(0) : encodeOid(options.policy),
    options.nonce === undefined ? new Uint8Array(0) : encodeBigInteger(options.nonce, 'nonce'),
    options.certReq ? encodeTlv(0x01, Uint8Array.of(0xff)) : new Uint8Array(0),
  );
}

export function messageImprint(hashAlgorithm: DigestAlgorithm, digest: Uint8Array): Uint8Array {
  return sequence(digestAlgorithmIdentifier(hashAlgorithm), octetString(digest));
}

export interface MessageImprint {
  readonly hashAlgorithmOid: string;
  /** Undefined when the hash is not one eLicense knows. */
  readonly hashAlgorithm?: DigestAlgorithm;
  readonly hashedMessage: Uint8Array;
}

export function readMessageImprint(bytes: Uint8Array, tlv: Tlv | undefined, field: string): MessageImprint {
  const [algorithm, hashed, extra] = fieldsOf(bytes, tlv, 0x30, field);
  const hashAlgorithmOid = readOid(bytes, fieldsOf(bytes, algorithm, 0x30, `${field}.hashAlgorithm`)[0], `${field}.hashAlgorithm`);
  if (extra) malformed(field, 'unexpected field after hashedMessage');
  const hashAlgorithm = digestAlgorithmFromOid(hashAlgorithmOid);
  return {
    hashAlgorithmOid,
    ...(hashAlgorithm ? { hashAlgorithm } : {}),
    hashedMessage: content(bytes, expectTag(hashed, 0x04, `${field}.hashedMessage`)),
  };
}

export interface TimeStampRequest extends MessageImprint {
  readonly version: number;
  readonly policy?: string;
  /** The nonce INTEGER's content octets, echoed byte for byte in the token. */
  readonly nonce?: Uint8Array;
  readonly certReq: boolean;
  readonly hasExtensions: boolean;
}

export function parseTimeStampRequest(der: Uint8Array): TimeStampRequest {
  if (der.length > MAX_TIME_STAMP_REQUEST_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `time-stamp request is ${der.length} bytes; the limit is ${MAX_TIME_STAMP_REQUEST_BYTES}`);
  }
  readingField('TimeStampReq', () => assertSingleDerValue(der));
  const fields = fieldsOf(der, readTlv(der, 0), 0x30, 'TimeStampReq');
  let at = 0;
  const version = readSmallInteger(der, fields[at++], 'TimeStampReq.version');
  const imprint = readMessageImprint(der, fields[at++], 'TimeStampReq.messageImprint');
  const policy = fields[at]?.tag === 0x06 ? readOid(der, fields[at++], 'TimeStampReq.reqPolicy') : undefined;
  const nonce = fields[at]?.tag === 0x02 ? readIntegerBytes(der, fields[at++], 'TimeStampReq.nonce') : undefined;
  let certReq = false;
  if (fields[at]?.tag === 0x01) {
    const flag = content(der, fields[at++]!);
    if (flag.length !== 1 || (flag[0] !== 0 && flag[0] !== 0xff)) malformed('TimeStampReq.certReq', 'bad BOOLEAN');
    certReq = flag[0] === 0xff;
  }
  const hasExtensions = fields[at]?.tag === 0xa0;
  if (hasExtensions) at++;
  if (at !== fields.length) malformed('TimeStampReq', 'unexpected field');
  return {
    version,
    ...imprint,
    ...(policy === undefined ? {} : { policy }),
    ...(nonce === undefined ? {} : { nonce }),
    certReq,
    hasExtensions,
  };
}
