/**
 * RFC 3161 §2.4.2 responses: `TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken OPTIONAL }`,
 * with `PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL,
 * failInfo PKIFailureInfo OPTIONAL }` (RFC 4210 §5.2.3).
 */
import { fromUtf8, utf8 } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { assertSingleDerValue, content, encodeTlv, encodeUnsignedInteger, readTlv, slice } from '../pki/der.js';
import { sequence } from '../cms/der-build.js';
import { bounded, expectTag, fieldsOf, malformed, readingField, readSmallInteger } from '../cms/der-read.js';
import { MAX_CMS_BYTES } from '../cms/parse-signed-data.js';

export const PKI_STATUSES = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'] as const;
export type PkiStatus = (typeof PKI_STATUSES)[number];

/** PKIFailureInfo bits that a time-stamping authority uses (RFC 3161 §2.4.2). */
export const PKI_FAILURE_BITS = {
  badAlg: 0,
  badRequest: 2,
  badDataFormat: 5,
  timeNotAvailable: 14,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
  addInfoNotAvailable: 17,
  systemFailure: 25,
} as const;
export type PkiFailureInfo = keyof typeof PKI_FAILURE_BITS;

export interface TimeStampResponse {
  readonly status: PkiStatus;
  readonly statusStrings: readonly string[];
  readonly failInfo: readonly PkiFailureInfo[];
  /** DER ContentInfo(SignedData) when the status is granted. */
  readonly token?: Uint8Array;
}

/** A DER named bit list with trailing zero bits dropped (X.690 §11.2.2). */
function failureBits(failures: readonly PkiFailureInfo[]): Uint8Array {
  const bits = failures.map((f) => PKI_FAILURE_BITS[f]);
  const last = Math.max(...bits);
  const body = new Uint8Array(2 + (last >> 3));
  body[0] = 7 - (last & 7);
  for (const bit of bits) body[1 + (bit >> 3)]! |= 0x80 >> (bit & 7);
  return encodeTlv(0x03, body);
}

export function encodeTimeStampResponse(response: {
  readonly status: PkiStatus;
  readonly statusString?: string;
  readonly failInfo?: readonly PkiFailureInfo[];
  readonly token?: Uint8Array;
}): Uint8Array {
  const statusInfo = sequence(
    encodeUnsignedInteger(Uint8Array.of(PKI_STATUSES.indexOf(response.status))),
    response.statusString === undefined ? new Uint8Array(0) : sequence(encodeTlv(0x0c, utf8(response.statusString))),
    response.failInfo && response.failInfo.length > 0 ? failureBits(response.failInfo) : new Uint8Array(0),
  );
  return sequence(statusInfo, response.token ?? new Uint8Array(0));
}

function readFailureBits(body: Uint8Array): PkiFailureInfo[] {
  if (body.length === 0 || body[0]! > 7) malformed('PKIStatusInfo.failInfo', 'bad BIT STRING');
  return (Object.keys(PKI_FAILURE_BITS) as PkiFailureInfo[]).filter((name) => {
    const bit = PKI_FAILURE_BITS[name];
    const byte = body[1 + (bit >> 3)];
    return byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0;
  });
}

export function parseTimeStampResponse(der: Uint8Array): TimeStampResponse {
  if (!(der instanceof Uint8Array)) throw new ElicenseError('ERR_INVALID_INPUT', 'time-stamp response must be a Uint8Array');
  if (der.length > MAX_CMS_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `time-stamp response is ${der.length} bytes; the limit is ${MAX_CMS_BYTES}`);
  }
  readingField('TimeStampResp', () => assertSingleDerValue(der));
  const [statusInfo, token, extra] = fieldsOf(der, readTlv(der, 0), 0x30, 'TimeStampResp');
  if (extra) malformed('TimeStampResp', 'unexpected field after timeStampToken');
  const info = fieldsOf(der, statusInfo, 0x30, 'PKIStatusInfo');
  let at = 0;
  const code = readSmallInteger(der, info[at++], 'PKIStatusInfo.status');
  const status = PKI_STATUSES[code];
  if (!status) malformed('PKIStatusInfo.status', `unknown status ${code}`);
  let statusStrings: string[] = [];
  if (info[at]?.tag === 0x30) {
    statusStrings = bounded(fieldsOf(der, info[at++], 0x30, 'PKIStatusInfo.statusString'), 16, 'PKIStatusInfo.statusString').map((s) =>
      fromUtf8(content(der, expectTag(s, 0x0c, 'PKIStatusInfo.statusString'))),
    );
  }
  const failInfo = info[at]?.tag === 0x03 ? readFailureBits(content(der, info[at++]!)) : [];
  if (at !== info.length) malformed('PKIStatusInfo', 'unexpected field');
  return { status, statusStrings, failInfo, ...(token ? { token: slice(der, expectTag(token, 0x30, 'timeStampToken')) } : {}) };
}
