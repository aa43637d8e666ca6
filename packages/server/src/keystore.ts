/**
 * Signers for the platform's and the offices' keys, made from the signing_keys table: software keys
 * sealed under the key-encryption key, or keys held in a PKCS#11 token. Each is opened once and kept.
 */
import type { Kysely } from 'kysely';
import { parsePem, type SignatureAlgorithm, type Signer } from '@elicense/core';
import type { Database, SigningKeysTable } from './db/schema.js';
import { signerFromEnvelope } from './keys/key-envelope.js';
import { openPkcs11Signer, type Pkcs11SignerHandle } from './keys/pkcs11-signer.js';

export type KeyRole = SigningKeysTable['role'];

export interface Keystore {
  /** The office's active issuing signers, ES256 (or another international algorithm) first, SM2 after. */
  officeSigners(officeCode: string): Promise<readonly Signer[]>;
  /** The platform's signer for a role (status lists, trust list, annotated copies, time stamps). */
  platformSigner(role: Exclude<KeyRole, 'issuer' | 'ca' | 'root-ca' | 'token'>): Promise<Signer>;
  /** The CAs whose keys the platform holds (the demo CAs), to sign their CRLs with. */
  caSigners(): Promise<readonly Signer[]>;
  /** Forgets opened keys (after keys are added or retired). */
  reset(): void;
  close(): void;
}

export function certificatesOf(row: { chain_pem: string }): Uint8Array[] {
  return parsePem(row.chain_pem).filter((block) => block.label === 'CERTIFICATE').map((block) => block.der);
}

export function createKeystore(db: Kysely<Database>, options: { kek: Uint8Array; pkcs11?: { modulePath?: string; pin: string } }): Keystore {
  const opened = new Map<string, Promise<Signer>>();
  const handles: Pkcs11SignerHandle[] = [];

  const open = (row: SigningKeysTable): Promise<Signer> => {
    let signer = opened.get(row.id);
    if (!signer) {
      signer = openRow(row);
      opened.set(row.id, signer);
      signer.catch(() => opened.delete(row.id));
    }
    return signer;
  };

  const openRow = async (row: SigningKeysTable): Promise<Signer> => {
    const certificates = certificatesOf(row);
    if (row.key_envelope) return signerFromEnvelope(row.key_envelope, options.kek, row.id, row.alg as SignatureAlgorithm, certificates);
    if (row.hsm_key) {
      if (!options.pkcs11) throw new Error(`key ${row.id} is in an HSM: set ELICENSE_PKCS11_PIN (and ELICENSE_PKCS11_MODULE)`);
      const where = JSON.parse(row.hsm_key) as { tokenLabel: string; keyLabel: string };
      const handle = await openPkcs11Signer({ ...options.pkcs11, tokenLabel: where.tokenLabel, keyLabel: where.keyLabel, certificates });
      handles.push(handle);
      return handle.signer;
    }
    throw new Error(`key ${row.id} has neither a sealed key nor an HSM reference`);
  };

  return {
    async officeSigners(officeCode) {
      const rows = await db.selectFrom('signing_keys').selectAll().where('owner_code', '=', officeCode).where('role', '=', 'issuer').where('active', '=', 1).orderBy('created_at').execute();
      const signers = await Promise.all(rows.map(open));
      return signers.sort((a, b) => Number(a.alg === 'SM2SM3') - Number(b.alg === 'SM2SM3'));
    },
    async platformSigner(role) {
      const row = await db.selectFrom('signing_keys').selectAll().where('role', '=', role).where('active', '=', 1).orderBy('created_at', 'desc').executeTakeFirst();
      if (!row) throw new Error(`the platform has no ${role} key`);
      return open(row);
    },
    async caSigners() {
      const rows = await db.selectFrom('signing_keys').selectAll().where('role', 'in', ['ca', 'root-ca']).where('active', '=', 1).execute();
      return Promise.all(rows.filter((row) => row.key_envelope || row.hsm_key).map(open));
    },
    reset() {
      opened.clear();
    },
    close() {
      for (const handle of handles.splice(0)) handle.close();
      opened.clear();
    },
  };
}
