export {
  readTrustListContent,
  trustListContentToJson,
  TRUST_LIST_TYPE,
  type TrustedIssuer,
  type TrustedStatusIssuer,
  type TrustListContent,
} from './trust-list.js';
export { signTrustList } from './sign-trust-list.js';
export { verifyTrustList, verifyTrustListTrustingEmbeddedOperator, type VerifiedTrustList } from './verify-trust-list.js';
