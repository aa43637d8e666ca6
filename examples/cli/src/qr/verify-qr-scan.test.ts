/**
 * The QR code of an issued license PDF, as a counter clerk meets it: the page rendered to a 150 dpi or
 * 300 dpi scan by poppler, then made worse like a phone photo (scaled down, turned, blurred, JPEG) with
 * pngjs and jpeg-js. The real `elicense` binary reads the image and verifies the signed form offline.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { cli, repo, run, tempDir, type RunResult } from '../commands/cli-harness.js';
import { readImage, type RgbaImage } from './read-image.js';
import { resample } from './resample.js';

const pki = (name: string) => join(repo, 'test-vectors/pki', name);
const W032 = '建筑施工特种作业人员操作资格证书';
let dir: Awaited<ReturnType<typeof tempDir>>;

interface Report {
  valid: boolean;
  indication: string;
  subIndication?: string;
  format: string;
  license?: { holderName?: string; identifier?: string };
  checks: { id: string; indication: string; message: string }[];
}

async function ok(args: readonly string[]): Promise<RunResult> {
  const result = await cli(args);
  assert.equal(result.code, 0, `elicense ${args.join(' ')}: ${result.stderr}`);
  return result;
}

async function verify(image: string, trust = 'trust-list.json', extra: string[] = []): Promise<{ code: number; report: Report; stderr: string }> {
  const result = await cli(['verify', image, '--json', '--trust', dir.path(trust), '--status', dir.path('ca.crl.pem'), '--no-status-check', ...extra]);
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

function encodePng(image: RgbaImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length);
  return PNG.sync.write(png);
}

/** Turned by `degrees` about the centre, bilinear, white where the turned page leaves no paper. */
function rotate(image: RgbaImage, degrees: number): RgbaImage {
  const { width, height, data } = image;
  const out = new Uint8ClampedArray(data.length).fill(255);
  const cos = Math.cos((degrees * Math.PI) / 180);
  const sin = Math.sin((degrees * Math.PI) / 180);
  const cx = width / 2;
  const cy = height / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = cos * (x - cx) + sin * (y - cy) + cx;
      const sy = -sin * (x - cx) + cos * (y - cy) + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < 4; c++) {
        const at = (xx: number, yy: number) => data[(yy * width + xx) * 4 + c]!;
        out[(y * width + x) * 4 + c] = (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
      }
    }
  }
  return { width, height, data: out };
}

/** A 3x3 box blur: a slightly unsharp camera. */
function blur(image: RgbaImage): RgbaImage {
  const { width, height, data } = image;
  const out = new Uint8ClampedArray(data);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += data[((y + dy) * width + x + dx) * 4 + c]!;
        out[(y * width + x) * 4 + c] = sum / 9;
      }
    }
  }
  return { width, height, data: out };
}

before(async () => {
  dir = await tempDir();
  const p = dir.path;
  await writeFile(p('data.json'), (await ok(['issue', '--sample', W032])).stdout);
  // The office's signing certificate beside its CA in the trust list: the QR names it by key id only.
  await writeFile(p('office-certs.pem'), `${await readFile(pki('intl-issuing-ca.cert.pem'), 'utf8')}${await readFile(pki('issuer-44541j-es256.cert.pem'), 'utf8')}`);
  for (const [name, certs] of [['trust-list.json', p('office-certs.pem')], ['trust-list-ca-only.json', pki('intl-issuing-ca.cert.pem')]] as const) {
    await ok([
      'trust-list', 'build', '--operator-key', pki('trust-list-operator.key.pem'), '--operator-cert', pki('trust-list-operator.cert.pem'),
      '--issuer', `吉林省住房和城乡建设厅=11220000013544541J:${certs}:${W032}`, '--sequence', '4', '--out', p(name),
    ]);
  }
  await ok(['ca', 'crl', '--ca-cert', pki('intl-issuing-ca.cert.pem'), '--ca-key', pki('intl-issuing-ca.key.pem'), '--crl-number', '1', '--out', p('ca.crl.pem')]);
  await ok([
    'issue', '--type', W032, '--data', p('data.json'), '--key', pki('issuer-44541j-es256.key.pem'), '--cert', pki('issuer-44541j-es256.cert.pem'),
    '--serial', '2026000301', '--out', p('license.jws'), '--pdf', p('license.pdf'),
  ]);
  const rendered = await run('pdftoppm', ['-r', '150', '-png', '-singlefile', p('license.pdf'), p('page')]);
  assert.equal(rendered.code, 0, rendered.stderr);
});

after(async () => {
  await dir.remove();
});

test('a 150 dpi scan of an issued license PDF verifies offline from its QR code: TOTAL_PASSED, exit 0', async () => {
  const { code, report, stderr } = await verify(dir.path('page.png'));
  assert.equal(stderr, '');
  assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report.checks.filter((c) => c.indication !== 'TOTAL_PASSED')));
  assert.equal(code, 0);
  assert.equal(report.format, 'qr');
  assert.equal(report.license?.holderName, '赵德华');
  const jws = await readFile(dir.path('license.jws'), 'utf8');
  const identifier = (JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as { credentialSubject: { certificateIdentifier: string } }).credentialSubject.certificateIdentifier;
  assert.equal(report.license?.identifier, identifier);
  for (const id of ['qr.signature', 'cert.chain', 'cert.revocation', 'trust.issuer-authorized-for-type', 'qr.identifier', 'license.validity-period']) {
    assert.equal(report.checks.find((c) => c.id === id)?.indication, 'TOTAL_PASSED', id);
  }
});

