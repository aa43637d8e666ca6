/**
 * The picture of a new seal: the standard round red official seal (公章) drawn by the PDF renderer's
 * `officialSealSvg`, as an SVG picture at its size in millimetres. An uploaded image is passed to
 * `createSesSeal` directly instead.
 */
import { utf8 } from '../bytes.js';
import { DEFAULT_SEAL_DIAMETER_MM, officialSealSvg, type OfficialSealOptions } from '../pdf/render/official-seal.js';
import type { SealPictureInput } from './create-ses-seal.js';

export function officialSealPicture(options: OfficialSealOptions): SealPictureInput {
  const diameter = Math.round(options.diameterMm ?? DEFAULT_SEAL_DIAMETER_MM);
  return { type: 'svg', data: utf8(officialSealSvg({ ...options, diameterMm: diameter })), widthMm: diameter, heightMm: diameter };
}
