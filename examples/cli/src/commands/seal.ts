/**
 * `elicense seal`: electronic seals (GB/T 38540). `image` draws a seal picture, `create` makes the seal
 * (SESeal v4, signed by the seal maker), `sign` signs a file's bytes with it (SES_Signature v4),
 * `inspect` shows a seal or signature and writes its picture out, `verify` verifies either.
 */
import { basename, extname } from 'node:path';
import { Command } from 'commander';
import {
  createSesSeal,
  createSigner,
  equalBytes,
  isElicenseError,
  officialSealSizeMm,
  officialSealSvg,
  parseSesSeal,
  parseSesSignature,
  signSesSignature,
  sm3,
  utf8,
  verifyDocument,
  type OfficialSealOptions,
  type OfficialSealShape,
  type ParsedSesSeal,
  type ParsedSesSignature,
  type SealPictureInput,
} from '@elicense/core';
import { UsageError } from '../errors.js';
import { parseTime, readInput, writeOutput } from '../io.js';
import { loadLicenseFont } from '@elicense/platform/license-font';
import { svgToPng, DEFAULT_DPI } from '../seal/rasterize-svg.js';
import { formatSealSummary, sealSummary, signatureSummary } from '../seal/seal-summary.js';
import { parseSizeMm, sealPictureFromFile, type SizeMm } from '../seal/seal-picture-file.js';
import { withSignedDocument } from '../seal/signed-document.js';
import { requestTimestamp } from '../tsa/client.js';
import { addSubcommands } from './subcommands.js';
import { assertKeyMatchesCertificate, collect, integerOption, loadCertificates, loadPrivateKey } from './inputs.js';
import { verifyOptionsFrom, withVerifyOptions, writeReport, type VerifyFlags } from './verify.js';

const SHAPES: readonly OfficialSealShape[] = ['round', 'oval', 'square'];

/** A core error about an option's value becomes a usage line naming the option. */
function rethrowAs(error: unknown, option: string): never {
  if (isElicenseError(error)) throw new UsageError(`${option}: ${error.message} (${error.code})`);
  throw error;
}

function imageFormat(path: string, option: string): 'svg' | 'png' {
  const extension = extname(path).toLowerCase();
  if (extension === '.svg' || extension === '.png') return extension === '.svg' ? 'svg' : 'png';
  throw new UsageError(`${option} must name a .svg or .png file, got "${path}"`);
}

function dpiOption(value: string | undefined): number {
  return value === undefined ? DEFAULT_DPI : integerOption(value, '--dpi', 72, 1200);
}

interface DrawFlags {
  name: string;
  centerText?: string;
  bottomText?: string;
  shape: string;
  sizeMm?: string;
  color?: string;
  innerRing?: boolean;
}

const DRAW_FIELD_OPTIONS: Record<string, string> = {
  centerText: '--center-text',
  bottomText: '--bottom-text',
  diameterMm: '--size-mm',
  widthMm: '--size-mm',
  heightMm: '--size-mm',
  color: '--color',
};

/** The seal drawing options from the command line; every mistake names its option. */
async function drawOptions(flags: DrawFlags, nameOption = '--name'): Promise<OfficialSealOptions & { shape: OfficialSealShape; widthMm: number; heightMm: number }> {
  const shape = flags.shape as OfficialSealShape;
  if (!SHAPES.includes(shape)) throw new UsageError(`--shape must be one of ${SHAPES.join(', ')}, got "${flags.shape}"`);
  const stated: SizeMm | undefined = flags.sizeMm === undefined ? undefined : parseSizeMm(flags.sizeMm, '--size-mm');
  if (shape === 'round' && stated && stated.widthMm !== stated.heightMm) throw new UsageError('--size-mm of a round seal is one diameter, such as 42');
  const font = await loadLicenseFont();
  const options = {
    organizationName: flags.name,
    font,
    shape,
    ...(flags.centerText === undefined ? {} : { centerText: flags.centerText }),
    ...(flags.bottomText === undefined ? {} : { bottomText: flags.bottomText }),
    ...(stated === undefined ? {} : shape === 'round' ? { diameterMm: stated.widthMm } : { widthMm: stated.widthMm, heightMm: stated.heightMm }),
    ...(flags.color === undefined ? {} : { color: flags.color }),
    ...(flags.innerRing ? { rings: 2 as const } : {}),
  };
  try {
    const size = officialSealSizeMm(options);
    // Draw once here, so a bad option is reported before anything is signed or written.
    officialSealSvg(options);
    return { ...options, ...size };
  } catch (error) {
    const field = isElicenseError(error) ? error.field : undefined;
    rethrowAs(error, (field && DRAW_FIELD_OPTIONS[field]) ?? nameOption);
  }
}

