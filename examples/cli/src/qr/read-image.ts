/** Decodes a PNG or JPEG into RGBA pixels, refusing images above a pixel budget before decoding. */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { imageSize } from './image-size.js';

/** A 400 dpi A4 scan is 15.5 megapixels and a phone photo 12 to 48: larger photos should be cropped. */
export const MAX_IMAGE_MEGAPIXELS = 40;

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** 4 bytes per pixel, row by row. */
  readonly data: Uint8ClampedArray;
}

export function readImage(bytes: Uint8Array): RgbaImage {
  const { format, width, height } = imageSize(bytes);
  const megapixels = (width * height) / 1e6;
  if (width === 0 || height === 0) throw new Error('the image is empty');
  if (megapixels > MAX_IMAGE_MEGAPIXELS) {
    throw new Error(`the image is ${width}x${height} (${megapixels.toFixed(1)} megapixels), more than the ${MAX_IMAGE_MEGAPIXELS} this reader decodes: crop it to the QR code`);
  }
  const decoded =
    format === 'png'
      ? PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length))
      : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
  if (decoded.width !== width || decoded.height !== height) throw new Error('the image data does not match its header');
  return { width, height, data: new Uint8ClampedArray(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length) };
}
