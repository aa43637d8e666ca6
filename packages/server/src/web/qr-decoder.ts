/**
 * Reads the QR code in a photo or scan, in the browser: the browser decodes the image, a canvas gives
 * its pixels, jsQR finds the code. Like the CLI's reader (examples/cli/src/qr), a few bounded attempts
 * at different scales: large photos scaled down first, small scans scaled up (jsQR needs about two
 * pixels per module; a 150 dpi scan of a dense code has fewer).
 */
import jsQRModule from 'jsqr';

type JsQr = typeof jsQRModule.default;
// jsqr is CommonJS with an ES default export: bundlers hand over the function, Node typings the module.
const jsQR: JsQr = typeof jsQRModule === 'function' ? (jsQRModule as unknown as JsQr) : jsQRModule.default;

const FIRST_ATTEMPT_MEGAPIXELS = 4;
const MAX_ATTEMPT_MEGAPIXELS = 16;

function scales(width: number, height: number): number[] {
  const megapixels = (width * height) / 1e6;
  if (megapixels > FIRST_ATTEMPT_MEGAPIXELS) {
    const down = Math.sqrt(FIRST_ATTEMPT_MEGAPIXELS / megapixels);
    return megapixels <= MAX_ATTEMPT_MEGAPIXELS ? [down, 1] : [down];
  }
  return megapixels * 4 <= MAX_ATTEMPT_MEGAPIXELS ? [1, 2] : [1];
}

function pixels(image: ImageBitmap, scale: number): ImageData {
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('this browser gives no 2D canvas to read the image with');
  // Bilinear both ways, like the CLI's resampler: interpolated edges let jsQR's binarizer find thin modules.
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'low';
  context.drawImage(image, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes an image the browser can read (PNG, JPEG, WebP, GIF, BMP) into its pixels. */
export async function readBitmap(bytes: Uint8Array): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  } catch {
    throw new Error('the browser cannot read this image');
  }
}

/** The text of the QR code in the image; throws an Error saying why there is none. */
export async function decodeQrImage(bytes: Uint8Array): Promise<string> {
  const image = await readBitmap(bytes);
  try {
    for (const scale of scales(image.width, image.height)) {
      const { data, width, height } = pixels(image, scale);
      const code = jsQR(data, width, height, { inversionAttempts: 'dontInvert' });
      if (code) {
        try {
          return utf8.decode(new Uint8Array(code.binaryData));
        } catch {
          throw new Error('the QR code does not hold UTF-8 text');
        }
      }
    }
    throw new Error(`no QR code found in the ${image.width}×${image.height} image`);
  } finally {
    image.close();
  }
}

/** Re-encodes an image as PNG (core recognises PNG and JPEG photos; browsers also take WebP, GIF, BMP). */
export async function toPng(bytes: Uint8Array): Promise<Uint8Array> {
  const image = await readBitmap(bytes);
  try {
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d')?.drawImage(image, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the image could not be converted to PNG');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    image.close();
  }
}
