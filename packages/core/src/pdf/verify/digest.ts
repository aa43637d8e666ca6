/** The digest of a signature's signed ranges, for callers that want a digest rather than the chunks. */
import { concatBytes } from '../../bytes.js';
import { computeDigest, type DigestAlgorithm } from '../../cms/index.js';

export async function digestSignedChunks(chunks: readonly Uint8Array[], algorithm: DigestAlgorithm): Promise<Uint8Array> {
  // WebCrypto digests one buffer; the copy is the file size once, which verification reads anyway.
  return computeDigest(algorithm, concatBytes(...chunks));
}
