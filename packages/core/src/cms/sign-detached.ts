/** One-step CMS signing with a core `Signer`: prepare, sign the signed attributes, complete. */
import type { Signer } from '../crypto/signer.js';
import type { CmsAttribute } from './attributes.js';
import { assertSignerMatchesCertificate, prepareCmsSignature } from './prepare-signature.js';

export type CmsContentInput = { readonly content: Uint8Array } | { readonly contentDigest: Uint8Array };

export interface SignCmsOptions {
  readonly contentType?: string;
  readonly signingTime?: Date;
  readonly extraSignedAttributes?: readonly CmsAttribute[];
}

/** DER ContentInfo(SignedData), detached, signed by `signer` with its certificates embedded. */
export async function signCmsDetached(input: CmsContentInput, signer: Signer, options: SignCmsOptions = {}): Promise<Uint8Array> {
  assertSignerMatchesCertificate(signer.publicKey, signer.certificates[0]);
  const prepared = await prepareCmsSignature({ ...input, ...options, certificates: signer.certificates, alg: signer.alg });
  return prepared.complete(await signer.sign(prepared.signedAttributes));
}
