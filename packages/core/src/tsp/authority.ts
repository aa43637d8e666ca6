/**
 * A time-stamping authority (RFC 3161), pure: bytes in, bytes out; the clock and the signer are passed
 * in. Every request gets a response: a granted one with a token (TSTInfo signed with content-type,
 * message-digest and ESS signing-certificate-v2, the request's nonce echoed, the accuracy stated), or a
 * rejection naming the PKIFailureInfo. Tokens hash with the signer algorithm's CMS digest.
 */
import { equalBytes } from '../bytes.js';
import type { Signer } from '../crypto/signer.js';
import { parsePublicKey } from '../crypto/public-key.js';
import { ElicenseError, isElicenseError } from '../errors.js';
import { parseCertificate } from '../pki/certificate.js';
import { digestLength, type DigestAlgorithm } from '../cms/digest-algorithms.js';
import { CMS_OID } from '../cms/oids.js';
import { prepareCmsSignature } from '../cms/prepare-signature.js';
import { encodeBigInteger, randomPositive } from './integers.js';
import { messageImprint, parseTimeStampRequest, type TimeStampRequest } from './request.js';
import { encodeTimeStampResponse, type PkiFailureInfo } from './response.js';
import { timeStampingCertificateProblem } from './tsa-certificate.js';
import { encodeTstInfo, type Accuracy } from './tst-info.js';

/** SHA-1 imprints are refused: a collision would let one token stamp two documents. */
const ACCEPTED_HASHES: readonly DigestAlgorithm[] = ['SHA-256', 'SHA-384', 'SHA-512', 'SM3'];

export interface TimeStampAuthorityOptions {
  /** Its first certificate must carry the critical id-kp-timeStamping extended key usage. */
  readonly signer: Signer;
  /** The TSA policy OID written into every token. */
  readonly policy: string;
  readonly now?: () => Date;
  /** Serial numbers, unique per token; 120 random bits when absent. */
  readonly serialNumbers?: () => bigint;
  /** Stated in every token; one second when absent. */
  readonly accuracy?: Accuracy;
}

export interface TimeStampAuthority {
  /** A DER TimeStampResp for a DER TimeStampReq; never throws for a bad request. */
  respond(requestDer: Uint8Array): Promise<Uint8Array>;
}

const rejection = (failure: PkiFailureInfo, statusString: string): Uint8Array =>
  encodeTimeStampResponse({ status: 'rejection', statusString, failInfo: [failure] });

function requestProblem(request: TimeStampRequest, policy: string): [PkiFailureInfo, string] | undefined {
  if (request.version !== 1) return ['badRequest', `request version ${request.version} is not 1`];
  const hash = request.hashAlgorithm;
  if (!hash || !ACCEPTED_HASHES.includes(hash)) {
    return ['badAlg', `hash algorithm ${request.hashAlgorithmOid} is not accepted; use one of ${ACCEPTED_HASHES.join(', ')}`];
  }
  if (request.hashedMessage.length !== digestLength(hash)) return ['badDataFormat', `a ${hash} imprint has ${digestLength(hash)} bytes`];
  if (request.policy !== undefined && request.policy !== policy) return ['unacceptedPolicy', `this authority issues under policy ${policy} only`];
  if (request.hasExtensions) return ['unacceptedExtension', 'request extensions are not supported'];
  return undefined;
}

export function createTimeStampAuthority(options: TimeStampAuthorityOptions): TimeStampAuthority {
  const { signer, policy } = options;
  const [leafDer] = signer.certificates;
  if (!leafDer) throw new ElicenseError('ERR_INVALID_INPUT', 'the TSA signer has no certificate', { field: 'signer' });
  const leaf = parseCertificate(leafDer);
  const problem = timeStampingCertificateProblem(leaf);
  if (problem) throw new ElicenseError('ERR_INVALID_INPUT', problem, { field: 'signer' });
  if (!equalBytes(parsePublicKey(signer.publicKey).keyBytes, parsePublicKey(leaf.publicKey).keyBytes)) {
    throw new ElicenseError('ERR_KEY_INVALID', 'the TSA signer key is not the key of its certificate', { field: 'signer' });
  }
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(policy)) throw new ElicenseError('ERR_INVALID_INPUT', `policy "${policy}" is not an OID`, { field: 'policy' });
  const now = options.now ?? (() => new Date());
  const serialNumbers = options.serialNumbers ?? (() => randomPositive(15));
  const accuracy = options.accuracy ?? { seconds: 1 };

  async function grant(request: TimeStampRequest): Promise<Uint8Array> {
    const tstInfo = encodeTstInfo({
      policy,
      messageImprint: messageImprint(request.hashAlgorithm!, request.hashedMessage),
      serialNumber: encodeBigInteger(serialNumbers(), 'serialNumber'),
      genTime: now(),
      accuracy,
      ...(request.nonce ? { nonce: request.nonce } : {}),
    });
    const prepared = await prepareCmsSignature({
      certificates: signer.certificates,
      alg: signer.alg,
      content: tstInfo,
      contentType: CMS_OID.tstInfo,
      encapsulateContent: true,
      omitCertificates: !request.certReq,
    });
    const token = prepared.complete(await signer.sign(prepared.signedAttributes));
    return encodeTimeStampResponse({ status: 'granted', token });
  }

  return {
    async respond(requestDer) {
      let request: TimeStampRequest;
      try {
        request = parseTimeStampRequest(requestDer);
      } catch (error) {
        if (isElicenseError(error)) return rejection('badDataFormat', `malformed request: ${error.message}`);
        throw error;
      }
      const refused = requestProblem(request, policy);
      if (refused) return rejection(...refused);
      try {
        return await grant(request);
      } catch {
        // A signer (an HSM, a remote service) that fails is the authority's problem, not the client's.
        return encodeTimeStampResponse({ status: 'rejection', statusString: 'the time-stamping authority could not sign', failInfo: ['systemFailure'] });
      }
    },
  };
}
