/**
 * The picture of a new seal: an official seal (round 公章, oval or square) drawn by the PDF renderer's
 * `officialSealSvg`, as an SVG picture at its size in millimetres. An uploaded image is passed to
 * `createSesSeal` directly instead.
 */
import { utf8 } from '../bytes.js';
import { officialSealSizeMm, officialSealSvg, type OfficialSealOptions } from '../pdf/render/official-seal.js';
import type { SealPictureInput } from './create-ses-seal.js';

export function officialSealPicture(options: OfficialSealOptions): SealPictureInput {
  const { widthMm, heightMm } = officialSealSizeMm(options);
  // SES_ESPictrueInfo gives the size in whole millimetres.
  return { type: 'svg', data: utf8(officialSealSvg(options)), widthMm: Math.round(widthMm), heightMm: Math.round(heightMm) };
}
