import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import {
  certificateFromPem,
  createRootCa,
  createSigner,
  generateSigningKey,
  parseSesSeal,
  parseSesSignature,
  signTrustList,
  type TrustListContent,
  type VerificationReport,
} from '@elicense/core';
import { pngGeometry } from '../seal/png-density.js';
import { cli, tempDir, startTsa, usageErrorProblem, type RunResult } from './cli-harness.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
const p = (name: string) => tmp.path(name);
const OFFICE = { org: '吉林省住房和城乡建设厅', code: '11220000013544541J' };
const MAKER = { org: '吉林省公安厅', code: '11220000013544541J' };

async function ok(args: string[]): Promise<RunResult> {
  const result = await cli(args);
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return result;
}

async function usageError(args: string[], pattern: RegExp): Promise<void> {
  const problem = usageErrorProblem(await cli(args), pattern);
  assert.equal(problem, undefined, `${args.join(' ')}: ${problem}`);
}

const report = (result: RunResult) => JSON.parse(result.stdout) as VerificationReport;
const check = (r: VerificationReport, id: string) => r.checks.find((c) => c.id === id);

before(async () => {
  tmp = await tempDir();
  await Promise.all(['root', 'maker', 'office', 'other'].map((name) => ok(['key', 'generate', '--alg', 'SM2SM3', '--out', p(`${name}.key.pem`)])));
  await ok(['key', 'generate', '--alg', 'ES256', '--out', p('es.key.pem')]);
  await ok(['ca', 'root', '--key', p('root.key.pem'), '--cn', '演示省电子印章根 CA', '--out', p('root.cert.pem')]);
  const issue = (key: string, who: { org: string; code: string }, out: string) =>
    ok(['ca', 'issue-issuer', '--ca-cert', p('root.cert.pem'), '--ca-key', p('root.key.pem'), '--key', p(key), '--org', who.org, '--org-code', who.code, '--out', p(out)]);
  await Promise.all([issue('maker.key.pem', MAKER, 'maker.cert.pem'), issue('office.key.pem', OFFICE, 'office.cert.pem'), issue('other.key.pem', OFFICE, 'other.cert.pem')]);
  await writeFile(p('doc.pdf'), '%PDF-1.7 电子证照 document bytes\n');
});
after(() => tmp.remove());

test('seal image draws round, oval and square seals as transparent PNG at the dpi (recorded in pHYs) and as SVG in mm', async () => {
  const round = await ok(['seal', 'image', '--name', OFFICE.org, '--center-text', '电子证照专用章', '--bottom-text', '2201000012345', '--out', p('round.png')]);
  assert.match(round.stdout, /round seal, 42 × 42 mm, written to .*round\.png \(300 dpi\)/);
  const png = PNG.sync.read(await readFile(p('round.png')));
  // 42 mm at 300 dpi.
  assert.equal(png.width, 496);
  assert.equal(png.height, 496);
  assert.equal(pngGeometry(new Uint8Array(await readFile(p('round.png')))).dpi?.toFixed(1), '300.0');
  const pixel = (x: number, y: number) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4)];
  assert.equal(pixel(0, 0)[3], 0, 'the corner outside the rim is transparent');
  assert.equal(pixel(248, 248)[3], 255, 'the star covers the centre');
  assert.deepEqual(pixel(248, 248).slice(0, 3), [0xe6, 0x00, 0x12], 'in seal red');
  // The rim crosses the middle of the left edge.
  assert.ok([...Array(12).keys()].some((x) => pixel(x, 248)[3] === 255));

  await ok(['seal', 'image', '--name', '演示市某某科技有限公司', '--shape', 'oval', '--center-text', '发票专用章', '--bottom-text', '91220101MA0Y123456', '--out', p('oval.svg')]);
  const svg = await readFile(p('oval.svg'), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="40mm" height="30mm"/);
  assert.equal(svg.match(/<ellipse /g)?.length, 1);

  await ok(['seal', 'image', '--name', '张三之印', '--shape', 'square', '--size-mm', '18', '--dpi', '600', '--out', p('square.png')]);
  const square = PNG.sync.read(await readFile(p('square.png')));
  assert.deepEqual([square.width, square.height], [425, 425]);
  const alpha = (x: number, y: number) => square.data[(y * square.width + x) * 4 + 3];
  assert.equal(alpha(3, 3), 255, 'a square seal is inked to its corners');

  await Promise.all([
    usageError(['seal', 'image', '--name', 'x', '--shape', 'hex', '--out', p('a.png')], /^elicense: --shape must be one of round, oval, square/),
    usageError(['seal', 'image', '--name', 'x', '--out', p('a.gif')], /^elicense: --out must name a \.svg or \.png file/),
    usageError(['seal', 'image', '--name', '张三', '--shape', 'square', '--center-text', '专用', '--out', p('a.png')], /^elicense: --center-text: a square seal carries its name only/),
    usageError(['seal', 'image', '--name', 'x', '--size-mm', '90', '--out', p('a.png')], /^elicense: --size-mm: .*20 to 80 mm/),
    usageError(['seal', 'image', '--name', 'x', '--size-mm', '40x30', '--out', p('a.png')], /^elicense: --size-mm of a round seal is one diameter/),
    usageError(['seal', 'image', '--name', 'x', '--dpi', '10', '--out', p('a.png')], /^elicense: --dpi must be an integer from 72 to 1200/),
    usageError(['seal', 'image', '--out', p('a.png')], /^error: required option '--name <name>' not specified/m),
  ]);
});

