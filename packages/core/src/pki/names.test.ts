import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concatBytes, utf8 } from '../bytes.js';
import { encodeOid, encodeTlv } from './der.js';
import { encodeSubjectName, readName, sameName, usccFromOrganizationIdentifier } from './names.js';

const UTF8 = 0x0c;
const PRINTABLE = 0x13;
const BMP = 0x1e;

type Attribute = readonly [oid: string, tag: number, value: string | Uint8Array];

/** A DER Name from RDNs given as lists of attributes (more than one: a multi-valued RDN). */
function name(...rdns: Attribute[][]): Uint8Array {
  const encode = ([oid, tag, value]: Attribute) =>
    encodeTlv(0x30, concatBytes(encodeOid(oid), encodeTlv(tag, typeof value === 'string' ? utf8(value) : value)));
  return encodeTlv(0x30, concatBytes(...rdns.map((rdn) => encodeTlv(0x31, concatBytes(...rdn.map(encode))))));
}

const C = '2.5.4.6';
const O = '2.5.4.10';
const CN = '2.5.4.3';
const UID = '0.9.2342.19200300.100.1.1';

test('sameName follows RFC 5280 §7.1: string type, case and inner spaces do not matter; values and structure do', () => {
  const base = name([[C, PRINTABLE, 'CN']], [[O, UTF8, '吉林省住房和城乡建设厅']], [[CN, UTF8, 'Issuing CA']]);
  assert.ok(sameName(base, base.slice()));
  assert.ok(sameName(base, name([[C, UTF8, 'cn']], [[O, UTF8, '吉林省住房和城乡建设厅']], [[CN, PRINTABLE, '  issuing   ca ']])));
  const bmp = new Uint8Array([...'Issuing CA'].flatMap((c) => [0, c.charCodeAt(0)]));
  assert.ok(sameName(base, name([[C, PRINTABLE, 'CN']], [[O, UTF8, '吉林省住房和城乡建设厅']], [[CN, BMP, bmp]])));

  assert.ok(!sameName(base, name([[C, PRINTABLE, 'CN']], [[O, UTF8, '吉林省住房和城乡建设厅']], [[CN, UTF8, 'Issuing CA 2']])));
  assert.ok(!sameName(base, name([[C, PRINTABLE, 'CN']], [[O, UTF8, '吉林省住房和城乡建设厅']])));
  assert.ok(!sameName(base, name([[O, UTF8, '吉林省住房和城乡建设厅']], [[C, PRINTABLE, 'CN']], [[CN, UTF8, 'Issuing CA']])));

  // A multi-valued RDN is a set: order inside it does not matter, membership does.
  const multi = name([[CN, UTF8, 'x'], [UID, UTF8, 'u']]);
  assert.ok(sameName(multi, name([[UID, UTF8, 'U'], [CN, UTF8, 'X']])));
  assert.ok(!sameName(multi, name([[UID, UTF8, 'u'], [CN, UTF8, 'y']])));
});

test('readName gives RFC 4514 text (last RDN first, escaped specials, #hex for non-strings)', () => {
  const der = name([[C, PRINTABLE, 'CN']], [[O, UTF8, 'a,b+c "q" <x>;#']], [[CN, UTF8, ' lead#']], [['1.2.3.4', 0x02, Uint8Array.of(5)]]);
  assert.equal(readName(der).text, '1.2.3.4=#020105,CN=\\ lead#,O=a\\,b\\+c \\"q\\" \\<x\\>\\;#,C=CN');
  assert.deepEqual(
    readName(der).rdns.flat().map((a) => a.shortName),
    ['C', 'O', 'CN', '1.2.3.4'],
  );
});

test('subjects are written C, O, organizationIdentifier NTRCN-<USCC>, CN; the USCC is read back from either form', () => {
  const der = encodeSubjectName({ commonName: '签发', organizationName: '吉林省住房和城乡建设厅', organizationCode: '11220000013544541J' });
  assert.equal(readName(der).text, 'CN=签发,organizationIdentifier=NTRCN-11220000013544541J,O=吉林省住房和城乡建设厅,C=CN');
  assert.equal(usccFromOrganizationIdentifier('NTRCN-11220000013544541J'), '11220000013544541J');
  assert.equal(usccFromOrganizationIdentifier('11220000013544541J'), '11220000013544541J');
  assert.equal(usccFromOrganizationIdentifier('VATCN-11220000013544541J'), undefined);
  assert.equal(usccFromOrganizationIdentifier('NTRCN-1122000001354454'), undefined);
  // I, O, S, V and Z are not in the USCC alphabet.
  assert.equal(usccFromOrganizationIdentifier('NTRCN-11220000013544541I'), undefined);
});
