import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  createRootCa,
  generateSigningKey,
  isElicenseError,
  utf8,
  verifySignature,
  type SignatureAlgorithm,
} from '@elicense/core';
import {
  keyEncryptionKeyId,
  openPrivateKey,
  parseKeyEncryptionKey,
  sealPrivateKey,
  signerFromEnvelope,
} from './key-envelope.js';

const KEK = new Uint8Array(randomBytes(32));
const OTHER_KEK = new Uint8Array(randomBytes(32));

async function keyWithCertificate(alg: SignatureAlgorithm) {
  const key = await generateSigningKey(alg);
  const certificate = await createRootCa({
    key,
    subject: { commonName: `envelope test ${alg}`, country: 'CN' },
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
  });
  return { key, certificate, pkcs8: await key.exportPkcs8() };
}

/** Flips one bit of the base64url text in part `part` (0-based) of the envelope. */
function tamper(envelope: string, part: number): string {
  const parts = envelope.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[bytes.length >> 1]! ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

function hasNoKeyMaterial(error: unknown, ...secrets: Uint8Array[]): boolean {
  const text = `${(error as Error).message} ${String((error as Error).cause ?? '')}`;
  return secrets.every((secret) => {
    const forms = [Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')];
    return forms.every((form) => !text.includes(form.slice(0, 16)));
  });
}

describe('key envelope', () => {
  for (const alg of ['ES256', 'EdDSA', 'PS256', 'SM2SM3'] as const) {
    it(`seals, opens and signs with ${alg}`, async () => {
      const { key, certificate, pkcs8 } = await keyWithCertificate(alg);
      const envelope = sealPrivateKey(pkcs8, KEK, `issuer-${alg}`);
      assert.match(envelope, /^v1\.[0-9a-f]{16}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      assert.equal(envelope.split('.')[1], keyEncryptionKeyId(KEK));
      assert.ok(!envelope.includes(Buffer.from(pkcs8).toString('base64url').slice(0, 24)), 'the key is not in the clear');
      assert.deepEqual(openPrivateKey(envelope, KEK, `issuer-${alg}`), pkcs8);

      const signer = await signerFromEnvelope(envelope, KEK, `issuer-${alg}`, alg, [certificate]);
      assert.equal(signer.alg, alg);
      assert.deepEqual(signer.publicKey, key.publicKey);
      assert.deepEqual(signer.certificates, [certificate]);
      assert.ok(!('exportPkcs8' in signer), 'the signer does not hand the private key out');
      const message = utf8(`license payload for ${alg}`);
      const signature = await signer.sign(message);
      assert.equal(await verifySignature(alg, key.publicKey, message, signature), true);
      assert.equal(await verifySignature(alg, key.publicKey, utf8('another message'), signature), false);
    });
  }

  it('seals the same key differently each time (fresh nonce)', async () => {
    const { pkcs8 } = await keyWithCertificate('ES256');
    const a = sealPrivateKey(pkcs8, KEK, 'k1');
    const b = sealPrivateKey(pkcs8, KEK, 'k1');
    assert.notEqual(a.split('.')[2], b.split('.')[2]);
    assert.notEqual(a, b);
  });

  it('refuses a tampered ciphertext or nonce', async () => {
    const { pkcs8 } = await keyWithCertificate('ES256');
    const envelope = sealPrivateKey(pkcs8, KEK, 'k1');
    for (const part of [2, 3]) {
      assert.throws(
        () => openPrivateKey(tamper(envelope, part), KEK, 'k1'),
        (error) => isElicenseError(error, 'ERR_KEY_DECRYPT_FAILED') && /failed authentication/.test(error.message) && hasNoKeyMaterial(error, KEK, pkcs8),
      );
    }
  });

  it('names a wrong KEK clearly, with both kek ids and no key material', async () => {
    const { pkcs8 } = await keyWithCertificate('EdDSA');
    const envelope = sealPrivateKey(pkcs8, KEK, 'k1');
    const message = `the key-encryption key does not match (kek id ${keyEncryptionKeyId(OTHER_KEK)}, expected ${keyEncryptionKeyId(KEK)})`;
    assert.throws(
      () => openPrivateKey(envelope, OTHER_KEK, 'k1'),
      (error) => isElicenseError(error, 'ERR_KEY_DECRYPT_FAILED') && error.message.startsWith(message) && hasNoKeyMaterial(error, KEK, OTHER_KEK, pkcs8),
    );
    await assert.rejects(signerFromEnvelope(envelope, OTHER_KEK, 'k1', 'EdDSA', []), /does not match/);
  });

  it('refuses an envelope moved to another key id', async () => {
    const { pkcs8 } = await keyWithCertificate('ES256');
    const envelope = sealPrivateKey(pkcs8, KEK, 'issuer-a');
    assert.throws(
      () => openPrivateKey(envelope, KEK, 'issuer-b'),
      (error) => isElicenseError(error, 'ERR_KEY_DECRYPT_FAILED') && /"issuer-b" failed authentication/.test(error.message),
    );
  });

  it('refuses an envelope whose kek id was edited to match another KEK', async () => {
    const { pkcs8 } = await keyWithCertificate('ES256');
    const parts = sealPrivateKey(pkcs8, KEK, 'k1').split('.');
    parts[1] = keyEncryptionKeyId(OTHER_KEK);
    assert.throws(() => openPrivateKey(parts.join('.'), OTHER_KEK, 'k1'), /failed authentication/);
  });

  it('refuses malformed envelopes with a reason', () => {
    const kekId = keyEncryptionKeyId(KEK);
    const cases: [string, RegExp][] = [
      ['', /4 dot-separated parts/],
      [`v2.${kekId}.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA`, /unknown format version "v2"/],
      [`v1.XYZ.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA`, /kek id is not 16 hex digits/],
      [`v1.${kekId}.AAAA.AAAAAAAAAAAAAAAAAAAAAAAA`, /nonce must be 12 bytes/],
      [`v1.${kekId}.AAAAAAAAAAAAAAAA.AAAA`, /too short/],
      [`v1.${kekId}.AAAAAAAAAAAAAAAA.AA+A/AAAAAAAAAAAAAAAAAAAA`, /not base64url/],
    ];
    for (const [envelope, reason] of cases) {
      assert.throws(
        () => openPrivateKey(envelope, KEK, 'k1'),
        (error) => isElicenseError(error, 'ERR_KEY_INVALID') && reason.test(error.message),
        envelope,
      );
    }
  });

  it('refuses a KEK that is not 32 bytes, and an empty key id', () => {
    assert.throws(() => sealPrivateKey(Uint8Array.of(1), new Uint8Array(16), 'k1'), /must be 32 bytes/);
    assert.throws(() => sealPrivateKey(Uint8Array.of(1), KEK, ''), /non-empty key id/);
  });

  it('refuses a certificate for another key', async () => {
    const { pkcs8 } = await keyWithCertificate('ES256');
    const { certificate: otherCertificate } = await keyWithCertificate('ES256');
    const envelope = sealPrivateKey(pkcs8, KEK, 'k1');
    await assert.rejects(signerFromEnvelope(envelope, KEK, 'k1', 'ES256', [otherCertificate]), /certifies another public key/);
    await assert.rejects(signerFromEnvelope(envelope, KEK, 'k1', 'ES256', []), /has no certificate/);
  });

  it('refuses an algorithm that does not fit the sealed key', async () => {
    const { pkcs8, certificate } = await keyWithCertificate('ES256');
    const envelope = sealPrivateKey(pkcs8, KEK, 'k1');
    await assert.rejects(signerFromEnvelope(envelope, KEK, 'k1', 'PS256', [certificate]), (error) => isElicenseError(error, 'ERR_KEY_INVALID'));
  });
});

describe('parseKeyEncryptionKey', () => {
  const bytes = new Uint8Array(randomBytes(32));

  it('reads hex and both base64 alphabets, ignoring surrounding whitespace', () => {
    assert.deepEqual(parseKeyEncryptionKey(Buffer.from(bytes).toString('hex')), bytes);
    assert.deepEqual(parseKeyEncryptionKey(Buffer.from(bytes).toString('hex').toUpperCase()), bytes);
    assert.deepEqual(parseKeyEncryptionKey(`${Buffer.from(bytes).toString('base64')}\n`), bytes);
    assert.deepEqual(parseKeyEncryptionKey(Buffer.from(bytes).toString('base64url')), bytes);
  });

  it('refuses anything but exactly 32 bytes, naming ELICENSE_KEK and not echoing the value', () => {
    const secretLooking = Buffer.from(randomBytes(31)).toString('hex');
    for (const text of ['', 'correct horse battery staple', secretLooking, Buffer.from(randomBytes(33)).toString('base64'), Buffer.from(randomBytes(24)).toString('base64')]) {
      assert.throws(
        () => parseKeyEncryptionKey(text),
        (error) => isElicenseError(error, 'ERR_INVALID_INPUT') && error.message.startsWith('ELICENSE_KEK must be exactly 32 bytes') && (text === '' || !error.message.includes(text)),
        text,
      );
    }
  });
});
