/**
 * The keys a signing worker signs with, read on the main thread and opened in the worker: the office's
 * active issuer keys and the platform's time-stamping key, as sealed under the key-encryption key. A key
 * held in an HSM cannot be handed over (its PKCS#11 session belongs to the main thread), so an office with
 * one signs on the main thread instead.
 */
import type { Kysely } from 'kysely';
import { parsePem, type SignatureAlgorithm, type Signer } from '@elicense/core';
import type { Database, SigningKeysTable } from '../db/schema.js';
import { signerFromEnvelope } from '../keys/key-envelope.js';

export interface SealedKey {
  readonly id: string;
  readonly alg: SignatureAlgorithm;
  readonly envelope: string;
  readonly chainPem: string;
}

/** An office's signing material as a worker takes it. */
export interface SealedOfficeKeys {
  /** Active issuer keys, ES256 (or another international algorithm) first, SM2 after, as the keystore orders them. */
  readonly signers: readonly SealedKey[];
  /** The office's electronic seal, DER. */
  readonly seal?: Uint8Array;
  readonly timeStamping?: SealedKey;
}

const sealed = (row: SigningKeysTable): SealedKey | undefined =>
  row.key_envelope ? { id: row.id, alg: row.alg as SignatureAlgorithm, envelope: row.key_envelope, chainPem: row.chain_pem } : undefined;

/** The office's keys for a worker, or undefined when one of them is held in an HSM. */
export async function sealedOfficeKeys(db: Kysely<Database>, officeCode: string): Promise<SealedOfficeKeys | undefined> {
  const rows = await db.selectFrom('signing_keys').selectAll().where('owner_code', '=', officeCode).where('role', '=', 'issuer').where('active', '=', 1).orderBy('created_at').execute();
  const tsa = await db.selectFrom('signing_keys').selectAll().where('role', '=', 'time-stamping-authority').where('active', '=', 1).orderBy('created_at', 'desc').executeTakeFirst();
  const seal = await db.selectFrom('seals').select('der').where('office_code', '=', officeCode).executeTakeFirst();
  const signers = rows.map(sealed);
  const timeStamping = tsa ? sealed(tsa) : undefined;
  if (signers.some((key) => !key) || (tsa && !timeStamping)) return undefined;
  return {
    signers: (signers as SealedKey[]).sort((a, b) => Number(a.alg === 'SM2SM3') - Number(b.alg === 'SM2SM3')),
    ...(seal ? { seal: new Uint8Array(Buffer.from(seal.der, 'base64')) } : {}),
    ...(timeStamping ? { timeStamping } : {}),
  };
}

/** Opens sealed keys once each (decrypting and checking a key against its certificate is not free). */
export function createSealedKeyOpener(kek: Uint8Array): (key: SealedKey) => Promise<Signer> {
  const opened = new Map<string, Promise<Signer>>();
  return (key) => {
    // The envelope is part of the name: a key re-sealed under the same id is opened afresh.
    const name = `${key.id}\n${key.envelope}`;
    let signer = opened.get(name);
    if (!signer) {
      const certificates = parsePem(key.chainPem).filter((block) => block.label === 'CERTIFICATE').map((block) => block.der);
      signer = signerFromEnvelope(key.envelope, kek, key.id, key.alg, certificates);
      opened.set(name, signer);
      signer.catch(() => opened.delete(name));
    }
    return signer;
  };
}
