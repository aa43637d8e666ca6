/** PEM armour (RFC 7468): the one place that reads and writes it. */
import { base64, fromBase64 } from '../bytes.js';
import { ElicenseError } from '../errors.js';

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

export function toPem(label: string, der: Uint8Array): string {
  const body = base64(der).replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order. Text between blocks (comments, "test-only" notes) is ignored. */
export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const label = match[1]!;
    blocks.push({ label, der: fromBase64(match[2]!, `PEM block ${label}`) });
  }
  return blocks;
}

/** The DER of the first block with one of `labels`; a clear error when there is none. */
export function pemBlock(text: string, ...labels: string[]): Uint8Array {
  const block = parsePem(text).find((b) => labels.includes(b.label));
  if (!block) throw new ElicenseError('ERR_INVALID_INPUT', `no PEM block labelled ${labels.join(' or ')}`);
  return block.der;
}

export function looksLikePem(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
  return head.includes('-----BEGIN ');
}
