/**
 * Reads the QR code in a photo or scan (PNG or JPEG) with jsQR, a pure JavaScript decoder the browser
 * page can use as well. A few bounded attempts at different scales: large photos are read scaled down
 * first (faster, and the code still has many pixels per module), small scans scaled up (jsQR's
 * binarizer needs about two pixels per module; a 150 dpi scan of a version 19 code at 30 mm has 1.9).
 */
import { readImage, type RgbaImage } from './read-image.js';
import { resample } from './resample.js';

/** The size of the first, fast attempt; and the most any attempt handles. */
const FIRST_ATTEMPT_MEGAPIXELS = 4;
const MAX_ATTEMPT_MEGAPIXELS = 16;

function attempts(image: RgbaImage): (() => RgbaImage)[] {
  const megapixels = (image.width * image.height) / 1e6;
  if (megapixels > FIRST_ATTEMPT_MEGAPIXELS) {
    const down = () => resample(image, Math.sqrt(FIRST_ATTEMPT_MEGAPIXELS / megapixels));
    return megapixels <= MAX_ATTEMPT_MEGAPIXELS ? [down, () => image] : [down];
  }
  return megapixels * 4 <= MAX_ATTEMPT_MEGAPIXELS ? [() => image, () => resample(image, 2)] : [() => image];
}

/** jsQR, loaded when a picture is first read rather than at every start of the CLI. */
async function loadJsQr() {
  // jsqr is CommonJS whose typings describe an ES default export: under Node the function is `.default`.
  return (await import('jsqr')).default.default;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of the QR code in `bytes`; throws an Error whose message says why there is none. */
export async function decodeQrImage(bytes: Uint8Array): Promise<string> {
  const image = readImage(bytes);
  const jsQR = await loadJsQr();
  for (const attempt of attempts(image)) {
    const { data, width, height } = attempt();
    const code = jsQR(data, width, height, { inversionAttempts: 'dontInvert' });
    if (code) {
      try {
        return utf8.decode(new Uint8Array(code.binaryData));
      } catch {
        throw new Error('the QR code does not hold UTF-8 text');
      }
    }
  }
  throw new Error(`no QR code found in the ${image.width}x${image.height} image`);
}
