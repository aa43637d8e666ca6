/**
 * `elicense inspect`: tells what a file is from its bytes — a license JWS, a trust list, a status list,
 * certificates, a CRL — and shows what it says, WITHOUT verifying anything (the output says so).
 * Everything shown comes from hostile input: values are printed as found, never trusted.
 */
import { Command } from 'commander';
import {
  decodeStatusBitstring,
  detectFormat,
  fromBase64,
  fromUtf8,
  getStatusBit,
  isElicenseError,
  isJsonObject,
  looksLikePem,
  parseCertificate,
  parseCrl,
  parseJsonStrict,
  parseJws,
  parsePem,
  readTrustListContent,
  summarizeLicense,
  TRUST_LIST_TYPE,
  type CertificateInfo,
  type CertificateListInfo,
  type ParsedJws,
} from '@elicense/core';
import { UsageError } from '../errors.js';
import { readInput } from '../io.js';
import { formatInspection, inspectionData, type InspectedSignature, type Inspection } from '../output/inspect.js';

const PRIVATE_KEY_LABELS = ['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY'];

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function inspectSignatures(jws: ParsedJws): InspectedSignature[] {
  return jws.signatures.map((signature) => {
    const header = signature.protectedHeader;
    const x5c = isJsonObject(header) && Array.isArray(header.x5c) ? header.x5c : [];
    const certificates = x5c.map((entry: unknown) => {
      try {
        const info = parseCertificate(fromBase64(String(entry), 'x5c'));
        return { subject: info.subject, issuer: info.issuer };
      } catch (error) {
        return { unreadable: message(error) };
      }
    });
    const shown = isJsonObject(header) ? Object.fromEntries(Object.entries(header).filter(([name]) => name !== 'x5c')) : header;
    return { protectedHeader: shown, ...(signature.unprotectedHeader === undefined ? {} : { unprotectedHeader: signature.unprotectedHeader }), certificates };
  });
}

async function inspectStatusList(form: string, signatures: InspectedSignature[], credential: Record<string, unknown>): Promise<Inspection> {
  const subject = isJsonObject(credential.credentialSubject) ? credential.credentialSubject : {};
  const base = {
    kind: 'status-list' as const,
    form,
    signatures,
    id: credential.id,
    issuer: credential.issuer,
    purpose: subject.statusPurpose,
    validFrom: credential.validFrom,
    validUntil: credential.validUntil,
  };
  if (typeof subject.encodedList !== 'string') return { ...base, problem: 'no encodedList' };
  let bits: Uint8Array;
  try {
    bits = await decodeStatusBitstring(subject.encodedList);
  } catch (error) {
    return { ...base, problem: `encodedList: ${message(error)}` };
  }
  const setIndexes: number[] = [];
  for (let byte = 0; byte < bits.length; byte++) {
    if (bits[byte] === 0) continue;
    for (let bit = 0; bit < 8; bit++) if (getStatusBit(bits, byte * 8 + bit)) setIndexes.push(byte * 8 + bit);
  }
  return { ...base, size: bits.length * 8, setIndexes };
}