function addDrawOptions(command: Command): Command {
  return command
    .option('--center-text <text>', 'round: the line under the star (e.g. 电子证照专用章); oval: the line under the code (e.g. 发票专用章)')
    .option('--bottom-text <text>', 'round: text along the lower arc (e.g. the seal code); oval: the line across the middle (e.g. the 纳税人识别号)')
    .option('--shape <shape>', `${SHAPES.join(', ')}: round for 公章 and most 专用章, oval for 发票专用章, square for 名章`, 'round')
    .option('--size-mm <size>', 'size in mm: a diameter (round, default 42) or width x height (oval, default 40x30; square, default 20)')
    .option('--color <#RRGGBB>', 'ink colour (default #E60012, seal red)')
    .option('--inner-ring', 'add a fine ring inside the rim');
}

function imageCommand(): Command {
  const command = new Command('image')
    .description('draw an official seal picture as SVG or PNG (transparent, at its size in mm and the given dpi)')
    .requiredOption('--name <name>', 'the organisation (or, for a square 名章, the person) the seal bears')
    .requiredOption('--out <seal.svg|seal.png>', 'where to write the picture; the extension picks the format')
    .option('--dpi <n>', `PNG resolution in dots per inch (default ${DEFAULT_DPI})`);
  return addDrawOptions(command)
    .addHelpText(
      'after',
      `
The characters are drawn as outlines of Noto Serif SC (宋体 style), so the picture needs no font to show.

Examples:
  $ elicense seal image --name 吉林省住房和城乡建设厅 --center-text 电子证照专用章 --bottom-text 2201000012345 --out seal.svg
  $ elicense seal image --name 演示市某某科技有限公司 --shape oval --center-text 发票专用章 --bottom-text 91220101MA0Y123456 --out invoice-seal.png
  $ elicense seal image --name 张三之印 --shape square --size-mm 18 --dpi 600 --out name-seal.png`,
    )
    .action(async (flags: DrawFlags & { out: string; dpi?: string }) => {
      const format = imageFormat(flags.out, '--out');
      const dpi = dpiOption(flags.dpi);
      const options = await drawOptions(flags);
      const svg = officialSealSvg(options);
      await writeOutput(flags.out, format === 'svg' ? svg : svgToPng(svg, dpi));
      process.stdout.write(`${options.shape} seal, ${options.widthMm} × ${options.heightMm} mm, written to ${flags.out}${format === 'png' ? ` (${dpi} dpi)` : ''}\n`);
    });
}

interface CreateFlags extends Partial<DrawFlags> {
  makerKey: string;
  makerCert: string;
  passphraseEnv?: string;
  signerCert: string[];
  name: string;
  type: string;
  esId: string;
  validFrom?: string;
  validUntil?: string;
  certListType: string;
  picture?: string;
  pictureSizeMm?: string;
  vendorId?: string;
  org?: string;
  out: string;
}

