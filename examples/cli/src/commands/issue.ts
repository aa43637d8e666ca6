/**
 * `elicense issue`: builds a license of a registry type from data.json ({ holder, fields }) and signs
 * it — compact JWS with one key, general JSON with an SM2 signature beside it. Bad data names the field
 * it is about and exits 2; nothing is written then.
 */
import { Command } from 'commander';
import {
  buildLicenseCredential,
  createSigner,
  defaultLicenseTypeRegistry,
  isElicenseError,
  isJsonObject,
  LicenseSchemaError,
  LONG_TERM,
  parseIdentifier,
  parseJsonStrict,
  signLicenseCompact,
  signLicenseMulti,
  type CertificateInfo,
  type LicenseInput,
  type LicenseStatusInput,
  type LicenseType,
  type Signer,
} from '@elicense/core';
import { EXIT, UsageError } from '../errors.js';
import { readText, writeOutput } from '../io.js';
import { assertKeyMatchesCertificate, collect, findLicenseType, integerOption, loadCertificates, loadPrivateKey } from './inputs.js';
import { writeLicensePdf } from './issue-pdf.js';
import { sampleData } from './types.js';

interface IssueFlags {
  sample?: string;
  type?: string;
  data?: string;
  key?: string;
  cert?: string;
  passphraseEnv?: string;
  sm2Key?: string;
  sm2Cert?: string;
  sm2PassphraseEnv?: string;
  issuerName?: string;
  issuerCode?: string;
  serial?: string;
  number?: string;
  validFrom?: string;
  validUntil?: string;
  statusUrlBase?: string;
  statusIndex?: string;
  previous?: string;
  version?: string;
  out?: string;
  pdf?: string;
  qrUrl: string;
  tsa?: string;
  lta?: boolean;
  crl: string[];
  dssCert: string[];
}

/** Which option a core input field came from, so an error can say what to change. */
const FIELD_OPTIONS: Readonly<Record<string, string>> = {
  'issuer.name': '--issuer-name',
  'issuer.code': '--issuer-code',
  number: '--number',
  serial: '--serial',
  version: '--version',
  issuedDate: '(today)',
  validFrom: '--valid-from',
  validUntil: '--valid-until',
  previousIdentifier: '--previous',
  credentialStatus: '--status-url-base / --status-index',
};

/** `credentialSubject.fields.名称` is `fields.名称` in data.json; other fields name the option they came from. */
function fieldLine(field: string | undefined, message: string): string {
  if (field === undefined) return message;
  const dataPath = field.replace(/^credentialSubject\.fields/, 'fields');
  const option = FIELD_OPTIONS[field] ?? FIELD_OPTIONS[field.split('.')[0]!];
  return `field ${dataPath}${option === undefined ? '' : ` (${option})`}: ${message}`;
}

function required(flags: IssueFlags, names: (keyof IssueFlags)[]): void {
  const option = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const missing = names.filter((name) => flags[name] === undefined).map(option);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')} (or use --sample <type> to start from sample data)`);
}

async function readData(path: string): Promise<{ holder: LicenseInput['holder']; fields: Record<string, unknown> }> {
  let data: unknown;
  try {
    data = parseJsonStrict(await readText(path, 'license data'));
  } catch (error) {
    if (isElicenseError(error)) throw new UsageError(`${path} is not valid JSON: ${error.message}`);
    throw error;
  }
  if (!isJsonObject(data) || !isJsonObject(data.holder) || !isJsonObject(data.fields)) {
    throw new UsageError(`${path} must be { "holder": { "name", "code" }, "fields": { … } } (see elicense issue --sample <type>)`);
  }
  return { holder: data.holder as unknown as LicenseInput['holder'], fields: data.fields };
}

/** A signer whose certificate names the organisation the license names as its issuer (else verify fails trust.issuer-bound). */
async function loadSigner(keyPath: string, certPath: string, passphraseEnv: string | undefined, option: string): Promise<{ signer: Signer; leaf: CertificateInfo }> {
  const chain = await loadCertificates(certPath);
  const key = await loadPrivateKey(keyPath, passphraseEnv, option);
  const leaf = chain[0]!;
  assertKeyMatchesCertificate(key, leaf, keyPath, certPath);
  return { signer: createSigner(key, chain.map((c) => c.der)), leaf };
}

function statusEntries(base: string | undefined, index: string | undefined): LicenseStatusInput[] | undefined {
  if (base === undefined && index === undefined) return undefined;
  if (base === undefined || index === undefined) throw new UsageError('--status-url-base and --status-index go together');
  const statusListIndex = integerOption(index, '--status-index', 0, 2 ** 31 - 1);
  const trimmed = base.replace(/\/+$/, '');
  return (['revocation', 'suspension'] as const).map((purpose) => ({
    statusPurpose: purpose,
    statusListIndex,
    statusListCredential: `${trimmed}/${purpose}`,
  }));
}

