/**
 * The QR test vectors: PNG images of license QR codes (verification URL, identifier and the signed core
 * fields) as a scanner sees them, valid with ES256 and SM2, and the attacks an offline QR verifier must
 * catch. Signers are found by key id in trust/trust-list-qr.json, which lists each office's signing
 * certificates beside its CAs.
 */
import { base64url, signLicenseQr, utf8, type LicenseCredential, type Signer } from '@elicense/core';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

export interface QrVectorInput {
  readonly licenses: Record<'valid' | 'business' | 'revoked' | 'unauthorized' | 'other', { credential: LicenseCredential; typeCode: string }>;
  readonly signers: Record<'es256' | 'sm2' | 'business' | 'rogue' | 'revoked', Signer>;
}

export interface QrVector {
  readonly name: string;
  readonly image: Uint8Array;
  /** The license type whose status lists the verifier is given. */
  readonly typeCode: string;
  readonly expected: { indication: string; subIndication?: string };
  readonly description: string;
}

export const QR_VERIFICATION_URL = 'https://verify.elicense.example/v1';

/** The symbol as the PDF prints it (error correction M), 4 pixels a module, with its quiet zone. */
async function qrImage(text: string): Promise<Uint8Array> {
  return new Uint8Array(await QRCode.toBuffer(text, { errorCorrectionLevel: 'M', scale: 4, margin: 4 }));
}

/** The same QR text with the signed payload's claims edited and the signature kept. */
function editClaims(text: string, edit: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const [url, jws] = text.split('#') as [string, string];
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${url}#${header}.${base64url(utf8(JSON.stringify(edit(claims))))}.${signature}`;
}

function blankImage(): Uint8Array {
  const png = new PNG({ width: 240, height: 240 });
  png.data.fill(255);
  return new Uint8Array(PNG.sync.write(png));
}

export async function qrVectors(input: QrVectorInput): Promise<QrVector[]> {
  const { licenses, signers } = input;
  const sign = (license: { credential: LicenseCredential }, signer: Signer) => signLicenseQr(license.credential, signer, { verificationUrl: QR_VERIFICATION_URL });
  const valid = await sign(licenses.valid, signers.es256);
  const operator = licenses.valid.typeCode;
  const identifier = licenses.valid.credential.credentialSubject.certificateIdentifier;
  const PASSED = { indication: 'TOTAL_PASSED' };
  const failed = (subIndication: string) => ({ indication: 'TOTAL_FAILED', subIndication });
  const [url, jws] = valid.split('#') as [string, string];
  const payload = jws.split('.')[1]!;
  const unsigned = `${url}#${base64url(utf8(JSON.stringify({ alg: 'none', typ: 'elicense-qr' })))}.${payload}.`;
  const otherIdentifier = licenses.other.credential.credentialSubject.certificateIdentifier;
  const entries: [string, string | Uint8Array, string, QrVector['expected'], string][] = [
    ['es256-valid', valid, operator, PASSED, 'ES256 signed QR with status references: signer found by key id, chain, trust, status all checked offline'],
    ['sm2-valid', await sign(licenses.valid, signers.sm2), operator, PASSED, 'SM2SM3 signed QR (ID 1234567812345678)'],
    ['business-license-valid', await sign(licenses.business, signers.business), licenses.business.typeCode, PASSED, '营业执照 from 市场监管局, ES256'],
    ['tampered-holder-name', editClaims(valid, (c) => ({ ...c, h: '李四' })), operator, failed('SIG_CRYPTO_FAILURE'), 'holder name changed in the signed payload, signature kept'],
    ['unknown-signer', await sign(licenses.valid, signers.rogue), operator, { indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' }, 'key id of a certificate the trust list does not hold: verify online'],
    ['revoked-signing-certificate', await sign(licenses.valid, signers.revoked), operator, failed('REVOKED'), 'signing certificate listed in the trust list beside its CA, revoked by the CA\'s CRL'],
    ['license-revoked', await sign(licenses.revoked, signers.es256), licenses.revoked.typeCode, failed('REVOKED'), 'the license is revoked in the status list its QR references'],
    ['issuer-not-authorized-for-type', await sign(licenses.unauthorized, signers.es256), licenses.unauthorized.typeCode, failed('SIG_CONSTRAINTS_FAILURE'), '住建厅 signs a 营业执照 QR, a type the trust list does not let it issue'],
    ['alg-none', unsigned, operator, failed('FORMAT_FAILURE'), 'alg none with an empty signature'],
    ['url-names-another-license', valid.replace(`id=${identifier}`, `id=${otherIdentifier}`), operator, failed('FORMAT_FAILURE'), 'the URL would open another license than the one signed'],
    ['url-only', `${QR_VERIFICATION_URL}?id=${identifier}`, operator, { indication: 'INDETERMINATE', subIndication: 'SIGNED_DATA_NOT_FOUND' }, 'a QR with only the verification URL: nothing to verify offline'],
    ['not-a-license', 'WIFI:S:elicense-demo;T:WPA;P:not-a-license;;', operator, failed('FORMAT_FAILURE'), 'a QR code with other content'],
    ['no-qr-code', blankImage(), operator, failed('FORMAT_FAILURE'), 'an image without any QR code'],
  ];
  return Promise.all(
    entries.map(async ([name, content, typeCode, expected, description]) => ({
      name,
      image: typeof content === 'string' ? await qrImage(content) : content,
      typeCode,
      expected,
      description,
    })),
  );
}
