/**
 * A bounded XML reader for the small OFD control files (OFD.xml, Signatures.xml, Signature.xml): saxes
 * parses (strict, well-formedness checked), this module refuses DTDs outright (so no entity can expand)
 * and caps size, depth and element count, and builds a small element tree. Names are compared without
 * their prefix: real files use `ofd:` and no prefix, and two namespace URIs, for the same elements.
 */
import { SaxesParser } from 'saxes';
import { ElicenseError } from '../errors.js';

export interface XmlElement {
  /** Local name, prefix removed. */
  readonly name: string;
  /** Attributes by local name. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The element's own text, concatenated (whitespace kept). */
  readonly text: string;
}

export interface XmlLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxElements: number;
}

export const OFD_XML_LIMITS: XmlLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 64, maxElements: 100_000 };

interface Building {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  text: string;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

/** The XML declaration's encoding; OFD is UTF-8, a few Chinese tools declare GB18030/GBK. */
function decode(bytes: Uint8Array, file: string): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^(?:\uFEFF|\u00EF\u00BB\u00BF)?<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(declared, { fatal: true, ignoreBOM: false });
  } catch {
    throw new ElicenseError('ERR_INVALID_INPUT', `${file}: unsupported XML encoding ${declared}`, { field: file });
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new ElicenseError('ERR_INVALID_INPUT', `${file}: the bytes are not valid ${declared}`, { field: file });
  }
}

export function parseXml(bytes: Uint8Array, file: string, limits: XmlLimits = OFD_XML_LIMITS): XmlElement {
  if (bytes.length > limits.maxBytes) throw new ElicenseError('ERR_INPUT_TOO_LARGE', `${file} is larger than ${limits.maxBytes} bytes`, { field: file });
  const text = decode(bytes, file);
  const fail = (message: string, code: 'ERR_INVALID_INPUT' | 'ERR_INPUT_TOO_LARGE' = 'ERR_INVALID_INPUT') =>
    new ElicenseError(code, `${file}: ${message}`, { field: file });

  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  let elements = 0;
  parser.on('doctype', () => {
    throw fail('a DOCTYPE is not allowed in OFD files');
  });
  parser.on('opentag', (tag) => {
    if (++elements > limits.maxElements) throw fail(`more than ${limits.maxElements} elements`, 'ERR_INPUT_TOO_LARGE');
    if (stack.length >= limits.maxDepth) throw fail(`elements nested deeper than ${limits.maxDepth}`, 'ERR_INPUT_TOO_LARGE');
    const attributes = new Map<string, string>();
    for (const [name, value] of Object.entries(tag.attributes)) {
      if (!name.startsWith('xmlns')) attributes.set(localName(name), value);
    }
    stack.push({ name: localName(tag.name), attributes, children: [], text: '' });
  });
  parser.on('text', (chunk) => {
    const top = stack[stack.length - 1];
    if (top) top.text += chunk;
  });
  parser.on('cdata', (chunk) => {
    const top = stack[stack.length - 1];
    if (top) top.text += chunk;
  });
  parser.on('closetag', () => {
    const done = stack.pop();
    if (!done) return;
    const element: XmlElement = done;
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
  });
  parser.on('error', (error) => {
    throw fail(`not well-formed XML: ${error.message}`);
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof ElicenseError) throw error;
    throw fail(`not well-formed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!root) throw fail('no root element');
  return root;
}

/** Child elements with the given local name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The one child with that name; undefined when absent, an error when repeated. */
export function childNamed(element: XmlElement, name: string, file: string): XmlElement | undefined {
  const found = childrenNamed(element, name);
  if (found.length > 1) throw new ElicenseError('ERR_INVALID_INPUT', `${file}: <${element.name}> has ${found.length} <${name}> elements`, { field: file });
  return found[0];
}