function licenseNumber(type: LicenseType, fields: Record<string, unknown>, number: string | undefined): string {
  if (number !== undefined) return number;
  const field = type.linkedFields?.number;
  const value = field === undefined ? undefined : fields[field];
  if (typeof value === 'string') return value;
  throw new UsageError(`--number is needed: ${field === undefined ? `${type.name} has no 证照编号 field` : `data.json has no fields.${field}`}`);
}

function versionOf(flags: IssueFlags): number | undefined {
  if (flags.version !== undefined) return integerOption(flags.version, '--version', 1, 999);
  if (flags.previous === undefined) return undefined;
  try {
    return parseIdentifier(flags.previous).version + 1;
  } catch (error) {
    if (isElicenseError(error)) throw new UsageError(`--previous "${flags.previous}" is not a license identifier: ${error.message}`);
    throw error;
  }
}

export function issueCommand(): Command {
  return new Command('issue')
    .description('build a license from data.json and sign it (ES256, EdDSA, PS256 or SM2; or dual-signed with SM2)')
    .option('--sample <type>', "print the type's sample data.json on stdout and exit")
    .option('--type <code|name>', 'license type: its code or Chinese name (elicense types lists them)')
    .option('--data <data.json>', '{ "holder": { "name", "code" }, "fields": { … } }')
    .option('--key <key.pem>', "the issuing office's signing key")
    .option('--cert <chain.pem>', 'its certificate, then the issuing CA (leaf first); goes into x5c')
    .option('--passphrase-env <VAR>', 'environment variable holding the passphrase of --key')
    .option('--sm2-key <key.pem>', 'also sign with this SM2 key (general JSON with two signatures)')
    .option('--sm2-cert <chain.pem>', "the SM2 key's certificate chain")
    .option('--sm2-passphrase-env <VAR>', 'environment variable holding the passphrase of --sm2-key')
    .option('--issuer-name <name>', "颁证机构 (default: the signing certificate's O)")
    .option('--issuer-code <uscc>', "颁证机构代码 (default: the signing certificate's; must equal it)")
    .option('--serial <serial>', '流水号 in the identifier: 1 to 32 of [0-9A-Z], unique per issuer and type')
    .option('--number <number>', "证照编号 (default: the type's number field in data.json)")
    .option('--valid-from <time>', '有效期起始: YYYY-MM-DD or ISO 8601 (default: today)')
    .option('--valid-until <time>', `有效期截止: YYYY-MM-DD, ISO 8601 or ${LONG_TERM} (default: from the type's validity rule)`)
    .option('--status-url-base <url>', 'status lists: the license points at <url>/revocation and <url>/suspension')
    .option('--status-index <n>', "the license's index in those status lists")
    .option('--previous <identifier>', 'the identifier of the version this one supersedes (renewal or change)')
    .option('--version <n>', 'version number (default: 1, or the previous version + 1)')
    .option('--out <license.jws>', 'where to write the signed license')
    .option('--pdf <license.pdf>', 'also write the PDF form: rendered, sealed and certified with --key (PAdES)')
    .option('--qr-url <url>', "the verification page the PDF's QR code points at (?id=<identifier> is added)", 'https://verify.elicense.example/v1')
    .option('--tsa <url>', 'RFC 3161 time-stamping authority for the PDF signature (PAdES B-T)')
    .option('--lta', 'with --tsa and --crl: add the chain and CRLs (DSS) and a document timestamp (PAdES B-LTA)')
    .option('--crl <file>', 'a CRL (PEM or DER) for the DSS; repeat for each CA on the chain', collect, [])
    .option('--dss-cert <file>', 'more certificates for the DSS, e.g. the root CA; repeatable', collect, [])
    .addHelpText(
      'after',
      `
Bad data exits 2 naming the field, e.g. "field fields.统一社会信用代码: must match pattern …".

Examples:
  $ elicense issue --sample 营业执照 > data.json
  $ elicense issue --type 营业执照 --data data.json --key issuer.key.pem --cert issuer-chain.pem --serial 2026000001 --out license.jws
  $ elicense issue --type 营业执照 --data data.json --key es.key.pem --cert es-chain.pem --sm2-key sm2.key.pem --sm2-cert sm2-chain.pem \\
      --serial 2026000001 --status-url-base https://status.example.gov.cn/11100000MB0143028R001 --status-index 17 --out license.json
  $ elicense issue --type 营业执照 --data data.json --key issuer.key.pem --cert issuer-chain.pem --serial 2026000001 \\
      --out license.jws --pdf license.pdf --tsa http://127.0.0.1:3161 --lta --crl ca.crl.pem --crl root.crl.pem --dss-cert root.cert.pem
  $ elicense issue --type 营业执照 --data changed.json --key issuer.key.pem --cert issuer-chain.pem --serial 2026000001 \\
      --previous 1.2.156.3005.2.11100000MB0143028R001.11220000013544541J.2026000001.001.X --out license-v2.jws`,
    )
    .action(async (flags: IssueFlags) => {
      if (flags.sample !== undefined) {
        process.stdout.write(`${JSON.stringify(sampleData(findLicenseType(flags.sample)), null, 2)}\n`);
        return;
      }
      required(flags, ['type', 'data', 'key', 'cert', 'serial', 'out']);
      if ((flags.sm2Key === undefined) !== (flags.sm2Cert === undefined)) throw new UsageError('--sm2-key and --sm2-cert go together');
      if (flags.pdf === undefined && (flags.tsa !== undefined || flags.lta || flags.crl.length > 0)) throw new UsageError('--tsa, --lta and --crl are for the PDF: add --pdf <file>');
      if (flags.lta && (flags.tsa === undefined || flags.crl.length === 0)) throw new UsageError('--lta needs --tsa (for the document timestamp) and --crl (revocation data for the DSS)');
      const type = findLicenseType(flags.type!);
      const data = await readData(flags.data!);
      const credentialStatus = statusEntries(flags.statusUrlBase, flags.statusIndex);
      const version = versionOf(flags);

      const main = await loadSigner(flags.key!, flags.cert!, flags.passphraseEnv, '--passphrase-env');
      const signers = [main];
      if (flags.sm2Key !== undefined) {
        const sm2 = await loadSigner(flags.sm2Key, flags.sm2Cert!, flags.sm2PassphraseEnv, '--sm2-passphrase-env');
        if (sm2.signer.alg !== 'SM2SM3') throw new UsageError(`--sm2-key ${flags.sm2Key} is a ${sm2.signer.alg} key, not SM2`);
        if (main.signer.alg === 'SM2SM3') throw new UsageError('--key is already an SM2 key: --sm2-key adds an SM2 signature to an ES256, EdDSA or PS256 one');
        signers.push(sm2);
      }
      const issuerCode = flags.issuerCode ?? main.leaf.organizationCode;
      for (const { leaf } of signers) {
        if (leaf.organizationCode === undefined) throw new UsageError(`the signing certificate ${leaf.subject} names no organisation code: verifiers would refuse the license`);
        if (leaf.organizationCode !== issuerCode) {
          throw new UsageError(`--issuer-code ${issuerCode} is not the signing certificate's organisation ${leaf.organizationCode}: verifiers would refuse the license`);
        }
      }
      const issuerName = flags.issuerName ?? main.leaf.organizationName;
      if (issuerName === undefined) throw new UsageError('--issuer-name is needed: the signing certificate names no organisation (O)');

      let credential;
      try {
        credential = buildLicenseCredential(
          {
            typeCode: type.code,
            issuer: { name: issuerName, code: issuerCode! },
            holder: data.holder,
            number: licenseNumber(type, data.fields, flags.number),
            serial: flags.serial!,
            ...(version === undefined ? {} : { version }),
            issuedDate: new Date(),
            validFrom: flags.validFrom ?? new Date(),
            ...(flags.validUntil === undefined ? {} : { validUntil: flags.validUntil }),
            fields: data.fields,
            ...(flags.previous === undefined ? {} : { previousIdentifier: flags.previous }),
            ...(credentialStatus === undefined ? {} : { credentialStatus }),
          },
          defaultLicenseTypeRegistry,
        );
      } catch (error) {
        if (!isElicenseError(error)) throw error;
        const problems = error instanceof LicenseSchemaError ? error.problems : [{ field: error.field, message: error.message }];
        for (const problem of problems) process.stderr.write(`elicense: ${fieldLine(problem.field, problem.message)}\n`);
        process.exitCode = EXIT.usage;
        return;
      }
      const content =
        signers.length === 1
          ? `${await signLicenseCompact(credential, main.signer)}\n`
          : `${JSON.stringify(await signLicenseMulti(credential, signers.map((s) => s.signer)), null, 2)}\n`;
      await writeOutput(flags.out!, content);
      const pdfLevel =
        flags.pdf === undefined
          ? undefined
          : await writeLicensePdf({
              out: flags.pdf,
              credential,
              type,
              signedJson: content.trim(),
              signer: main.signer,
              qrUrl: flags.qrUrl,
              ...(flags.tsa === undefined ? {} : { tsa: flags.tsa }),
              lta: flags.lta === true,
              crlFiles: flags.crl,
              dssCertificateFiles: flags.dssCert,
            });
      const subject = credential.credentialSubject;
      process.stdout.write(
        `${subject.certificateIdentifier}\n` +
          `${subject.certificateName} ${subject.certificateNumber}  ${subject.certificateHolderName}  ` +
          `signed ${signers.map((s) => s.signer.alg).join(' + ')}, written to ${flags.out}\n` +
          (pdfLevel === undefined ? '' : `PDF (${pdfLevel}, ${main.signer.alg}) written to ${flags.pdf}\n`),
      );
    });
}