async function inspectJws(bytes: Uint8Array, file: string): Promise<Inspection> {
  let jws: ParsedJws;
  let payloadBytes: Uint8Array;
  try {
    jws = parseJws(bytes);
    payloadBytes = jws.payload;
  } catch (error) {
    throw new UsageError(`${file} looks like JSON or a JWS but is not a JWS: ${message(error)}`);
  }
  const signatures = inspectSignatures(jws);
  let payload: unknown;
  try {
    payload = parseJsonStrict(fromUtf8(payloadBytes), { maxLength: 32 << 20 });
  } catch (error) {
    return { kind: 'jws', form: jws.form, signatures, problem: `the payload is not JSON: ${message(error)}` };
  }
  const types = isJsonObject(payload) && Array.isArray(payload.type) ? payload.type : [];
  const isTrustList = signatures.some((s) => isJsonObject(s.protectedHeader) && s.protectedHeader.typ === TRUST_LIST_TYPE);
  if (isTrustList) {
    try {
      return { kind: 'trust-list', form: jws.form, signatures, content: readTrustListContent(payload) };
    } catch (error) {
      return { kind: 'trust-list', form: jws.form, signatures, problem: message(error) };
    }
  }
  if (!isJsonObject(payload)) return { kind: 'jws', form: jws.form, signatures, problem: 'the payload is not a JSON object' };
  if (types.includes('BitstringStatusListCredential')) return inspectStatusList(jws.form, signatures, payload);
  if (types.includes('ElectronicLicense') || isJsonObject(payload.credentialSubject)) {
    const subject = isJsonObject(payload.credentialSubject) ? payload.credentialSubject : {};
    const status = Array.isArray(payload.credentialStatus) ? payload.credentialStatus : payload.credentialStatus === undefined ? [] : [payload.credentialStatus];
    return {
      kind: 'license',
      form: jws.form,
      signatures,
      license: summarizeLicense(payload),
      ...(typeof subject.previousIdentifier === 'string' ? { previousIdentifier: subject.previousIdentifier } : {}),
      status: status.map((entry: unknown) => {
        const e = isJsonObject(entry) ? entry : {};
        return { purpose: e.statusPurpose, index: e.statusListIndex, list: e.statusListCredential };
      }),
    };
  }
  return { kind: 'jws', form: jws.form, signatures, problem: `a JWS whose payload is neither a license, a trust list nor a status list (type ${JSON.stringify(payload.type)})` };
}

function inspectPem(text: string, file: string): Inspection {
  const blocks = parsePem(text);
  const labels = blocks.map((b) => b.label);
  if (labels.some((label) => PRIVATE_KEY_LABELS.includes(label))) return { kind: 'private-key', labels };
  try {
    const certificates = blocks.filter((b) => b.label === 'CERTIFICATE').map((b) => parseCertificate(b.der));
    if (certificates.length > 0) return { kind: 'certificates', certificates };
    const crls = blocks.filter((b) => b.label === 'X509 CRL').map((b) => parseCrl(b.der));
    if (crls.length > 0) return { kind: 'crl', crls };
  } catch (error) {
    if (isElicenseError(error)) throw new UsageError(`${file}: ${error.message} (${error.code})`);
    throw error;
  }
  throw new UsageError(`${file} holds PEM blocks elicense does not read (${labels.join(', ') || 'none'})`);
}

function inspectDer(bytes: Uint8Array, file: string): Inspection {
  let certificate: CertificateInfo | undefined;
  let crl: CertificateListInfo | undefined;
  try {
    certificate = parseCertificate(bytes);
  } catch {
    try {
      crl = parseCrl(bytes);
    } catch {
      // Neither; said below.
    }
  }
  if (certificate) return { kind: 'certificates', certificates: [certificate] };
  if (crl) return { kind: 'crl', crls: [crl] };
  throw new UsageError(`${file} is DER data but neither a certificate nor a CRL (seal files are not read yet)`);
}

async function inspect(bytes: Uint8Array, file: string): Promise<Inspection> {
  if (looksLikePem(bytes)) return inspectPem(new TextDecoder().decode(bytes), file);
  const format = detectFormat(bytes);
  switch (format) {
    case 'jws':
      return inspectJws(bytes, file);
    case 'ses':
      return inspectDer(bytes, file);
    case 'unknown':
      throw new UsageError(`cannot tell what ${file} is: not a JWS, PEM or DER`);
    default:
      throw new UsageError(`${file} is a ${format.toUpperCase()} file: inspect does not read ${format.toUpperCase()} files yet`);
  }
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('show what a file is and what it says — license, trust list, status list, certificate, CRL — without verifying it')
    .argument('<file>', 'the file; its kind is read from the bytes')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
Nothing is verified: use elicense verify for a license and elicense trust-list show for a trust list.

Examples:
  $ elicense inspect license.jws
  $ elicense inspect trust-list.json --json
  $ elicense inspect revocation.jws
  $ elicense inspect issuer-chain.pem`,
    )
    .action(async (file: string, flags: { json?: boolean }) => {
      const inspection = await inspect(await readInput(file), file);
      process.stdout.write(flags.json ? `${JSON.stringify(inspectionData(inspection, file), null, 2)}\n` : `${formatInspection(inspection, file)}\n`);
    });
}