test('"photos": the 150 dpi scan at 80 % turned 2 degrees; a 300 dpi one at 70 % turned 4 degrees, blurred, as PNG and JPEG', async () => {
  const scan = readImage(new Uint8Array(await readFile(dir.path('page.png'))));
  await writeFile(dir.path('scan-small.png'), encodePng(rotate(resample(scan, 0.8), 2)));
  const rendered = await run('pdftoppm', ['-r', '300', '-png', '-singlefile', dir.path('license.pdf'), dir.path('page300')]);
  assert.equal(rendered.code, 0, rendered.stderr);
  const fine = readImage(new Uint8Array(await readFile(dir.path('page300.png'))));
  const photo = blur(rotate(resample(fine, 0.7), 4));
  await writeFile(dir.path('photo.png'), encodePng(photo));
  await writeFile(dir.path('photo.jpg'), jpeg.encode({ width: photo.width, height: photo.height, data: photo.data }, 85).data);
  for (const file of ['scan-small.png', 'photo.png', 'photo.jpg']) {
    const { code, report } = await verify(dir.path(file));
    assert.equal(report.indication, 'TOTAL_PASSED', `${file}: ${JSON.stringify(report.checks.filter((c) => c.indication !== 'TOTAL_PASSED'))}`);
    assert.equal(code, 0);
  }
});

test('the signer certificate given with --cert when the trust list names only the CA; unknown otherwise', async () => {
  const unknown = await verify(dir.path('page.png'), 'trust-list-ca-only.json');
  assert.equal(unknown.code, 3);
  assert.equal(unknown.report.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
  assert.match(unknown.report.checks.find((c) => c.id === 'qr.signer')!.message, /verify the license online at https:\/\/verify\.elicense\.example\/v1\?id=/);
  const given = await verify(dir.path('page.png'), 'trust-list-ca-only.json', ['--cert', pki('issuer-44541j-es256.cert.pem')]);
  assert.equal(given.code, 0, JSON.stringify(given.report.checks.filter((c) => c.indication !== 'TOTAL_PASSED')));
});

test('a QR whose signed holder name was changed is TOTAL_FAILED (exit 1)', async () => {
  const { report } = await verify(dir.path('page.png'));
  assert.equal(report.valid, true);
  // Re-draw the page's QR with the holder name changed in the signed payload, signature kept.
  const scanned = await run('zbarimg', ['-q', '--raw', dir.path('page.png')]);
  const text = scanned.stdout.trim();
  const [url, jws] = text.split('#') as [string, string];
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const forged = `${url}#${header}.${Buffer.from(JSON.stringify({ ...claims, h: '李四' })).toString('base64url')}.${signature}`;
  const QRCode = (await import('qrcode')).default;
  await writeFile(dir.path('forged.png'), await QRCode.toBuffer(forged, { errorCorrectionLevel: 'M', scale: 4, margin: 4 }));
  const forgedResult = await verify(dir.path('forged.png'));
  assert.equal(forgedResult.code, 1);
  assert.equal(forgedResult.report.indication, 'TOTAL_FAILED');
  assert.equal(forgedResult.report.subIndication, 'SIG_CRYPTO_FAILURE');
});

test('images without a license QR are a report or exit 2, never a crash: blank, other QR content, truncated, huge', async () => {
  const blank = new PNG({ width: 400, height: 300 });
  blank.data.fill(255);
  await writeFile(dir.path('blank.png'), PNG.sync.write(blank));
  const QRCode = (await import('qrcode')).default;
  await writeFile(dir.path('wifi.png'), await QRCode.toBuffer('WIFI:S:cafe;T:WPA;P:secret;;', { scale: 4 }));
  const pageBytes = await readFile(dir.path('page.png'));
  await writeFile(dir.path('truncated.png'), pageBytes.subarray(0, 2000));
  // A valid PNG header declaring 60000 x 60000 pixels: refused before any pixel is decoded.
  const huge = Buffer.from(PNG.sync.write(blank));
  huge.writeUInt32BE(60000, 16);
  huge.writeUInt32BE(60000, 20);
  await writeFile(dir.path('huge.png'), huge);
  for (const [file, pattern] of [
    ['blank.png', /no QR code found/],
    ['wifi.png', /not a license QR code/],
    ['truncated.png', /no license QR code read from the image/],
    ['huge.png', /3600\.0 megapixels/],
  ] as const) {
    const result = await cli(['verify', dir.path(file), '--json']);
    assert.equal(result.code, 1, `${file}: ${result.stderr}`);
    assert.equal(result.stderr, '');
    const report = JSON.parse(result.stdout) as Report;
    assert.deepEqual([report.indication, report.subIndication, report.format], ['TOTAL_FAILED', 'FORMAT_FAILURE', 'qr'], file);
    assert.match(report.checks[0]!.message, pattern, file);
  }
});