/** The picture from --picture, or drawn from the seal's name and the drawing options. */
async function createPicture(flags: CreateFlags): Promise<SealPictureInput> {
  if (flags.picture !== undefined) {
    const stated = flags.pictureSizeMm === undefined ? undefined : parseSizeMm(flags.pictureSizeMm, '--picture-size-mm');
    return sealPictureFromFile(await readInput(flags.picture, 'picture'), flags.picture, stated);
  }
  const options = await drawOptions({ ...flags, name: flags.org ?? flags.name, shape: flags.shape ?? 'round' }, flags.org === undefined ? '--name' : '--org');
  // SES_PictrueInfo holds whole millimetres, so the drawing is made at that size.
  const widthMm = Math.round(options.widthMm);
  const heightMm = Math.round(options.heightMm);
  const sized = options.shape === 'round' ? { diameterMm: widthMm } : { widthMm, heightMm };
  return { type: 'svg', data: utf8(officialSealSvg({ ...options, ...sized })), widthMm, heightMm };
}

function createCommand(): Command {
  const command = new Command('create')
    .description("make an electronic seal (GB/T 38540 SESeal v4) signed with the seal maker's SM2 key")
    .requiredOption('--maker-key <key.pem>', "the seal maker's (制章者) SM2 private key")
    .option('--passphrase-env <VAR>', "environment variable holding the maker key's passphrase")
    .requiredOption('--maker-cert <chain.pem>', "the seal maker's certificate (the first in the file)")
    .requiredOption('--signer-cert <cert.pem>', 'a certificate allowed to sign with the seal (every certificate in the file); repeat for several', collect, [])
    .requiredOption('--name <name>', '印章名称, e.g. 吉林省住房和城乡建设厅电子证照专用章')
    .requiredOption('--es-id <id>', '印章标识: the seal\'s unique code (ASCII)')
    .option('--type <n>', '印章类型 (business-defined: 1 单位印章, 2 个人印章, …)', '1')
    .option('--valid-from <time>', 'start of validity, ISO 8601 (default now)')
    .option('--valid-until <time>', 'end of validity, ISO 8601 (default: when the first signer certificate expires)')
    .option('--cert-list-type <1|2>', '1: list the signer certificates; 2: list their SM3 hashes', '1')
    .option('--picture <seal.svg|seal.png>', 'the seal picture (default: a round official seal drawn from --name and the options below)')
    .option('--picture-size-mm <size>', "the picture's display size, e.g. 42 or 40x30 (default: read from the SVG, or the PNG at its dpi, 300 when unstated)")
    .option('--vendor-id <id>', '厂商标识 in the header', 'eLicense')
    .requiredOption('--out <seal.esl>', 'where to write the DER seal');
  return addDrawOptions(command.option('--org <name>', 'the organisation drawn on the picture (default: --name)'))
    .addHelpText(
      'after',
      `
The drawing options apply when no --picture is given; the drawn seal bears --org, or else --name.

Examples:
  $ elicense seal create --maker-key maker.key.pem --maker-cert maker.cert.pem --signer-cert office.cert.pem \\
      --name 吉林省住房和城乡建设厅 --es-id 22010000000001 --valid-until 2029-12-31T00:00:00Z --out seal.esl
  $ elicense seal create --maker-key maker.key.pem --maker-cert maker.cert.pem --signer-cert office.cert.pem \\
      --name 演示市某某科技有限公司发票专用章 --type 3 --es-id 22010000000002 --picture invoice-seal.png --out invoice.esl`,
    )
    .action(async (flags: CreateFlags) => {
      const type = integerOption(flags.type, '--type', 0, 2 ** 31 - 1);
      const certListType = integerOption(flags.certListType, '--cert-list-type', 1, 2) as 1 | 2;
      if (!/^[\x20-\x7e]{1,64}$/.test(flags.esId)) throw new UsageError(`--es-id must be 1 to 64 printable ASCII characters, got "${flags.esId}"`);
      const key = await loadPrivateKey(flags.makerKey, flags.passphraseEnv);
      if (key.alg !== 'SM2SM3') throw new UsageError(`--maker-key must be an SM2 key (elicense key generate --alg SM2SM3), not ${key.alg}`);
      const [makerCert] = await loadCertificates(flags.makerCert, 'maker certificate');
      assertKeyMatchesCertificate(key, makerCert!, flags.makerKey, flags.makerCert);
      const signers = (await Promise.all(flags.signerCert.map((file) => loadCertificates(file, 'signer certificate')))).flat();
      const validStart = flags.validFrom === undefined ? new Date() : parseTime(flags.validFrom, '--valid-from');
      const validEnd = flags.validUntil === undefined ? signers[0]!.notAfter : parseTime(flags.validUntil, '--valid-until');
      if (validEnd <= validStart) throw new UsageError(`--valid-until (${validEnd.toISOString()}) must be after --valid-from (${validStart.toISOString()})`);
      const picture = await createPicture(flags);
      let seal: Uint8Array;
      try {
        seal = await createSesSeal({
          maker: createSigner(key, [makerCert!.der]),
          esID: flags.esId,
          type,
          name: flags.name,
          certListType,
          certificates: signers.map((c) => c.der),
          validStart,
          validEnd,
          picture,
          ...(flags.vendorId === undefined ? {} : { vendorId: flags.vendorId }),
        });
      } catch (error) {
        const field = isElicenseError(error) ? error.field : undefined;
        rethrowAs(error, field === 'vendorId' ? '--vendor-id' : field === 'esID' ? '--es-id' : field?.startsWith('picture') ? '--picture' : '--name');
      }
      await writeOutput(flags.out, seal);
      process.stdout.write(
        `电子印章 ${flags.esId} "${flags.name}" written to ${flags.out}: ${signers.length} signer certificate(s), ` +
          `picture ${picture.type} ${picture.widthMm} × ${picture.heightMm} mm, valid ${validStart.toISOString()} – ${validEnd.toISOString()}\n`,
      );
    });
}

