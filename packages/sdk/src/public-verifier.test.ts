/**
 * The public verifier against a real repository: no credentials, only the public documents; and the
 * seal pictures a PDF carries.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLicenseClient, createPublicVerifier, readSealPictures } from './index.js';
import { FOOD_LICENSE, startRepository, type Repository } from '../test-support/repository.js';

let repo: Repository;
let pdf: Uint8Array;
let signedJson: string;

before(async () => {
  repo = await startRepository({ database: 'sqlite' });
  const identifier = await repo.issue(FOOD_LICENSE);
  await repo.share(identifier);
  const client = createLicenseClient(repo.approvalClientOptions());
  pdf = await client.getPdf(identifier);
  signedJson = (await client.getLicense(identifier)).signedJson!;
});

after(() => repo?.close());

test('verifies a PDF and a signed JSON with GETs of public documents only', async () => {
  const requests: string[] = [];
  const verifier = createPublicVerifier({
    baseUrl: repo.url,
    trustOperatorCertificate: repo.operatorCertificatePem,
    fetch: (url, init) => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
      assert.equal(init?.body, undefined, 'nothing is sent');
      return fetch(url, init);
    },
  });
  assert.equal((await verifier.verify(pdf)).indication, 'TOTAL_PASSED');
  assert.equal((await verifier.verify(signedJson)).indication, 'TOTAL_PASSED');
  assert.ok(requests.length > 0);
  for (const request of requests) assert.match(request, /^GET \/(\.well-known\/elicense\/(trust-list\.json|crls\.pem)|status\/)/);
  const bundle = await verifier.exportBundle();
  assert.ok(Object.keys(bundle.statusLists).length >= 1, 'the lists it used go into an offline bundle');
});

test('a QR photo without a decoder is a clear format failure; with one, the decoder gets the photo', async () => {
  const verifier = createPublicVerifier({ baseUrl: repo.url, trustOperatorCertificate: repo.operatorCertificatePem });
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const report = await verifier.verify(png);
  assert.equal(report.format, 'qr');
  assert.match(report.checks[0]!.message, /decodeQrImage/);
  const seen: Uint8Array[] = [];
  const decoding = createPublicVerifier({ baseUrl: repo.url, trustOperatorCertificate: repo.operatorCertificatePem, decodeQrImage: async (image) => { seen.push(image); throw new Error('no QR code found'); } });
  const decoded = await decoding.verify(png);
  assert.deepEqual(seen, [png]);
  assert.match(decoded.checks[0]!.message, /no QR code found/);
});

test('the seal picture a PDF signature carries; none in a signed JSON', async () => {
  const pictures = await readSealPictures(pdf);
  assert.equal(pictures.length, 1);
  const [seal] = pictures;
  assert.equal(seal!.type, 'svg');
  assert.match(new TextDecoder().decode(seal!.data), /^<svg|<\?xml/);
  assert.match(seal!.pictureSm3, /^[0-9a-f]{64}$/);
  assert.ok(seal!.widthMm > 20 && seal!.esID.length > 0 && seal!.name.length > 0);
  assert.deepEqual(await readSealPictures(new TextEncoder().encode(signedJson)), []);
  assert.deepEqual(await readSealPictures(Uint8Array.from(pdf.subarray(0, 2000))), [], 'a truncated PDF has none to show, and does not throw');
});
