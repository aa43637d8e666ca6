/**
 * An OFD signature of Type="Sign": a GB/T 35275 SignedData (not a seal) in SignedValue.dat. In the real
 * files its eContent is SM3(Signature.xml) and it has no signed attributes, so the SM2 signature covers
 * the eContent directly; the CAdES attribute checks of the CMS layer do not apply then and are left out.
 * A detached SignedData is verified over the Signature.xml bytes.
 */
import { equalBytes } from '../bytes.js';
import { parseCmsSignedData, verifyCmsSignature, type ParsedCmsSignedData } from '../cms/index.js';
import { sm3 } from '../crypto/sm3.js';
import type { CertificateInfo } from '../pki/certificate.js';
import { checkChain, type ChainContext } from '../seal/chain-checks.js';
import { readSealCertificate } from '../seal/seal-certificate.js';
import { errorMessage, failed, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';

/** CAdES checks that judge signed attributes, meaningless when the SignerInfo has none (GB/T 35275). */
const ATTRIBUTE_CHECKS = new Set(['cms.signed-attributes', 'cms.signing-certificate']);

export interface SignSignatureOutcome {
  readonly checks: Check[];
  readonly alg: string;
  readonly leaf?: CertificateInfo;
}

function signedDataCheck(signedData: ParsedCmsSignedData, signatureXml: Uint8Array): Check {
  const id = 'ofd.signed-data';
  const content = signedData.encapsulatedContent;
  if (content === undefined) return passed(id, 'detached SignedData: verified over the Signature.xml bytes');
  if (equalBytes(content, sm3(signatureXml))) return passed(id, 'the SignedData content is SM3(Signature.xml)');
  if (equalBytes(content, signatureXml)) return passed(id, 'the SignedData content is the Signature.xml bytes');
  return failed(id, 'HASH_FAILURE', 'the SignedData content is neither Signature.xml nor its SM3 digest: Signature.xml changed after signing');
}

export async function verifySignSignature(
  signedValue: Uint8Array,
  signatureXml: Uint8Array,
  anchors: readonly Uint8Array[] | undefined,
  noTrustReason: string,
  chain: ChainContext,
): Promise<SignSignatureOutcome> {
  let signedData: ParsedCmsSignedData;
  try {
    signedData = parseCmsSignedData(signedValue);
  } catch (error) {
    return { checks: [failed('cms.parse', 'FORMAT_FAILURE', `SignedValue.dat is not a SignedData: ${errorMessage(error)}`)], alg: 'unknown' };
  }
  if (signedData.signerInfos.length !== 1) {
    return { checks: [failed('cms.signers', 'FORMAT_FAILURE', `an OFD signature has exactly one SignerInfo, found ${signedData.signerInfos.length}`)], alg: 'unknown' };
  }
  const checks: Check[] = [signedDataCheck(signedData, signatureXml)];
  const detached = signedData.encapsulatedContent === undefined;
  const verification = await verifyCmsSignature(signedData, detached ? { content: signatureXml } : {});
  const signer = verification.signers[0]!;
  const withoutAttributes = signer.signedAttributes.length === 0;
  checks.push(...verification.checks.filter((check) => !(withoutAttributes && ATTRIBUTE_CHECKS.has(check.id))));
  const alg = typeof signer.signatureAlgorithm === 'string' ? signer.signatureAlgorithm : 'unknown';
  const leaf = signer.certificate;
  if (!leaf || checks.some((c) => c.indication === 'TOTAL_FAILED')) return { checks, alg, ...(leaf ? { leaf } : {}) };
  const path = await checkChain(readSealCertificate(leaf.der), 'cert', anchors, noTrustReason, chain);
  checks.push(...path.checks);
  return { checks, alg, leaf };
}