function parseSeal(bytes: Uint8Array, path: string, option: string): ParsedSesSeal {
  try {
    return parseSesSeal(bytes);
  } catch (error) {
    rethrowAs(error, `${option} ${path} is not a readable seal`);
  }
}

/** Whether the seal lists this certificate (by bytes, or by SM3 hash for certListType 2). */
function sealListsCertificate(seal: ParsedSesSeal, der: Uint8Array): boolean {
  if (seal.property.certificates.some((listed) => equalBytes(listed, der))) return true;
  const hash = sm3(der);
  return seal.property.certDigests.some((digest) => equalBytes(digest.value, hash));
}

function signCommand(): Command {
  return new Command('sign')
    .description('sign a file\'s bytes with an electronic seal: a GB/T 38540 SES_Signature v4 (SM2, SM3 data hash)')
    .requiredOption('--seal <seal.esl>', 'the seal (SESeal v4)')
    .requiredOption('--key <key.pem>', "the signer's SM2 private key")
    .option('--passphrase-env <VAR>', "environment variable holding the key's passphrase")
    .requiredOption('--cert <cert.pem>', "the signer's certificate (the first in the file); the seal must list it")
    .requiredOption('--data <file>', 'the document whose bytes are signed')
    .option('--property-info <text>', '原文属性 (ASCII; default: the document\'s file name)')
    .option('--time <time>', 'the signing time written into the signature, ISO 8601 (default now)')
    .option('--tsa <url>', 'add an RFC 3161 timestamp over the signature value from this TSA')
    .requiredOption('--out <signature.dat>', 'where to write the DER signature')
    .addHelpText(
      'after',
      `
Examples:
  $ elicense seal sign --seal seal.esl --key office.key.pem --cert office.cert.pem --data license.pdf --out license.sig.dat
  $ elicense seal sign --seal seal.esl --key office.key.pem --cert office.cert.pem --data contract.pdf --tsa http://127.0.0.1:3161/ --out contract.dat`,
    )
    .action(
      async (flags: { seal: string; key: string; passphraseEnv?: string; cert: string; data: string; propertyInfo?: string; time?: string; tsa?: string; out: string }) => {
        const timeInfo = flags.time === undefined ? new Date() : parseTime(flags.time, '--time');
        const sealBytes = await readInput(flags.seal, 'seal');
        const seal = parseSeal(sealBytes, flags.seal, '--seal');
        if (seal.version !== 4) throw new UsageError(`--seal ${flags.seal} is a ${seal.version === 1 ? 'v1' : 'v5'} seal; this command makes v4 signatures with v4 seals`);
        const key = await loadPrivateKey(flags.key, flags.passphraseEnv);
        if (key.alg !== 'SM2SM3') throw new UsageError(`--key must be an SM2 key, not ${key.alg}`);
        const [certificate] = await loadCertificates(flags.cert);
        assertKeyMatchesCertificate(key, certificate!, flags.key, flags.cert);
        if (!sealListsCertificate(seal, certificate!.der)) {
          throw new UsageError(`--cert ${flags.cert} (${certificate!.subject}) is not one of the certificates seal ${seal.esID} lists`);
        }
        const data = await readInput(flags.data, 'document');
        const propertyInfo = flags.propertyInfo ?? (/^[\x20-\x7e]+$/.test(basename(flags.data)) ? basename(flags.data) : 'document');
        if (!/^[\x20-\x7e]{1,256}$/.test(propertyInfo)) throw new UsageError(`--property-info must be 1 to 256 printable ASCII characters, got "${propertyInfo}"`);
        const tsa = flags.tsa;
        let signature: Uint8Array;
        try {
          signature = await signSesSignature({
            seal: sealBytes,
            signer: createSigner(key, [certificate!.der]),
            data,
            propertyInfo,
            timeInfo,
            ...(tsa === undefined ? {} : { timestamp: async (digest, hashAlgorithm) => (await requestTimestamp(tsa, digest, hashAlgorithm, { timeoutMs: 15_000 })).token }),
          });
        } catch (error) {
          if (error instanceof Error && error.name === 'TimestampRequestError') throw new UsageError(`--tsa ${tsa}: ${error.message}`);
          rethrowAs(error, '--seal');
        }
        await writeOutput(flags.out, signature);
        process.stdout.write(`电子签章 with seal ${seal.esID} over ${flags.data} (${data.length} bytes) written to ${flags.out}${tsa === undefined ? '' : ', timestamped'}\n`);
      },
    );
}

