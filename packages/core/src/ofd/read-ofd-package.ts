/**
 * Reads the signature structure of an OFD package (GB/T 33190 §18, STANDARDS-CN.md §1.7): OFD.xml →
 * each DocBody's Signatures.xml → each Signature.xml, with its references, seal and signed value. It
 * verifies nothing; a signature whose files cannot be read is kept with the reason, so the report can
 * say which one is broken while the others are still judged.
 */
import { ElicenseError } from '../errors.js';
import { fromBase64 } from '../bytes.js';
import { resolveLocation } from './package-path.js';
import { childNamed, childrenNamed, parseXml, type XmlElement } from './xml.js';
import { openZip, type ZipArchive } from './zip.js';

/** More signatures than any real document carries; each costs several signature verifications. */
export const MAX_OFD_SIGNATURES = 100;
const MAX_REFERENCES = 10_000;

export type OfdSignatureType = 'Seal' | 'Sign';

export interface OfdReference {
  /** FileRef as written. */
  readonly fileRef: string;
  /** The package file it names; undefined when the location is unusable. */
  readonly path?: string;
  /** The decoded CheckValue; undefined when missing or not base64. */
  readonly checkValue?: Uint8Array;
}

export interface OfdStampAnnot {
  readonly id?: string;
  readonly pageRef?: string;
  readonly boundary?: string;
}

export interface OfdSignatureFiles {
  /** The Signature.xml bytes exactly as stored: what dataHash covers. */
  readonly signatureXml: Uint8Array;
  readonly signatureMethod?: string;
  readonly signatureDateTime?: string;
  readonly provider?: string;
  /** As written: an OID ("1.2.156.10197.1.401") or a name ("SM3"); SM3 when absent. */
  readonly checkMethod: string;
  readonly references: readonly OfdReference[];
  readonly stampAnnots: readonly OfdStampAnnot[];
  /** Seal.esl, when the signature names one. */
  readonly sealFile?: string;
  readonly signedValueFile: string;
}

export interface OfdSignatureEntry {
  /** Position in the package, from 0, across all documents. */
  readonly index: number;
  readonly id: string;
  readonly type: OfdSignatureType;
  /** The Signature.xml path, when its location is usable. */
  readonly signatureFile?: string;
  readonly files?: OfdSignatureFiles;
  /** Why the signature's own files could not be read. */
  readonly problem?: string;
}

export interface OfdPackage {
  readonly archive: ZipArchive;
  /** Each DocBody's DocRoot and its Signatures.xml, when it has one. */
  readonly documents: readonly { readonly docRoot?: string; readonly signaturesFile?: string }[];
  readonly signatures: readonly OfdSignatureEntry[];
}

function invalid(message: string, field: string): ElicenseError {
  return new ElicenseError('ERR_INVALID_INPUT', message, { field });
}

function readXml(archive: ZipArchive, file: string): XmlElement {
  if (!archive.has(file)) throw invalid(`the package has no ${file}`, file);
  return parseXml(archive.read(file), file);
}

function textOf(element: XmlElement | undefined): string | undefined {
  const text = element?.text.trim();
  return text === undefined || text === '' ? undefined : text;
}

function expectRoot(element: XmlElement, name: string, file: string): void {
  if (element.name !== name) throw invalid(`${file}: the root element is <${element.name}>, not <${name}>`, file);
}

function readReference(element: XmlElement, file: string): OfdReference {
  const fileRef = element.attributes.get('FileRef') ?? '';
  let path: string | undefined;
  try {
    path = resolveLocation(file, fileRef);
  } catch {
    path = undefined;
  }
  let checkValue: Uint8Array | undefined;
  const encoded = textOf(childNamed(element, 'CheckValue', file));
  if (encoded !== undefined) {
    try {
      checkValue = fromBase64(encoded, 'CheckValue');
    } catch {
      checkValue = undefined;
    }
  }
  return { fileRef, ...(path === undefined ? {} : { path }), ...(checkValue === undefined ? {} : { checkValue }) };
}

function readProvider(element: XmlElement | undefined, file: string): string | undefined {
  if (!element) return undefined;
  // Attributes in most files; child elements in some (dms360).
  const part = (name: string) => element.attributes.get(name) ?? textOf(childNamed(element, name, file));
  const parts = [part('ProviderName'), part('Company'), part('Version')].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(' / ') : undefined;
}

