import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { licenseJson } from './license-json.js';

describe('licenseJson', () => {
  const view = { identifier: '1.2.156.3005.2.11100000MB0143028R001.11990100MB12345620.0000000002.001.I', holder: { name: '示例科技有限公司' }, links: { self: 'https://r.example/v1/licenses/x' } };
  const credential = JSON.stringify({ credentialSubject: { 名称: '示例科技有限公司', note: 'a "quoted" \\ path' } });

  const signedTexts = {
    'a JWS JSON serialization (ASCII, quotes only)': JSON.stringify({ payload: 'eyJhIjoxfQ', signatures: [{ protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'c2ln' }] }),
    'a compact JWS (nothing to escape)': 'eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ.c2ln',
    'a backslash': JSON.stringify({ header: { kid: 'a\\b "c"' }, payload: 'x' }),
    'text beyond ASCII': JSON.stringify({ header: { kid: '密钥' }, payload: 'x' }),
    'control characters and DEL': `{"payload":"x\n\t\u0001\u007f"}`,
    'a lone surrogate': `{"payload":"\ud800"}`,
    'empty': '',
  };

  for (const [what, signedJson] of Object.entries(signedTexts)) {
    it(`writes the same bytes as JSON.stringify: ${what}`, () => {
      const bytes = licenseJson(view, signedJson, credential);
      assert.equal(bytes.toString('utf8'), JSON.stringify({ ...view, signedJson, credential: JSON.parse(credential) }));
      assert.equal(JSON.parse(bytes.toString('utf8')).signedJson, signedJson);
    });
  }
});
