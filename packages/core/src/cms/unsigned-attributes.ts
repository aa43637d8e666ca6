/**
 * Adds an unsigned attribute to a SignerInfo (the signature time-stamp of PAdES B-T / CAdES-T) without
 * touching anything signed: the SignerInfo's signed parts and every other byte of the SignedData are
 * copied as received, only the enclosing lengths change.
 */
import { concatBytes } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { assertSingleDerValue, children, encodeTlv, readTlv, slice, type Tlv } from '../pki/der.js';
import { encodeAttribute } from './attributes.js';
import { setOf } from './der-build.js';
import { fieldsOf, readingField } from './der-read.js';
import { parseCmsSignedData } from './parse-signed-data.js';

function rebuild(tlv: Tlv, parts: readonly Uint8Array[]): Uint8Array {
  return encodeTlv(tlv.tag, concatBytes(...parts));
}

function withUnsignedAttribute(bytes: Uint8Array, signerInfo: Tlv, attribute: Uint8Array): Uint8Array {
  const fields = children(bytes, signerInfo);
  const last = fields[fields.length - 1]!;
  const existing = last.tag === 0xa1 ? children(bytes, last).map((a) => slice(bytes, a)) : [];
  const kept = (last.tag === 0xa1 ? fields.slice(0, -1) : fields).map((f) => slice(bytes, f));
  return rebuild(signerInfo, [...kept, setOf([...existing, attribute], 0xa1)]);
}

/**
 * `cmsDer` with one more unsigned attribute (`oid`, one DER value) on SignerInfo `signerIndex` (0 by
 * default). The result verifies exactly as the input did.
 */
export function addUnsignedAttribute(cmsDer: Uint8Array, oid: string, valueDer: Uint8Array, signerIndex = 0): Uint8Array {
  const parsed = parseCmsSignedData(cmsDer);
  if (!Number.isInteger(signerIndex) || signerIndex < 0 || signerIndex >= parsed.signerInfos.length) {
    throw new ElicenseError('ERR_INVALID_INPUT', `the CMS has no SignerInfo ${signerIndex}`, { field: 'signerIndex' });
  }
  readingField('valueDer', () => assertSingleDerValue(valueDer));
  const bytes = parsed.der;
  const contentInfo = readTlv(bytes, 0);
  const [typeTlv, explicit] = children(bytes, contentInfo);
  const [signedData] = children(bytes, explicit!);
  const signedFields = children(bytes, signedData!);
  const signerInfosTlv = signedFields[signedFields.length - 1]!;
  const signerInfos = fieldsOf(bytes, signerInfosTlv, 0x31, 'SignedData.signerInfos');
  const attribute = encodeAttribute({ oid, values: [valueDer] });
  const newSignerInfos = signerInfos.map((info, i) => (i === signerIndex ? withUnsignedAttribute(bytes, info, attribute) : slice(bytes, info)));
  // The SignerInfos keep their order, so a caller's signer index stays valid.
  const newSignedData = rebuild(signedData!, [...signedFields.slice(0, -1).map((f) => slice(bytes, f)), rebuild(signerInfosTlv, newSignerInfos)]);
  return rebuild(contentInfo, [slice(bytes, typeTlv!), rebuild(explicit!, [newSignedData])]);
}
