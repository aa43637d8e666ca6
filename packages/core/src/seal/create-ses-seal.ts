/**
 * Makes a GB/T 38540 (v4) electronic seal: SES_SealInfo (header, esID, properties, picture, extDatas)
 * signed by the seal maker (制章者) with SM2 over DER(SES_SealInfo), ID 1234567812345678.
 */
import { OID } from '../crypto/algorithms.js';
import type { Signer } from '../crypto/signer.js';
import { sm3 } from '../crypto/sm3.js';
import { ElicenseError } from '../errors.js';
import { octetString, sequence } from '../cms/der-build.js';
import { encodeOid } from '../pki/der.js';
import { MAX_CERT_LIST } from './ses-der.js';
import {
  extDatas as encodeExtDatas,
  generalizedTime,
  ia5String,
  integer,
  printableString,
  signatureBitString,
  utf8String,
  type ExtDataInput,
} from './ses-der-build.js';

export interface SealPictureInput {
  /** Written as the picture type: `svg`, `png` or `ofd`. */
  readonly type: 'svg' | 'png' | 'ofd';
  readonly data: Uint8Array;
  /** Display size in whole millimetres. */
  readonly widthMm: number;
  readonly heightMm: number;
}

export interface CreateSesSealOptions {
  /** The seal maker: an SM2 signer whose first certificate goes into the seal. */
  readonly maker: Signer;
  readonly esID: string;
  /** 印章类型, business-defined (e.g. 1 单位印章, 2 个人印章). */
  readonly type: number;
  readonly name: string;
  /** 1: list the certificates; 2: list their SM3 hashes. */
  readonly certListType: 1 | 2;
  /** The certificates (DER) of those who may sign with the seal; hashed for certListType 2. */
  readonly certificates?: readonly Uint8Array[];
  /** certListType 2 with hashes already computed, when the certificates themselves are not at hand. */
  readonly certificateHashes?: readonly { readonly type: string; readonly value: Uint8Array }[];
  readonly validStart: Date;
  readonly validEnd: Date;
  /** Default: validStart. */
  readonly createDate?: Date;
  readonly picture: SealPictureInput;
  readonly extDatas?: readonly ExtDataInput[];
  /** 厂商标识 in the header; default "eLicense". */
  readonly vendorId?: string;
}

function invalid(message: string, field: string): never {
  throw new ElicenseError('ERR_INVALID_INPUT', message, { field });
}

function certList(options: CreateSesSealOptions): Uint8Array {
  const certificates = options.certificates ?? [];
  if (options.certListType === 1) {
    if (certificates.length === 0) invalid('certListType 1 needs at least one certificate', 'certificates');
    if (certificates.length > MAX_CERT_LIST) invalid(`at most ${MAX_CERT_LIST} certificates`, 'certificates');
    return sequence(...certificates.map((der) => octetString(der)));
  }
  const hashes = options.certificateHashes ?? certificates.map((der) => ({ type: 'SM3', value: sm3(der) }));
  if (hashes.length === 0) invalid('certListType 2 needs certificates or their hashes', 'certificateHashes');
  if (hashes.length > MAX_CERT_LIST) invalid(`at most ${MAX_CERT_LIST} certificate hashes`, 'certificateHashes');
  return sequence(...hashes.map((hash, i) => sequence(printableString(hash.type, `certificateHashes[${i}].type`), octetString(hash.value))));
}

/** DER SES_SealInfo, exactly the bytes the maker signs. */
export function encodeSealInfo(options: CreateSesSealOptions): Uint8Array {
  const { picture } = options;
  if (options.validEnd <= options.validStart) invalid('validEnd must be after validStart', 'validEnd');
  if (options.name === '') invalid('the seal needs a name', 'name');
  if (picture.data.length === 0) invalid('the seal needs a picture', 'picture.data');
  const header = sequence(ia5String('ES', 'header.ID'), integer(4, 'header.version'), ia5String(options.vendorId ?? 'eLicense', 'vendorId'));
  const property = sequence(
    integer(options.type, 'type'),
    utf8String(options.name),
    integer(options.certListType, 'certListType'),
    certList(options),
    generalizedTime(options.createDate ?? options.validStart, 'createDate'),
    generalizedTime(options.validStart, 'validStart'),
    generalizedTime(options.validEnd, 'validEnd'),
  );
  const pictureInfo = sequence(ia5String(picture.type, 'picture.type'), octetString(picture.data), integer(picture.widthMm, 'picture.widthMm'), integer(picture.heightMm, 'picture.heightMm'));
  return sequence(
    header,
    ia5String(options.esID, 'esID'),
    property,
    pictureInfo,
    ...(options.extDatas && options.extDatas.length > 0 ? [encodeExtDatas(options.extDatas)] : []),
  );
}

export function assertSm2Signer(signer: Signer, field: string): Uint8Array {
  if (signer.alg !== 'SM2SM3') invalid(`${field} must be an SM2 signer, not ${signer.alg}`, field);
  const certificate = signer.certificates[0];
  if (!certificate) invalid(`${field} needs its certificate`, field);
  return certificate;
}

/** Returns the DER SESeal (v4). */
export async function createSesSeal(options: CreateSesSealOptions): Promise<Uint8Array> {
  const makerCertificate = assertSm2Signer(options.maker, 'maker');
  const sealInfo = encodeSealInfo(options);
  const signature = await options.maker.sign(sealInfo);
  return sequence(sealInfo, octetString(makerCertificate), encodeOid(OID.sm2WithSm3), signatureBitString(signature));
}
