/** Signs a trust list as a flattened JWS JSON document with the operator's key. */
import { utf8 } from '../bytes.js';
import type { Signer } from '../crypto/signer.js';
import { canonicalJson } from '../json/canonical.js';
import { signFlattened } from '../jws/sign.js';
import { readTrustListContent, trustListContentToJson, TRUST_LIST_TYPE, type TrustListContent } from './trust-list.js';

export async function signTrustList(content: TrustListContent, operator: Signer): Promise<string> {
  const json = trustListContentToJson(content);
  readTrustListContent(json);
  const signed = await signFlattened(utf8(canonicalJson(json)), operator, { typ: TRUST_LIST_TYPE });
  return `${JSON.stringify(signed, null, 2)}\n`;
}
