/** Makes a signed Bitstring Status List credential (W3C, VC 2.0, secured as vc+jwt). */
import { utf8 } from '../bytes.js';
import type { Signer } from '../crypto/signer.js';
import { signCompact } from '../jws/sign.js';
import { encodeStatusBitstring } from './bitstring.js';

export type StatusPurpose = 'revocation' | 'suspension';

export interface StatusListInput {
  /** The URL the list is published at; licenses name it in `statusListCredential`. */
  readonly id: string;
  readonly issuer: { readonly code: string; readonly name: string };
  readonly purpose: StatusPurpose;
  readonly bits: Uint8Array;
  readonly validFrom: Date;
  /** Verifiers treat the list as stale after this time; the publisher refreshes it before then. */
  readonly validUntil: Date;
}

export async function buildStatusListCredential(input: StatusListInput): Promise<Record<string, unknown>> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: input.id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: { id: `urn:uscc:${input.issuer.code}`, name: input.issuer.name },
    validFrom: input.validFrom.toISOString(),
    validUntil: input.validUntil.toISOString(),
    credentialSubject: {
      id: `${input.id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: input.purpose,
      encodedList: await encodeStatusBitstring(input.bits),
    },
  };
}

export async function signStatusList(input: StatusListInput, signer: Signer): Promise<string> {
  const credential = await buildStatusListCredential(input);
  return signCompact(utf8(JSON.stringify(credential)), signer, { typ: 'vc+jwt' });
}