export function readSignatureFile(archive: ZipArchive, file: string): OfdSignatureFiles {
  const signatureXml = archive.has(file) ? archive.read(file) : undefined;
  if (!signatureXml) throw invalid(`the package has no ${file}`, file);
  const root = parseXml(signatureXml, file);
  expectRoot(root, 'Signature', file);
  const signedInfo = childNamed(root, 'SignedInfo', file);
  if (!signedInfo) throw invalid(`${file}: no <SignedInfo>`, file);
  const signedValue = textOf(childNamed(root, 'SignedValue', file));
  if (!signedValue) throw invalid(`${file}: no <SignedValue>`, file);
  const referencesElement = childNamed(signedInfo, 'References', file);
  if (!referencesElement) throw invalid(`${file}: no <References>`, file);
  const referenceElements = childrenNamed(referencesElement, 'Reference');
  if (referenceElements.length > MAX_REFERENCES) throw new ElicenseError('ERR_INPUT_TOO_LARGE', `${file}: more than ${MAX_REFERENCES} references`, { field: file });
  const sealElement = childNamed(signedInfo, 'Seal', file);
  const sealLocation = sealElement ? textOf(childNamed(sealElement, 'BaseLoc', file)) : undefined;
  const signatureMethod = textOf(childNamed(signedInfo, 'SignatureMethod', file));
  const signatureDateTime = textOf(childNamed(signedInfo, 'SignatureDateTime', file));
  const provider = readProvider(childNamed(signedInfo, 'Provider', file), file);
  return {
    signatureXml,
    ...(signatureMethod === undefined ? {} : { signatureMethod }),
    ...(signatureDateTime === undefined ? {} : { signatureDateTime }),
    ...(provider === undefined ? {} : { provider }),
    checkMethod: referencesElement.attributes.get('CheckMethod')?.trim() || 'SM3',
    references: referenceElements.map((element) => readReference(element, file)),
    stampAnnots: childrenNamed(signedInfo, 'StampAnnot').map((a) => {
      const id = a.attributes.get('ID');
      const pageRef = a.attributes.get('PageRef');
      const boundary = a.attributes.get('Boundary');
      return { ...(id === undefined ? {} : { id }), ...(pageRef === undefined ? {} : { pageRef }), ...(boundary === undefined ? {} : { boundary }) };
    }),
    ...(sealLocation === undefined ? {} : { sealFile: resolveLocation(file, sealLocation) }),
    signedValueFile: resolveLocation(file, signedValue),
  };
}

function readSignatureEntries(archive: ZipArchive, signaturesFile: string, firstIndex: number): OfdSignatureEntry[] {
  const root = readXml(archive, signaturesFile);
  expectRoot(root, 'Signatures', signaturesFile);
  const listed = childrenNamed(root, 'Signature');
  if (firstIndex + listed.length > MAX_OFD_SIGNATURES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `the package lists more than ${MAX_OFD_SIGNATURES} signatures`, { field: signaturesFile });
  }
  const seen = new Set<string>();
  return listed.map((element, i): OfdSignatureEntry => {
    const index = firstIndex + i;
    const id = element.attributes.get('ID') ?? '';
    const typeAttribute = element.attributes.get('Type') ?? 'Seal';
    const type: OfdSignatureType = typeAttribute === 'Sign' ? 'Sign' : 'Seal';
    const head = { index, id, type };
    if (typeAttribute !== 'Seal' && typeAttribute !== 'Sign') return { ...head, problem: `unknown signature Type "${typeAttribute}"` };
    let signatureFile: string;
    try {
      signatureFile = resolveLocation(signaturesFile, element.attributes.get('BaseLoc') ?? '');
    } catch (error) {
      return { ...head, problem: error instanceof Error ? error.message : String(error) };
    }
    if (seen.has(signatureFile)) return { ...head, signatureFile, problem: `${signatureFile} is listed twice in ${signaturesFile}` };
    seen.add(signatureFile);
    try {
      return { ...head, signatureFile, files: readSignatureFile(archive, signatureFile) };
    } catch (error) {
      if (error instanceof ElicenseError && error.code === 'ERR_INPUT_TOO_LARGE') throw error;
      return { ...head, signatureFile, problem: error instanceof Error ? error.message : String(error) };
    }
  });
}

/** Opens the zip and reads the signature structure. Throws ElicenseError when the package itself is unreadable. */
export function readOfdPackage(bytes: Uint8Array): OfdPackage {
  const archive = openZip(bytes);
  const root = readXml(archive, 'OFD.xml');
  expectRoot(root, 'OFD', 'OFD.xml');
  const bodies = childrenNamed(root, 'DocBody');
  if (bodies.length === 0) throw invalid('OFD.xml has no <DocBody>', 'OFD.xml');
  const documents: { docRoot?: string; signaturesFile?: string }[] = [];
  const signatures: OfdSignatureEntry[] = [];
  for (const body of bodies) {
    const docRootLocation = textOf(childNamed(body, 'DocRoot', 'OFD.xml'));
    const signaturesLocation = textOf(childNamed(body, 'Signatures', 'OFD.xml'));
    const docRoot = docRootLocation === undefined ? undefined : resolveLocation('OFD.xml', docRootLocation);
    const signaturesFile = signaturesLocation === undefined ? undefined : resolveLocation('OFD.xml', signaturesLocation);
    documents.push({ ...(docRoot === undefined ? {} : { docRoot }), ...(signaturesFile === undefined ? {} : { signaturesFile }) });
    if (signaturesFile !== undefined) signatures.push(...readSignatureEntries(archive, signaturesFile, signatures.length));
  }
  return { archive, documents, signatures };
}