/** A seal file or a seal signature file, told apart by trying the signature first (it holds a seal). */
function readSealFile(bytes: Uint8Array, path: string): { seal: ParsedSesSeal; signature?: ParsedSesSignature } {
  try {
    const signature = parseSesSignature(bytes);
    return { seal: signature.seal, signature };
  } catch {
    // Not a signature: a seal, or neither.
  }
  try {
    return { seal: parseSesSeal(bytes) };
  } catch (error) {
    throw new UsageError(`${path} is neither a GB/T 38540 seal nor a seal signature: ${(error as Error).message}`);
  }
}

async function writePicture(seal: ParsedSesSeal, out: string, dpi: number): Promise<string> {
  const want = imageFormat(out, '--picture-out');
  const have = seal.picture.type.toLowerCase();
  if (have === want) {
    await writeOutput(out, seal.picture.data);
    return `${have}, as stored`;
  }
  if (have === 'svg' && want === 'png') {
    await writeOutput(out, svgToPng(seal.picture.data, dpi));
    return `rendered from SVG at ${dpi} dpi`;
  }
  throw new UsageError(`the seal's picture is ${seal.picture.type}; --picture-out must end in .${have === 'svg' ? 'svg or .png' : have}`);
}

function inspectCommand(): Command {
  return new Command('inspect')
    .description("show a seal's or a seal signature's properties (no verification) and write its picture out")
    .argument('<file>', 'a GB/T 38540 or GM/T 0031 seal (.esl) or seal signature (.dat), DER')
    .option('--picture-out <pic.svg|pic.png>', "write the seal's picture here (an SVG picture can be written as PNG)")
    .option('--dpi <n>', `resolution when writing an SVG picture as PNG (default ${DEFAULT_DPI})`)
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
inspect only reads: run elicense seal verify to check signatures and certificates.

Examples:
  $ elicense seal inspect seal.esl --picture-out seal.png
  $ elicense seal inspect SignedValue.dat --json`,
    )
    .action(async (file: string, flags: { pictureOut?: string; dpi?: string; json?: boolean }) => {
      const dpi = dpiOption(flags.dpi);
      const { seal, signature } = readSealFile(await readInput(file, 'seal'), file);
      const summary = sealSummary(seal);
      const sigSummary = signature ? signatureSummary(signature) : undefined;
      const written = flags.pictureOut === undefined ? undefined : await writePicture(seal, flags.pictureOut, dpi);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ ...(sigSummary ? { signature: sigSummary } : {}), seal: summary }, null, 2)}\n`);
      } else {
        process.stdout.write(formatSealSummary(summary, sigSummary));
        if (written !== undefined) process.stdout.write(`印章图像已写入 picture written to ${flags.pictureOut} (${written})\n`);
      }
    });
}

