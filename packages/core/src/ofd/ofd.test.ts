import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { corpusPath } from '../../test-support/corpora.js';
import { isElicenseError } from '../errors.js';
import { parseSesSignature } from '../seal/parse-ses-signature.js';
import { verifyDocument } from '../verify/verify-document.js';
import type { Check, VerificationReport } from '../verify/report.js';
import { readOfdPackage } from './read-ofd-package.js';
import { verifyOfd } from './verify-ofd.js';
import { openZip } from './zip.js';
import { parseXml } from './xml.js';

const AT = { at: new Date('2026-06-01T00:00:00Z') };
const exec = promisify(execFile);

/** v4 files whose every signed file is intact (STANDARDS-CN.md §1.6, corpus README). */
const INTACT = ['ofdrw-converter--1.ofd', 'ofdrw-converter--999.ofd', 'ofdrw-converter--SignScaleError.ofd', 'ofdrw-sign--v4signed.ofd'];
/** v4 files whose signatures verify but whose pages were edited after signing (zip dates, and openssl below). */
const EDITED = ['ofdrw-converter--zsbk.ofd', 'ofdrw-layout--keyword.ofd'];

/** Checks that depend on trust, not on the bytes: INDETERMINATE without a trust list. */
const TRUST_DEPENDENT = /^(trust\.|cert\.|seal\.cert\.)/;

async function corpus(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(corpusPath(`ofd-sealed/${name}`)));
}

function checksOf(report: VerificationReport, id: string): Check[] {
  return report.checks.filter((c) => c.id === id);
}

/** The package with one entry replaced (or removed), zipped again. */
function rezip(bytes: Uint8Array, change: Record<string, Uint8Array | null>): Uint8Array {
  const entries: Zippable = {};
  for (const [name, data] of Object.entries(unzipSync(bytes))) {
    if (name.endsWith('/')) continue;
    const replacement = change[name];
    if (replacement === null) continue;
    entries[name] = replacement ?? data;
  }
  for (const [name, data] of Object.entries(change)) if (data && !(name in entries)) entries[name] = data;
  return zipSync(entries);
}

