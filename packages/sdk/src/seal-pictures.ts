/**
 * The seal pictures a document carries, for showing: the SESeal in each PDF issuing signature (its
 * signed seal attribute), in each OFD seal signature, or in a bare GB/T 38540 signature file. This
 * only reads; whether a seal is genuine is what the verification report's seal checks say. A signed
 * JSON license names its seal by reference only, so it has no picture to show.
 */
import {
  analyzePdfSignatures,
  detectFormat,
  parseCmsSignedData,
  parseSesSeal,
  parseSesSignature,
  readOfdPackage,
  readSealAttribute,
  toHex,
  sm3,
  type ParsedSesSeal,
} from '@elicense/core';

export interface SealPicture {
  /** 印章标识. */
  readonly esID: string;
  /** 印章名称 as the seal states it. */
  readonly name: string;
  /** The image type as written in the seal: svg, png, jpg, gif, bmp or ofd. */
  readonly type: string;
  readonly data: Uint8Array;
  readonly widthMm: number;
  readonly heightMm: number;
  /** Lowercase hex SM3 of the picture data: what a trust list's seal registry records. */
  readonly pictureSm3: string;
  /** Which signature of the document carries it (0-based, in the document's order). */
  readonly signature: number;
}

function pictureOf(seal: ParsedSesSeal, signature: number): SealPicture {
  const { picture } = seal;
  return {
    esID: seal.esID,
    name: seal.property.name,
    type: picture.type.toLowerCase(),
    data: picture.data,
    widthMm: picture.widthMm,
    heightMm: picture.heightMm,
    pictureSm3: toHex(sm3(picture.data)),
    signature,
  };
}

/** Reads and ignores what cannot be read: a malformed part is the report's business, not the picture's. */
function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

async function pdfSeals(bytes: Uint8Array): Promise<SealPicture[]> {
  const analysis = await analyzePdfSignatures(bytes);
  const pictures: SealPicture[] = [];
  for (const signature of analysis.signatures) {
    if (!signature.cms) continue;
    const cms = signature.cms;
    const attributes = attempt(() => parseCmsSignedData(cms).signerInfos[0]?.signedAttributes);
    const binding = attempt(() => readSealAttribute(attributes));
    const seal = binding && attempt(() => parseSesSeal(binding.seal));
    if (seal) pictures.push(pictureOf(seal, signature.index));
  }
  return pictures;
}

function ofdSeals(bytes: Uint8Array): SealPicture[] {
  const ofd = attempt(() => readOfdPackage(bytes));
  if (!ofd) return [];
  const pictures: SealPicture[] = [];
  for (const entry of ofd.signatures) {
    const file = entry.files?.signedValueFile;
    if (entry.type !== 'Seal' || !file) continue;
    const signature = attempt(() => parseSesSignature(ofd.archive.read(file)));
    if (signature) pictures.push(pictureOf(signature.seal, entry.index));
  }
  return pictures;
}

/** The seal pictures in a PDF, OFD or SES signature/seal file; none for other forms. */
export async function readSealPictures(bytes: Uint8Array): Promise<SealPicture[]> {
  switch (detectFormat(bytes)) {
    case 'pdf':
      return pdfSeals(bytes);
    case 'ofd':
      return ofdSeals(bytes);
    case 'ses': {
      const seal = attempt(() => parseSesSignature(bytes).seal) ?? attempt(() => parseSesSeal(bytes));
      return seal ? [pictureOf(seal, 0)] : [];
    }
    default:
      return [];
  }
}