function verifyCommand(): Command {
  return withVerifyOptions(
    new Command('verify')
      .description('verify an electronic seal or seal signature (GB/T 38540 order), with the report and exit status of elicense verify')
      .argument('<file>', 'a seal (.esl) or seal signature (.dat), DER')
      .option('--data <file>', 'the document a seal signature signed, checked against its SM3 dataHash'),
  )
    .addHelpText(
      'after',
      `
Exit status: 0 TOTAL_PASSED, 1 TOTAL_FAILED, 3 INDETERMINATE, 2 usage error or unreadable input.
Without --data a signature's data hash is INDETERMINATE (SIGNED_DATA_NOT_FOUND).

Examples:
  $ elicense seal verify seal.esl --trust trust-list.json --status ca.crl
  $ elicense seal verify license.sig.dat --data license.pdf --trust trust-list.json --status ca.crl --json
  $ elicense seal verify license.sig.dat --data license.pdf --no-revocation-check   # cryptography only, nothing trusted`,
    )
    .action(async (file: string, flags: VerifyFlags & { data?: string }) => {
      const bytes = await readInput(file, 'seal');
      readSealFile(bytes, file);
      const document = flags.data === undefined ? undefined : await readInput(flags.data, 'document');
      const options = await verifyOptionsFrom(flags);
      let report = await verifyDocument(bytes, options);
      if (document !== undefined) {
        const withDocument = await withSignedDocument(report, bytes, document, options);
        if (withDocument === undefined) throw new UsageError(`--data applies to a seal signature; ${file} is a seal`);
        report = withDocument;
      }
      writeReport(report, file, flags.json);
    });
}

export function sealCommand(): Command {
  const command = new Command('seal').description('electronic seals (GB/T 38540): draw, make, sign with, inspect and verify').addHelpText(
    'after',
    `
Examples:
  $ elicense seal image --name 吉林省住房和城乡建设厅 --center-text 电子证照专用章 --out seal.png
  $ elicense seal create --maker-key maker.key.pem --maker-cert maker.cert.pem --signer-cert office.cert.pem --name 吉林省住房和城乡建设厅 --es-id 22010000000001 --out seal.esl
  $ elicense seal sign --seal seal.esl --key office.key.pem --cert office.cert.pem --data license.pdf --out license.sig.dat
  $ elicense seal inspect seal.esl --picture-out seal.png
  $ elicense seal verify license.sig.dat --data license.pdf --trust trust-list.json`,
  );
  return addSubcommands(command, imageCommand(), createCommand(), signCommand(), inspectCommand(), verifyCommand());
}
