/** Non-negative INTEGERs as bigint for RFC 3161 serial numbers and nonces, which may be up to 160 bits. */
import { ElicenseError } from '../errors.js';
import { encodeUnsignedInteger } from '../pki/der.js';

export function encodeBigInteger(value: bigint, field: string): Uint8Array {
  if (typeof value !== 'bigint' || value < 0n || value >= 1n << 160n) {
    throw new ElicenseError('ERR_INVALID_INPUT', `${field} must be a non-negative integer below 2^160`, { field });
  }
  const hex = value.toString(16);
  const padded = hex.length % 2 === 1 ? `0${hex}` : hex;
  return encodeUnsignedInteger(Uint8Array.from(padded.match(/../g)!, (byte) => parseInt(byte, 16)));
}

/** An INTEGER's content octets as bigint (two's complement, so a negative value stays negative). */
export function integerValue(body: Uint8Array): bigint {
  let value = 0n;
  for (const byte of body) value = (value << 8n) | BigInt(byte);
  return body.length > 0 && body[0]! & 0x80 ? value - (1n << BigInt(body.length * 8)) : value;
}

/** A random positive integer of `bytes` bytes: default serial numbers. */
export function randomPositive(bytes: number): bigint {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  random[0] = (random[0]! & 0x7f) | 0x01;
  return integerValue(random);
}
