export {
  readTrustListContent,
  trustListContentToJson,
  TRUST_LIST_TYPE,
  SEAL_STATUSES,
  type SealStatus,
  type TrustedIssuer,
  type TrustedSeal,
  type TrustedStatusIssuer,
  type TrustListContent,
} from './trust-list.js';
export { signTrustList } from './sign-trust-list.js';
export { verifyTrustList, verifyTrustListTrustingEmbeddedOperator, type VerifiedTrustList } from './verify-trust-list.js';