const CREATE = () => [
  'seal', 'create', '--maker-key', p('maker.key.pem'), '--maker-cert', p('maker.cert.pem'), '--signer-cert', p('office.cert.pem'),
  '--name', `${OFFICE.org}电子证照专用章`, '--type', '3', '--es-id', '22010000000001',
  '--valid-from', '2026-01-01T00:00:00Z', '--valid-until', '2029-01-01T00:00:00Z',
];

test('seal create → sign → inspect → verify: a v4 seal and signature that verify, fail on a changed document, and pass with a trust list', async () => {
  await ok(['seal', 'image', '--name', OFFICE.org, '--center-text', '电子证照专用章', '--out', p('picture.png')]);
  const created = await ok([...CREATE(), '--picture', p('picture.png'), '--out', p('seal.esl')]);
  assert.match(created.stdout, /电子印章 22010000000001 .* picture png 42 × 42 mm/);
  const seal = parseSesSeal(new Uint8Array(await readFile(p('seal.esl'))));
  assert.equal(seal.version, 4);
  assert.equal(seal.property.type, 3);
  assert.equal(seal.property.validEnd.toISOString(), '2029-01-01T00:00:00.000Z');
  assert.deepEqual(seal.property.certificates, [certificateFromPem(await readFile(p('office.cert.pem'), 'utf8')).der]);
  assert.deepEqual(seal.picture.data, new Uint8Array(await readFile(p('picture.png'))));

  const at = new Date().toISOString();
  await ok(['seal', 'sign', '--seal', p('seal.esl'), '--key', p('office.key.pem'), '--cert', p('office.cert.pem'), '--data', p('doc.pdf'), '--out', p('doc.dat')]);
  const signature = parseSesSignature(new Uint8Array(await readFile(p('doc.dat'))));
  assert.equal(signature.propertyInfo, 'doc.pdf');
  assert.equal(signature.seal.esID, '22010000000001');

  const inspected = await ok(['seal', 'inspect', p('doc.dat'), '--picture-out', p('out.png')]);
  for (const line of ['印章标识 esID: 22010000000001', '印章类型 type: 3', `印章名称 name: ${OFFICE.org}电子证照专用章`, '原文属性 propertyInfo: doc.pdf', 'certListType 1', `O=${MAKER.org}`]) {
    assert.ok(inspected.stdout.includes(line), `inspect shows ${line}: ${inspected.stdout}`);
  }
  assert.deepEqual(await readFile(p('out.png')), await readFile(p('picture.png')), 'the picture comes out as stored');
  const json = JSON.parse((await ok(['seal', 'inspect', p('seal.esl'), '--json'])).stdout);
  assert.equal(json.seal.esID, '22010000000001');
  assert.deepEqual(json.seal.picture.type, 'png');
  assert.equal(json.seal.certificates.length, 1);
  assert.equal(json.signature, undefined);

  // Nothing trusted: every cryptographic check passes and the verdict is INDETERMINATE (exit 3), as `verify` gives it.
  const alone = await cli(['seal', 'verify', p('doc.dat'), '--data', p('doc.pdf'), '--no-revocation-check', '--json']);
  assert.equal(alone.code, 3, alone.stderr);
  const indeterminate = report(alone);
  assert.equal(indeterminate.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
  for (const id of ['ses.format', 'ses.signature', 'ses.signer-in-seal', 'ses.seal-signature', 'ses.seal-validity', 'ses.data-hash']) {
    assert.equal(check(indeterminate, id)?.indication, 'TOTAL_PASSED', id);
  }
  const plain = await cli(['verify', p('doc.dat'), '--no-revocation-check', '--json']);
  assert.equal(check(report(plain), 'ses.data-hash')?.subIndication, 'SIGNED_DATA_NOT_FOUND', 'verify alone has no document');
  assert.deepEqual(report(plain).checks.map((c) => c.id), indeterminate.checks.map((c) => c.id), 'the same checks as verify');

  await writeFile(p('changed.pdf'), '%PDF-1.7 电子证照 document bytez\n');
  const changed = await cli(['seal', 'verify', p('doc.dat'), '--data', p('changed.pdf'), '--no-revocation-check']);
  assert.equal(changed.code, 1);
  assert.match(changed.stdout, /TOTAL_FAILED\) HASH_FAILURE/);
  assert.match(changed.stdout, /✘ ses\.data-hash/);

  // A trust list naming the root as the office's issuer and as seal maker: TOTAL_PASSED.
  await writeFile(p('trust-list.json'), await trustList());
  const trusted = await cli(['seal', 'verify', p('doc.dat'), '--data', p('doc.pdf'), '--trust', p('trust-list.json'), '--no-revocation-check', '--at', at, '--json']);
  assert.equal(trusted.code, 0, trusted.stdout);
  assert.equal(report(trusted).valid, true);
  assert.equal(report(trusted).signatures[0]?.indication, 'TOTAL_PASSED');
  const sealOnly = await cli(['seal', 'verify', p('seal.esl'), '--trust', p('trust-list.json'), '--no-revocation-check']);
  assert.equal(sealOnly.code, 0, sealOnly.stdout);
  assert.match(sealOnly.stdout, /有效 \(TOTAL_PASSED\)/);
});