function flipByte(data: Uint8Array, at: number): Uint8Array {
  const copy = data.slice();
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

test('the intact real v4 files: every cryptographic check passes, INDETERMINATE for want of a chain', async () => {
  for (const name of INTACT) {
    const report = await verifyOfd(await corpus(name), AT);
    assert.equal(report.format, 'ofd');
    assert.equal(report.indication, 'INDETERMINATE', name);
    assert.equal(report.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND', name);
    assert.equal(report.valid, false);
    assert.ok(report.signatures.length >= 1);
    for (const check of report.checks) {
      if (TRUST_DEPENDENT.test(check.id)) assert.equal(check.indication, 'INDETERMINATE', `${name} ${check.id}`);
      else if (check.id !== 'ofd.coverage') assert.equal(check.indication, 'TOTAL_PASSED', `${name} ${check.id}: ${check.message}`);
    }
    for (const id of ['ofd.references', 'ses.signature', 'ses.data-hash']) {
      assert.equal(checksOf(report, id).length, report.signatures.length, `${name}: one ${id} per signature`);
    }
    assert.ok(report.signatures.every((s) => s.signer !== undefined && s.alg === 'SM2SM3'));
  }
});

test('999.ofd leaves OFD.xml unsigned: reported as a coverage gap, not hidden', async () => {
  const report = await verifyOfd(await corpus('ofdrw-converter--999.ofd'), AT);
  const [coverage] = checksOf(report, 'ofd.coverage');
  assert.equal(coverage?.indication, 'INDETERMINATE');
  assert.deepEqual(coverage?.details?.uncovered, ['OFD.xml']);
  assert.ok(report.warnings.some((w) => w.includes('OFD.xml')));
  const full = await verifyOfd(await corpus('ofdrw-converter--1.ofd'), AT);
  assert.equal(checksOf(full, 'ofd.coverage')[0]?.indication, 'TOTAL_PASSED');
});

test('zsbk.ofd and keyword.ofd: signatures verify, but pages changed after signing are caught (agreeing with openssl sm3)', async () => {
  for (const name of EDITED) {
    const bytes = await corpus(name);
    const report = await verifyOfd(bytes, AT);
    assert.equal(report.indication, 'TOTAL_FAILED', name);
    assert.equal(report.subIndication, 'HASH_FAILURE', name);
    for (const check of report.checks) {
      if (/^(ses\.signature|ses\.seal-signature|ses\.signer-in-seal|ses\.data-hash|cms\.signature|ofd\.signed-data)$/.test(check.id)) {
        assert.equal(check.indication, 'TOTAL_PASSED', `${name} ${check.id}`);
      }
    }
    // Independent digest of every file with Info-ZIP unzip and OpenSSL's SM3: our verdict per file must agree.
    const dir = await mkdtemp(join(tmpdir(), 'ofd-'));
    await exec('unzip', ['-q', corpusPath(`ofd-sealed/${name}`), '-d', dir]);
    const pkg = readOfdPackage(bytes);
    const sm3Hex = new Map<string, string>();
    const { stdout } = await exec('openssl', ['dgst', '-sm3', '-r', ...pkg.archive.names], { cwd: dir, maxBuffer: 1 << 22 });
    for (const line of stdout.trim().split('\n')) sm3Hex.set(line.slice(66).replace(/^\*/, ''), line.slice(0, 64));
    await rm(dir, { recursive: true, force: true });
    for (const entry of pkg.signatures) {
      const changed = new Set<string>();
      for (const reference of entry.files!.references) {
        if (sm3Hex.get(reference.path!) !== Buffer.from(reference.checkValue!).toString('hex')) changed.add(reference.path!);
      }
      assert.ok(changed.size > 0, `${name}: openssl finds changed files`);
      const check = report.checks.find((c) => c.id === 'ofd.references' && c.signature === entry.index)!;
      assert.equal(check.indication, 'TOTAL_FAILED');
      for (const file of changed) assert.ok(check.message.includes(file), `${name}: ${file} named`);
      const named = check.message.match(/Doc_0\/\S+?(?=,|\s)|OFD\.xml/g) ?? [];
      assert.equal(named.length, changed.size, `${name}: exactly the files openssl finds changed (${[...changed].join(' ')})`);
    }
  }
});

test('keyword.ofd Sign_3 (Type="Sign", GB/T 35275 SignedData without signed attributes) verifies through the CMS layer', async () => {
  const report = await verifyOfd(await corpus('ofdrw-layout--keyword.ofd'), AT);
  const sign = report.checks.filter((c) => c.signature === 1);
  const byId = Object.fromEntries(sign.map((c) => [c.id, c]));
  assert.equal(byId['ofd.signed-data']?.indication, 'TOTAL_PASSED');
  assert.match(byId['ofd.signed-data']!.message, /SM3\(Signature\.xml\)/);
  assert.equal(byId['cms.signature']?.indication, 'TOTAL_PASSED');
  assert.equal(byId['cert.chain']?.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
  assert.equal(byId['cms.signed-attributes'], undefined, 'CAdES attribute checks do not apply to GB/T 35275');
  assert.match(report.signatures[1]!.signer!.subject, /淄博市周村区自然资源局/);
});

test('one changed byte in Signature.xml, a page, or the seal gives TOTAL_FAILED', async () => {
  for (const name of [...INTACT, 'ofdrw-reader--SESV4SignDoc.ofd']) {
    const bytes = await corpus(name);
    const pkg = readOfdPackage(bytes);
    const entry = pkg.signatures[0]!;
    const files = entry.files!;
    const signatureXml = files.signatureXml;
    // A byte inside the SignatureMethod text keeps the XML well-formed: only the signed bytes differ.
    const methodAt = Buffer.from(signatureXml).indexOf('1.2.156.10197.1.501');
    const page = files.references.find((r) => /Pages\/Page_\d+\/Content\.xml$/.test(r.path!))!.path!;
    const pageBytes = pkg.archive.read(page);
    const signedValue = pkg.archive.read(files.signedValueFile);
    const sealDer = parseSesSignature(signedValue).seal.der;
    const sealAt = Buffer.from(signedValue).indexOf(Buffer.from(sealDer));
    const tampered: [string, Record<string, Uint8Array>, string][] = [
      ['Signature.xml', { [entry.signatureFile!]: flipByte(signatureXml, methodAt + 2) }, 'ses.data-hash'],
      ['page', { [page]: flipByte(pageBytes, pageBytes.indexOf(0x3e) + 1) }, 'ofd.references'],
      ['seal inside the signature', { [files.signedValueFile]: flipByte(signedValue, sealAt + Math.floor(sealDer.length / 2)) }, 'ses.signature'],
    ];
    if (files.sealFile) {
      const sealFile = pkg.archive.read(files.sealFile);
      tampered.push(['Seal.esl', { [files.sealFile]: flipByte(sealFile, Math.floor(sealFile.length / 2)) }, 'ofd.seal-file']);
    }
    for (const [what, change, failing] of tampered) {
      const report = await verifyOfd(rezip(bytes, change), AT);
      assert.equal(report.indication, 'TOTAL_FAILED', `${name}: ${what}`);
      assert.equal(report.signatures[0]!.indication, 'TOTAL_FAILED', `${name}: ${what}`);
      const check = report.checks.find((c) => c.id === failing && c.signature === 0);
      assert.equal(check?.indication, 'TOTAL_FAILED', `${name}: ${what} fails ${failing}`);
    }
  }
});

test('a changed byte anywhere in the compressed data of a page never verifies: CRC, inflate or digest catch it', async () => {
  const bytes = await corpus('ofdrw-sign--v4signed.ofd');
  const name = 'Doc_0/Pages/Page_0/Content.xml';
  const start = Buffer.from(bytes).indexOf(Buffer.from(name)) + name.length;
  for (let i = 0; i < 40; i++) {
    const at = start + 30 + i * 37;
    const report = await verifyOfd(flipByte(bytes, at), AT);
    assert.equal(report.indication, 'TOTAL_FAILED', `byte ${at}`);
  }
});

test('verifyDocument detects OFD from the bytes; --no-sm2 policy leaves OFD seals INDETERMINATE', async () => {
  const bytes = await corpus('ofdrw-converter--1.ofd');
  const report = await verifyDocument(bytes, AT);
  assert.equal(report.format, 'ofd');
  assert.equal(report.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
  const noSm2 = await verifyOfd(bytes, { ...AT, algorithms: ['ES256', 'EdDSA'] });
  assert.equal(noSm2.indication, 'INDETERMINATE');
  assert.equal(noSm2.subIndication, 'CRYPTO_CONSTRAINTS_FAILURE');
});

// Hostile packages: a clear error or a FORMAT_FAILURE report, in bounded time.

const MINIMAL_OFD = strToU8('<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>');

async function expectFormatFailure(bytes: Uint8Array, what: string, pattern?: RegExp): Promise<VerificationReport> {
  const started = performance.now();
  const report = await verifyDocument(bytes, AT);
  const elapsed = performance.now() - started;
  assert.equal(report.indication, 'TOTAL_FAILED', what);
  assert.equal(report.subIndication, 'FORMAT_FAILURE', `${what}: ${JSON.stringify(report.checks)}`);
  if (pattern) assert.match(report.checks.map((c) => c.message).join(' | '), pattern, what);
  assert.ok(elapsed < 3000, `${what} took ${elapsed} ms`);
  return report;
}

/** Rewrites every occurrence of one ASCII name in a zip's headers (local and central) to another of the same length. */
function renameInZip(zip: Uint8Array, from: string, to: string): Uint8Array {
  assert.equal(from.length, to.length);
  const out = zip.slice();
  const needle = Buffer.from(from);
  let at = Buffer.from(out).indexOf(needle);
  while (at >= 0) {
    out.set(Buffer.from(to), at);
    at = Buffer.from(out).indexOf(needle, at + 1);
  }
  return out;
}

test('zip bombs are refused before they inflate: by ratio, by declared size, and when the declared size lies', async () => {
  const zeros = new Uint8Array(8 * 1024 * 1024);
  const bomb = zipSync({ 'OFD.xml': MINIMAL_OFD, 'Doc_0/Res/zeros.bin': zeros });
  await expectFormatFailure(bomb, 'ratio', /compression ratio/);
  assert.throws(() => openZip(bomb), (e) => isElicenseError(e, 'ERR_INPUT_TOO_LARGE'));

  // A small declared size and a large real one: inflating stops at the declared size.
  const liar = zipSync({ 'OFD.xml': MINIMAL_OFD, 'Doc_0/Signs/Signatures.xml': new Uint8Array(900_000).fill(0x20) });
  const view = new DataView(liar.buffer);
  for (let at = 0; at + 4 <= liar.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50 && Buffer.from(liar.subarray(at + 30, at + 30 + 26)).toString() === 'Doc_0/Signs/Signatures.xml') view.setUint32(at + 22, 100, true);
    if (signature === 0x02014b50 && Buffer.from(liar.subarray(at + 46, at + 46 + 26)).toString() === 'Doc_0/Signs/Signatures.xml') view.setUint32(at + 24, 100, true);
  }
  await expectFormatFailure(liar, 'lying size', /more than 100 bytes/);

  const many: Zippable = { 'OFD.xml': MINIMAL_OFD };
  for (let i = 0; i < 10_001; i++) many[`f${i}`] = new Uint8Array(0);
  await expectFormatFailure(zipSync(many, { level: 0 }), 'entry count', /entries/);
});

test('path traversal, absolute, backslash and duplicate names are refused', async () => {
  for (const name of ['../evil.xml', 'Doc_0/../../evil.xml', '/etc/passwd', 'C:/evil.xml', 'Doc_0\\evil.xml', 'Doc_0//x.xml']) {
    await expectFormatFailure(zipSync({ 'OFD.xml': MINIMAL_OFD, [name]: strToU8('x') }), name, /name/);
  }
  const twins = renameInZip(zipSync({ 'OFD.xml': MINIMAL_OFD, 'Doc_0/a.xml': strToU8('a'), 'Doc_0/b.xml': strToU8('b') }), 'Doc_0/b.xml', 'Doc_0/a.xml');
  await expectFormatFailure(twins, 'duplicate', /same name/);
  // References that climb out of the package resolve to nothing rather than to a file outside.
  assert.throws(() => readOfdPackage(zipSync({ 'OFD.xml': strToU8(new TextDecoder().decode(MINIMAL_OFD).replace('Doc_0/Signs/Signatures.xml', '../../Signatures.xml')) })));
});

test('huge, deeply nested and entity-laden XML is refused quickly', async () => {
  const huge = strToU8(`<ofd:OFD xmlns:ofd="x"><ofd:DocBody>${' '.repeat(5 * 1024 * 1024)}</ofd:DocBody></ofd:OFD>`);
  await expectFormatFailure(zipSync({ 'OFD.xml': huge }, { level: 0 }), 'huge', /larger than/);
  const deep = strToU8(`${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}`);
  await expectFormatFailure(zipSync({ 'OFD.xml': deep }, { level: 0 }), 'deep', /deeper than 64/);
  const laughs = strToU8(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><OFD><DocBody>&lol2;</DocBody></OFD>`);
  await expectFormatFailure(zipSync({ 'OFD.xml': laughs }), 'billion laughs', /DOCTYPE/);
  assert.throws(() => parseXml(strToU8('<a>&undefined;</a>'), 't.xml'), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
  assert.throws(() => parseXml(strToU8('<a><b></a>'), 't.xml'), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
  const wide = strToU8(`<a>${'<b/>'.repeat(100_001)}</a>`);
  assert.throws(() => parseXml(wide, 't.xml'), (e) => isElicenseError(e, 'ERR_INPUT_TOO_LARGE'));
});

test('missing parts: no OFD.xml, no signatures, a listed Signature.xml or SignedValue.dat missing, a signed file removed', async () => {
  await expectFormatFailure(zipSync({ 'Doc_0/Document.xml': strToU8('<Document/>') }), 'no OFD.xml', /OFD\.xml/);
  await expectFormatFailure(strToU8('PK\x03\x04 not really a zip'), 'not a zip', /end-of-central-directory/);
  await expectFormatFailure(zipSync({ 'OFD.xml': strToU8('<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>') }), 'unsigned', /no signature/);

  const bytes = await corpus('ofdrw-converter--1.ofd');
  for (const removed of ['Doc_0/Signs/Sign_0/Signature.xml', 'Doc_0/Signs/Sign_0/SignedValue.dat', 'Doc_0/Pages/Page_0/Content.xml']) {
    const report = await verifyOfd(rezip(bytes, { [removed]: null }), AT);
    assert.equal(report.indication, 'TOTAL_FAILED', removed);
    assert.equal(report.subIndication, 'FORMAT_FAILURE', removed);
    assert.match(report.checks.filter((c) => c.indication === 'TOTAL_FAILED').map((c) => c.message).join(' '), new RegExp(removed.replace(/[./]/g, '\\$&')));
  }
  await expectFormatFailure(rezip(bytes, { 'Doc_0/Signs/Signatures.xml': null }), 'no Signatures.xml', /Signatures\.xml/);
});

test('a file added after signing that no signature covers is reported', async () => {
  const bytes = await corpus('ofdrw-converter--1.ofd');
  const report = await verifyOfd(rezip(bytes, { 'Doc_0/Res/added.png': strToU8('not signed') }), AT);
  const [coverage] = checksOf(report, 'ofd.coverage');
  assert.equal(coverage?.indication, 'INDETERMINATE');
  assert.deepEqual(coverage?.details?.uncovered, ['Doc_0/Res/added.png']);
});

test('overlapping entries (one file\'s data holding another\'s header, the overlap zip bomb) are refused', async () => {
  const inner = zipSync({ 'b.bin': strToU8('hello') }, { level: 0 });
  const innerLocal = inner.subarray(0, 30 + 5 + 5);
  const outer = zipSync({ 'OFD.xml': MINIMAL_OFD, 'a.bin': innerLocal }, { level: 0 });
  const view = new DataView(outer.buffer);
  const eocd = outer.length - 22;
  const cdOffset = view.getUint32(eocd + 16, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const innerAt = Buffer.from(outer).indexOf(Buffer.from(innerLocal));
  // A central record for b.bin, copied from the inner zip, pointing into a.bin's data.
  const innerCd = inner.subarray(new DataView(inner.buffer).getUint32(inner.length - 22 + 16, true), inner.length - 22).slice();
  new DataView(innerCd.buffer).setUint32(42, innerAt, true);
  const forged = new Uint8Array(outer.length + innerCd.length);
  forged.set(outer.subarray(0, cdOffset + cdSize));
  forged.set(innerCd, cdOffset + cdSize);
  forged.set(outer.subarray(eocd), cdOffset + cdSize + innerCd.length);
  const forgedView = new DataView(forged.buffer);
  const forgedEocd = forged.length - 22;
  forgedView.setUint16(forgedEocd + 8, 3, true);
  forgedView.setUint16(forgedEocd + 10, 3, true);
  forgedView.setUint32(forgedEocd + 12, cdSize + innerCd.length, true);
  assert.throws(() => openZip(forged), (e) => isElicenseError(e, 'ERR_INVALID_INPUT') && /overlap/.test(e.message));
});

test('a damaged signed value is reported on its signature; the package is still read', async () => {
  const bytes = await corpus('ofdrw-converter--zsbk.ofd');
  const name = 'Doc_0/Signs/Sign_1/SignedValue.dat';
  const at = Buffer.from(bytes).indexOf(Buffer.from(name)) + name.length + 100;
  const report = await verifyOfd(flipByte(bytes, at), AT);
  assert.equal(report.signatures.length, 2);
  const damaged = report.checks.find((c) => c.signature === 1 && c.id === 'ofd.signed-value');
  assert.equal(damaged?.indication, 'TOTAL_FAILED');
  assert.equal(report.checks.find((c) => c.signature === 0 && c.id === 'ses.signature')?.indication, 'TOTAL_PASSED');
});

test('a trust list naming the signer and the seal maker lets a real sealed OFD pass', async () => {
  const { buildTestChain, TEST_TIMES } = await import('../pki/testing.js');
  const { createSigner } = await import('../crypto/signer.js');
  const { signTrustList } = await import('../trust/sign-trust-list.js');
  const { verifyTrustList } = await import('../trust/verify-trust-list.js');
  const bytes = await corpus('ofdrw-sign--v4signed.ofd');
  const files = unzipSync(bytes);
  const signedValue = Object.entries(files).find(([name]) => /Signs\/Sign_\d+\/SignedValue\.dat$/.test(name))![1];
  const signature = parseSesSignature(signedValue);
  // Judged when it was signed: the real certificates have expired since.
  const at = signature.signingTime!;
  const operator = await buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
  const list = await signTrustList(
    {
      sequence: 1,
      issued: TEST_TIMES.thisUpdate.toISOString(),
      nextUpdate: TEST_TIMES.nextUpdate.toISOString(),
      operator: { name: 'test operator', code: '11990000MB3456783T' },
      issuers: [{ name: 'the signing office', code: '11990000MB3456783T', certificates: [signature.signerCertificate], licenseTypes: [] }],
      statusIssuers: [],
      sealMakers: [{ name: 'the seal maker', code: '11990000MB3456783T', certificates: [signature.seal.makerCertificate] }],
    },
    createSigner(operator.leafKey, [operator.leaf]),
  );
  // The list is current today; the document is judged at the time it was signed.
  const trust = await verifyTrustList(list, { at: TEST_TIMES.at, operatorCertificates: [operator.leaf] });
  const report = await verifyOfd(bytes, { at, trust: { list: trust } });
  const notPassed = report.checks.filter((c) => c.indication !== 'TOTAL_PASSED').map((c) => `${c.id} ${c.indication} ${c.message}`);
  assert.equal(report.indication, 'TOTAL_PASSED', notPassed.join('\n'));
});
