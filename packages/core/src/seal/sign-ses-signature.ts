/**
 * Signs any document bytes with an electronic seal: a GB/T 38540 (v4) SES_Signature whose TBS_Sign
 * holds the seal, the signing time, SM3(document) and the document's description (propertyInfo, in
 * OFD the path of Signature.xml), signed with SM2 (ID 1234567812345678) by a holder the seal lists.
 * An RFC 3161 timestamp over the signature value can be added, as the explicit `[0]` ofdrw writes.
 */
import { OID } from '../crypto/algorithms.js';
import { rawSignatureToDer } from '../crypto/ecdsa-der.js';
import type { Signer } from '../crypto/signer.js';
import { sm3 } from '../crypto/sm3.js';
import { computeDigest } from '../cms/digest-algorithms.js';
import { ElicenseError } from '../errors.js';
import { contextTag, octetString, sequence } from '../cms/der-build.js';
import { encodeOid } from '../pki/der.js';
import type { Timestamper } from '../pades/timestamper.js';
import { assertSm2Signer } from './create-ses-seal.js';
import { parseSesSeal } from './parse-ses-seal.js';
import {
  bitString,
  extDatas as encodeExtDatas,
  generalizedTime,
  ia5String,
  integer,
  type ExtDataInput,
} from './ses-der-build.js';

export interface SignSesSignatureOptions {
  /** DER SESeal (v4) to sign with. */
  readonly seal: Uint8Array;
  /** SM2 signer; its first certificate goes into the signature and should be one the seal lists. */
  readonly signer: Signer;
  /** The document bytes, hashed with SM3; or give `dataHash`. */
  readonly data?: Uint8Array;
  readonly dataHash?: Uint8Array;
  /** 原文属性: ASCII, e.g. `/Doc_0/Signs/Sign_0/Signature.xml`. */
  readonly propertyInfo: string;
  /** The signing time written into timeInfo. */
  readonly timeInfo: Date;
  readonly extDatas?: readonly ExtDataInput[];
  /** Adds an RFC 3161 token (SM3 imprint) over the signature value. */
  readonly timestamp?: Timestamper;
}

function documentHash(options: SignSesSignatureOptions): Uint8Array {
  if (options.data && options.dataHash) throw new ElicenseError('ERR_INVALID_INPUT', 'give data or dataHash, not both', { field: 'dataHash' });
  if (options.data) return sm3(options.data);
  if (options.dataHash?.length === 32) return options.dataHash;
  throw new ElicenseError('ERR_INVALID_INPUT', 'give the document bytes or their 32-byte SM3 hash', { field: 'dataHash' });
}

/** Returns the DER SES_Signature (v4). */
export async function signSesSignature(options: SignSesSignatureOptions): Promise<Uint8Array> {
  const signerCertificate = assertSm2Signer(options.signer, 'signer');
  const seal = parseSesSeal(options.seal);
  if (seal.version !== 4) throw new ElicenseError('ERR_INVALID_INPUT', `a v4 SES_Signature needs a v4 seal, not v${seal.version}`, { field: 'seal' });
  const toSign = sequence(
    integer(4, 'version'),
    seal.der,
    generalizedTime(options.timeInfo, 'timeInfo'),
    bitString(documentHash(options)),
    ia5String(options.propertyInfo, 'propertyInfo'),
    ...(options.extDatas && options.extDatas.length > 0 ? [contextTag(0, encodeExtDatas(options.extDatas))] : []),
  );
  const signatureValue = rawSignatureToDer(await options.signer.sign(toSign));
  const timeStamp = options.timestamp ? contextTag(0, bitString(await options.timestamp(await computeDigest('SM3', signatureValue), 'SM3'))) : undefined;
  return sequence(toSign, octetString(signerCertificate), encodeOid(OID.sm2WithSm3), bitString(signatureValue), ...(timeStamp ? [timeStamp] : []));
}