async function trustList(): Promise<string> {
  const operatorKey = await generateSigningKey('ES256');
  const operatorCert = await createRootCa({ key: operatorKey, subject: { commonName: 'trust list operator (TEST ONLY)', country: 'CN' }, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2030-01-01T00:00:00Z') });
  const root = certificateFromPem(await readFile(p('root.cert.pem'), 'utf8')).der;
  const content: TrustListContent = {
    sequence: 1,
    issued: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    nextUpdate: '2029-12-01T00:00:00Z',
    operator: { name: '演示省电子证照共享平台', code: OFFICE.code },
    issuers: [{ name: OFFICE.org, code: OFFICE.code, certificates: [root], licenseTypes: ['11100000000013338W032'] }],
    statusIssuers: [],
    sealMakers: [{ name: MAKER.org, code: MAKER.code, certificates: [root] }],
  };
  return signTrustList(content, createSigner(operatorKey, [operatorCert]));
}

test('OpenSSL verifies the maker signature of a seal made by seal create (SM3, ID 1234567812345678)', async () => {
  await ok([...CREATE(), '--out', p('drawn.esl')]);
  const der = new Uint8Array(await readFile(p('drawn.esl')));
  const seal = parseSesSeal(der);
  assert.equal(seal.picture.type, 'svg', 'without --picture the seal is drawn');
  assert.equal(seal.picture.widthMm, 42);
  await writeFile(p('info.der'), seal.signedBytes);
  await writeFile(p('maker.cer'), seal.makerCertificate);
  execFileSync('openssl', ['x509', '-inform', 'DER', '-in', p('maker.cer'), '-pubkey', '-noout', '-out', p('maker.pub.pem')]);
  // The BIT STRING is the last item: its value after the unused-bits octet is the DER signature.
  const items = execFileSync('openssl', ['asn1parse', '-inform', 'DER', '-in', p('drawn.esl')]).toString().split('\n').filter((line) => /d=1 /.test(line));
  const last = /^\s*(\d+):d=1\s+hl=(\d+)\s+l=\s*(\d+)\s+prim:\s+BIT STRING/.exec(items.at(-1) ?? '');
  assert.ok(last, items.join('\n'));
  const [offset, header, length] = [Number(last[1]), Number(last[2]), Number(last[3])];
  await writeFile(p('seal.sig'), der.subarray(offset + header + 1, offset + header + length));
  const verify = (file: string) =>
    spawnSync('openssl', ['dgst', '-sm3', '-verify', p('maker.pub.pem'), '-sigopt', 'distid:1234567812345678', '-signature', p('seal.sig'), p(file)]).stdout.toString();
  assert.match(verify('info.der'), /Verified OK/);
  const changed = seal.signedBytes.slice();
  changed[changed.length - 1]! ^= 1;
  await writeFile(p('info-changed.der'), changed);
  assert.doesNotMatch(verify('info-changed.der'), /Verified OK/);
});

test('seal sign adds an RFC 3161 timestamp with --tsa', async () => {
  await ok(['key', 'generate', '--alg', 'ES256', '--out', p('tsa.key.pem')]);
  await ok(['ca', 'issue-tsa', '--ca-cert', p('root.cert.pem'), '--ca-key', p('root.key.pem'), '--key', p('tsa.key.pem'), '--cn', '演示时间戳服务 (TEST ONLY)', '--out', p('tsa.cert.pem'), '--chain-out', p('tsa-chain.pem')]);
  await ok([...CREATE(), '--out', p('ts-seal.esl')]);
  const tsa = await startTsa(['--key', p('tsa.key.pem'), '--cert', p('tsa-chain.pem')]);
  try {
    const signed = await ok(['seal', 'sign', '--seal', p('ts-seal.esl'), '--key', p('office.key.pem'), '--cert', p('office.cert.pem'), '--data', p('doc.pdf'), '--tsa', tsa.url, '--out', p('ts.dat')]);
    assert.match(signed.stdout, /timestamped/);
  } finally {
    tsa.child.kill('SIGTERM');
  }
  await tsa.exit;
  assert.ok(parseSesSignature(new Uint8Array(await readFile(p('ts.dat')))).timeStamp);
  const verified = report(await cli(['seal', 'verify', p('ts.dat'), '--data', p('doc.pdf'), '--no-revocation-check', '--json']));
  assert.equal(check(verified, 'ses.timestamp')?.indication, 'TOTAL_PASSED', JSON.stringify(verified.checks));
  await usageError(['seal', 'sign', '--seal', p('ts-seal.esl'), '--key', p('office.key.pem'), '--cert', p('office.cert.pem'), '--data', p('doc.pdf'), '--tsa', 'http://127.0.0.1:9/', '--out', p('x.dat')], /^elicense: --tsa http:\/\/127\.0\.0\.1:9\/: cannot reach/);
});

test('seal commands refuse misuse with one line naming the option, exit 2', async () => {
  await ok([...CREATE(), '--out', p('misuse.esl')]);
  const sign = (key: string, cert: string) => ['seal', 'sign', '--seal', p('misuse.esl'), '--key', p(key), '--cert', p(cert), '--data', p('doc.pdf'), '--out', p('x.dat')];
  await Promise.all([
    usageError(sign('other.key.pem', 'other.cert.pem'), /^elicense: --cert .*other\.cert\.pem .* is not one of the certificates seal 22010000000001 lists/),
    usageError(sign('office.key.pem', 'other.cert.pem'), /^elicense: private key .*office\.key\.pem is not the key of the certificate/),
    usageError(['seal', 'sign', '--seal', p('doc.pdf'), '--key', p('office.key.pem'), '--cert', p('office.cert.pem'), '--data', p('doc.pdf'), '--out', p('x.dat')], /^elicense: --seal .*doc\.pdf is not a readable seal/),
    usageError([...CREATE().map((a) => (a === p('maker.key.pem') ? p('es.key.pem') : a)), '--out', p('x.esl')], /^elicense: --maker-key must be an SM2 key/),
    usageError([...CREATE(), '--valid-until', '2025-01-01T00:00:00Z', '--out', p('x.esl')], /^elicense: --valid-until \(2025-01-01T00:00:00\.000Z\) must be after --valid-from/),
    usageError([...CREATE(), '--type', 'x', '--out', p('x.esl')], /^elicense: --type must be an integer/),
    usageError([...CREATE(), '--picture', p('doc.pdf'), '--out', p('x.esl')], /^elicense: picture .*doc\.pdf is neither PNG nor SVG/),
    usageError([...CREATE(), '--es-id', '印章', '--out', p('x.esl')], /^elicense: --es-id must be 1 to 64 printable ASCII characters/),
    usageError(CREATE().filter((a, i, all) => a !== '--es-id' && all[i - 1] !== '--es-id'), /^error: required option '--es-id <id>' not specified/m),
    usageError(['seal', 'inspect', p('doc.pdf')], /^elicense: .*doc\.pdf is neither a GB\/T 38540 seal nor a seal signature/),
    usageError(['seal', 'inspect', p('misuse.esl'), '--picture-out', p('x.jpg')], /^elicense: --picture-out must name a \.svg or \.png file/),
    usageError(['seal', 'verify', p('misuse.esl'), '--data', p('doc.pdf')], /^elicense: --data applies to a seal signature; .* is a seal/),
    usageError(['seal', 'verify', p('missing.esl')], /^elicense: cannot read seal .*missing\.esl: no such file/),
  ]);
  await Promise.all(
    ['image', 'create', 'sign', 'inspect', 'verify'].map(async (sub) => {
      const help = await ok(['seal', sub, '--help']);
      assert.match(help.stdout, /Examples:\n {2}\$ elicense seal /, `seal ${sub} --help has examples`);
    }),
  );
  const svgSeal = await ok(['seal', 'inspect', p('misuse.esl'), '--picture-out', p('drawn.png'), '--dpi', '150']);
  assert.match(svgSeal.stdout, /rendered from SVG at 150 dpi/);
  assert.equal(PNG.sync.read(await readFile(p('drawn.png'))).width, 248);
});
