/**
 * The OFD test vectors: real government-sealed OFD files (GB/T 38540 v4 seals) copied from the shared
 * corpus, and copies with one signed part changed. Their trust anchors are not public, so the intact
 * ones are INDETERMINATE (NO_CERTIFICATE_CHAIN_FOUND) with every cryptographic check passed; a changed
 * page, Signature.xml or seal is TOTAL_FAILED. The changed copies are zipped again, so the package is
 * well-formed and only the signed bytes differ.
 */
import { readFile } from 'node:fs/promises';
import { parseSesSignature } from '@elicense/core';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { corpusPath } from '../packages/core/test-support/corpora.js';

export interface OfdVector {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expected: { indication: string; subIndication?: string };
  readonly description: string;
}

const SOURCE = 'ofdrw/ofdrw at commit 7459e35082170061efa6b399a6518dbc219f08ac';

/** Where the copied files come from, kept beside them (the corpus README's attribution). */
export const OFD_SOURCES = `# Sources of the OFD vectors

The \`real-*\` files and the files they were changed from are test resources of the repository
${SOURCE} (file name in the shared corpus ofd-sealed/ = module--original name), copied unchanged.
Several carry real government seals (tax bureaus of Zhejiang and Chongqing; a Shandong natural-resources
bureau). The \`tampered-*\` files are those packages with one signed part changed by one byte and zipped
again by test-vectors/ofd-vectors.ts.
`;

const INDETERMINATE = { indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' };
const failed = (subIndication: string) => ({ indication: 'TOTAL_FAILED', subIndication });

async function corpus(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(corpusPath(`ofd-sealed/${name}`)));
}

function withChange(bytes: Uint8Array, name: string, change: (data: Uint8Array) => Uint8Array): Uint8Array {
  const entries: Zippable = {};
  for (const [entry, data] of Object.entries(unzipSync(bytes))) {
    if (!entry.endsWith('/')) entries[entry] = entry === name ? change(data) : data;
  }
  if (!(name in entries)) throw new Error(`no ${name} in the package`);
  return zipSync(entries);
}

function flip(data: Uint8Array, at: number): Uint8Array {
  if (at < 0 || at >= data.length) throw new Error(`offset ${at} outside ${data.length} bytes`);
  const copy = data.slice();
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

/** A byte inside the SignatureMethod text: the XML stays well-formed, only the signed bytes differ. */
function changeSignatureXml(data: Uint8Array): Uint8Array {
  return flip(data, Buffer.from(data).indexOf('1.2.156.10197.1.501') + 2);
}

/** A byte in the middle of the seal embedded in TBS_Sign. */
function changeEmbeddedSeal(signedValue: Uint8Array): Uint8Array {
  const seal = parseSesSignature(signedValue).seal.der;
  return flip(signedValue, Buffer.from(signedValue).indexOf(Buffer.from(seal)) + Math.floor(seal.length / 2));
}

/** A byte just after the first tag of the page description. */
function changePage(data: Uint8Array): Uint8Array {
  return flip(data, data.indexOf(0x3e) + 1);
}

export async function ofdVectors(): Promise<OfdVector[]> {
  const invoice = await corpus('ofdrw-converter--1.ofd');
  const chongqing = await corpus('ofdrw-sign--v4signed.ofd');
  const antchain = await corpus('ofdrw-converter--SignScaleError.ofd');
  const keyword = await corpus('ofdrw-layout--keyword.ofd');
  const from = (name: string) => `(${SOURCE}, ${name})`;
  return [
    {
      name: 'real-zhejiang-tax-invoice',
      bytes: invoice,
      expected: INDETERMINATE,
      description: `real Zhejiang tax-bureau invoice seal (GOMAIN v4), every file signed: cryptography intact, no trust anchor ${from('ofdrw-converter/1.ofd')}`,
    },
    {
      name: 'real-chongqing-tax-invoice',
      bytes: chongqing,
      expected: INDETERMINATE,
      description: `real Chongqing tax-bureau invoice seal (v4): cryptography intact, no trust anchor ${from('ofdrw-sign/v4signed.ofd')}`,
    },
    {
      name: 'real-antchain-invoice',
      bytes: antchain,
      expected: INDETERMINATE,
      description: `real AntChain-issued Zhejiang invoice seal (v4): cryptography intact, no trust anchor ${from('ofdrw-converter/SignScaleError.ofd')}`,
    },
    {
      name: 'real-edited-after-sealing',
      bytes: keyword,
      expected: failed('HASH_FAILURE'),
      description: `real Shandong seal and GB/T 35275 signature whose OFD.xml, Document.xml and page were edited after signing: their CheckValues no longer match ${from('ofdrw-layout/keyword.ofd')}`,
    },
    {
      name: 'tampered-page',
      bytes: withChange(invoice, 'Doc_0/Pages/Page_0/Content.xml', changePage),
      expected: failed('HASH_FAILURE'),
      description: 'the Zhejiang invoice with one byte of its page content changed: the Reference CheckValue does not match',
    },
    {
      name: 'tampered-signature-xml',
      bytes: withChange(chongqing, 'Doc_0/Signs/Sign_0/Signature.xml', changeSignatureXml),
      expected: failed('HASH_FAILURE'),
      description: 'the Chongqing invoice with one byte of Signature.xml changed: SM3(Signature.xml) is no longer the dataHash',
    },
    {
      name: 'tampered-seal',
      bytes: withChange(antchain, 'Doc_0/Signs/Sign_0/SignedValue.dat', changeEmbeddedSeal),
      expected: failed('SIG_CRYPTO_FAILURE'),
      description: 'the AntChain invoice with one byte of the seal inside SES_Signature changed: neither the signer\'s nor the maker\'s signature verifies',
    },
  ];
}
