/**
 * A PDF with a signature placeholder, waiting for its CMS. The covered bytes are a plain value, so the
 * CMS can be made anywhere (a remote signer, a PKCS#11 HSM) and embedded later.
 */
import { ElicenseError } from '../../errors.js';
import { DerError, readTlv } from '../../pki/der.js';
import type { WrittenUpdate } from '../write/append-incremental-update.js';
import { fillByteRange, type ByteRange, type SignatureDictionaryLayout } from './signature-dictionary.js';

export interface StagedPdfSignature {
  /** The PDF with the placeholder; its ByteRange is final. */
  readonly prepared: Uint8Array;
  /** [0, start of `<`, just past `>`, rest of the file]: the /Contents hex string is the hole. */
  readonly byteRange: ByteRange;
  /** Full name of the field that holds the signature. */
  readonly fieldName: string;
  /** How many bytes of DER the /Contents placeholder holds. */
  readonly contentsCapacity: number;
  /** The two covered parts of `prepared`, as views (no copies): what the CMS signs or the TSA stamps. */
  coveredChunks(): Uint8Array[];
  /** A copy of `prepared` with `der` (CMS SignedData or TimeStampToken) written into the hole. */
  embed(der: Uint8Array): Uint8Array;
}

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');

export function stageSignature(
  written: WrittenUpdate,
  signatureObjectNumber: number,
  layout: SignatureDictionaryLayout,
  fieldName: string,
): StagedPdfSignature {
  const prepared = written.bytes;
  const valueAt = written.valueOffsets.get(signatureObjectNumber);
  if (valueAt === undefined) throw new Error('signature dictionary missing from its own update');
  const holeStart = valueAt + layout.contentsStart;
  const holeEnd = valueAt + layout.contentsEnd;
  const byteRange: ByteRange = [0, holeStart, holeEnd, prepared.length - holeEnd];
  fillByteRange(prepared, valueAt + layout.byteRangeAt, byteRange);
  const contentsCapacity = (holeEnd - holeStart - 2) / 2;

  return {
    prepared,
    byteRange,
    fieldName,
    contentsCapacity,
    coveredChunks: () => [prepared.subarray(0, holeStart), prepared.subarray(holeEnd)],
    embed(der: Uint8Array): Uint8Array {
      assertOneDerSequence(der);
      if (der.length > contentsCapacity) {
        throw new ElicenseError(
          'ERR_INPUT_TOO_LARGE',
          `the signature is ${der.length} bytes but the placeholder holds ${contentsCapacity}; prepare again with a larger contentsSize`,
          { field: 'contentsSize' },
        );
      }
      const out = prepared.slice();
      let at = holeStart + 1;
      for (const byte of der) {
        out[at++] = HEX_DIGITS[byte >> 4]!;
        out[at++] = HEX_DIGITS[byte & 15]!;
      }
      return out;
    },
  };
}

/** CMS and timestamp tokens are one DER SEQUENCE; anything else (PEM, base64, trailing bytes) is refused. */
function assertOneDerSequence(der: Uint8Array): void {
  try {
    const top = readTlv(der, 0);
    if (top.tag === 0x30 && top.end === der.length) return;
  } catch (cause) {
    if (!(cause instanceof DerError)) throw cause;
  }
  throw new ElicenseError('ERR_ASN1_INVALID', 'expected one DER-encoded SEQUENCE (a CMS SignedData or TimeStampToken)', { field: 'der' });
}
