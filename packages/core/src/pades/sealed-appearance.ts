/**
 * The visible seal of a sealed license PDF: the seal's own picture, drawn as the widget appearance.
 * A picture made by `officialSealPicture` is the SVG of the same drawing the PDF appearance is, so the
 * seal options that made it are the ones to draw it with; they are checked by remaking the SVG and
 * comparing it byte for byte, so the office never binds a seal to a drawing of something else.
 */
import { equalBytes } from '../bytes.js';
import type { Signer } from '../crypto/signer.js';
import { ElicenseError } from '../errors.js';
import { sealListingSigners } from '../jws/seal-reference.js';
import { drawOfficialSeal, type OfficialSealDrawing, type OfficialSealOptions } from '../pdf/render/index.js';
import { officialSealPicture } from '../seal/seal-picture.js';

/** Throws ERR_INVALID_INPUT (field `sesSeal`) when the seal does not list the signer or its picture is not these options' seal. */
export async function sealedAppearance(sesSeal: Uint8Array, signer: Signer, look: OfficialSealOptions): Promise<OfficialSealDrawing> {
  const seal = await sealListingSigners(sesSeal, [signer], 'sesSeal');
  if (seal.picture.type.toLowerCase() !== 'svg') {
    throw new ElicenseError('ERR_INVALID_INPUT', `seal ${seal.esID} has a ${seal.picture.type} picture; only an SVG official seal can be drawn as the signature appearance`, { field: 'sesSeal' });
  }
  if (!equalBytes(officialSealPicture(look).data, seal.picture.data)) {
    throw new ElicenseError('ERR_INVALID_INPUT', `the picture of seal ${seal.esID} is not the official seal drawn from these seal options: pass the options the seal was made with`, { field: 'sesSeal' });
  }
  return drawOfficialSeal(look);
}
