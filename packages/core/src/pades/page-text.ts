/**
 * The text a PDF page shows, as Unicode, read from its content stream through each font's /ToUnicode
 * CMap: enough to confirm that the page presents the license the PDF carries. Text operators only
 * (Tj, TJ, ' and "); positions are ignored, so words come out in drawing order.
 */
import { nameOf, PdfStream, type PdfObject, type RevisionView } from '../pdf/parse/index.js';
import { Lexer, type Token } from '../pdf/parse/lexer.js';

const MAX_CONTENT_BYTES = 8 << 20;
const MAX_TEXT_CHARS = 1 << 20;

async function streamData(view: RevisionView, value: PdfObject | undefined): Promise<Uint8Array | undefined> {
  const stream = view.resolve(value);
  if (!(stream instanceof PdfStream)) return undefined;
  const decoded = await view.decode(stream);
  return decoded.decoded && decoded.data.length <= MAX_CONTENT_BYTES ? decoded.data : undefined;
}

function hexValue(token: Token): number | undefined {
  if (token.type !== 'string') return undefined;
  let value = 0;
  for (const byte of token.bytes) value = value * 256 + byte;
  return value;
}

function utf16(token: Token): string {
  if (token.type !== 'string') return '';
  let text = '';
  for (let i = 0; i + 1 < token.bytes.length; i += 2) text += String.fromCharCode((token.bytes[i]! << 8) | token.bytes[i + 1]!);
  return text;
}

function isDelim(token: Token, value: string): boolean {
  return token.type === 'delim' && token.value === value;
}

/** A /ToUnicode CMap's bfchar and bfrange entries (the forms PDF writers use). */
function parseToUnicode(data: Uint8Array, view: RevisionView): Map<number, string> {
  const map = new Map<number, string>();
  const lexer = new Lexer(data, view.doc.budget);
  const tokens: Token[] = [];
  for (let token = lexer.next(); token.type !== 'eof'; token = lexer.next()) tokens.push(token);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type !== 'keyword') continue;
    if (token.value === 'beginbfchar') {
      for (i++; i + 1 < tokens.length && !(tokens[i]!.type === 'keyword'); i += 2) {
        const code = hexValue(tokens[i]!);
        if (code !== undefined) map.set(code, utf16(tokens[i + 1]!));
      }
    } else if (token.value === 'beginbfrange') {
      for (i++; i + 2 < tokens.length && !(tokens[i]!.type === 'keyword'); i += 3) {
        const low = hexValue(tokens[i]!);
        const high = hexValue(tokens[i + 1]!);
        const target = tokens[i + 2]!;
        if (low === undefined || high === undefined || high - low > 0xffff) continue;
        if (target.type === 'string') {
          const first = utf16(target);
          for (let code = low; code <= high; code++) {
            map.set(code, first.slice(0, -1) + String.fromCharCode(first.charCodeAt(first.length - 1) + code - low));
          }
        }
        // An array of targets ([<..> <..>]) spans several tokens; skip to its end.
        if (isDelim(target, '[')) while (i + 3 < tokens.length && !isDelim(tokens[i + 3]!, ']')) i++;
      }
    }
  }
  return map;
}

interface FontDecoder {
  readonly bytesPerCode: 1 | 2;
  readonly map: Map<number, string>;
}

async function fontDecoders(view: RevisionView, page: ReturnType<RevisionView['dict']>): Promise<Map<string, FontDecoder>> {
  const decoders = new Map<string, FontDecoder>();
  const fonts = view.dict(view.dict(page?.get('Resources'))?.get('Font'));
  for (const [name, value] of fonts?.entries ?? []) {
    const font = view.dict(value);
    const data = await streamData(view, font?.get('ToUnicode'));
    if (!font || !data) continue;
    const type0 = nameOf(view.resolve(font.get('Subtype'))) === 'Type0';
    decoders.set(name, { bytesPerCode: type0 ? 2 : 1, map: parseToUnicode(data, view) });
  }
  return decoders;
}

function decodeShown(bytes: Uint8Array, decoder: FontDecoder | undefined): string {
  if (!decoder) return '';
  let text = '';
  for (let i = 0; i + decoder.bytesPerCode <= bytes.length; i += decoder.bytesPerCode) {
    const code = decoder.bytesPerCode === 2 ? (bytes[i]! << 8) | bytes[i + 1]! : bytes[i]!;
    text += decoder.map.get(code) ?? '';
  }
  return text;
}

const WHITESPACE_OR_DELIMITER = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

/** Where each `BT` operator starts: text is only ever shown inside BT … ET (ISO 32000-1 §9.4). */
function textObjectStarts(data: Uint8Array): number[] {
  const starts: number[] = [];
  for (let i = data.indexOf(0x42); i >= 0 && i + 1 < data.length; i = data.indexOf(0x42, i + 1)) {
    if (data[i + 1] !== 0x54) continue;
    const before = i === 0 || WHITESPACE_OR_DELIMITER.has(data[i - 1]!);
    const after = i + 2 >= data.length || WHITESPACE_OR_DELIMITER.has(data[i + 2]!);
    if (before && after) starts.push(i);
  }
  return starts;
}

/** Font selections (`/F1 12 Tf`) by position, for text objects that inherit the font set before them. */
function fontSelections(data: Uint8Array): { at: number; name: string }[] {
  const text = new TextDecoder('latin1').decode(data);
  return [...text.matchAll(/\/([^\s/[\]()<>{}%]+)\s+[-+.\d]+\s+Tf(?![^\s/[\]()<>{}%])/g)].map((m) => ({ at: m.index, name: m[1]! }));
}

/**
 * The text of page `index` of a revision; undefined when the page or its content cannot be read. Only
 * the text objects are tokenised: the rest of a page (the border, the QR code's thousands of modules) is
 * skipped by a byte scan.
 */
export async function pageText(view: RevisionView, index = 0): Promise<string | undefined> {
  const page = view.pages[index]?.dict;
  if (!page) return undefined;
  const contents = view.resolve(page.get('Contents'));
  const parts = Array.isArray(contents) ? contents : [page.get('Contents')];
  const decoders = await fontDecoders(view, page);
  let text = '';
  let font: FontDecoder | undefined;
  for (const part of parts) {
    const data = await streamData(view, part);
    if (!data) return undefined;
    const selections = fontSelections(data);
    let nextSelection = 0;
    for (const start of textObjectStarts(data)) {
      while (nextSelection < selections.length && selections[nextSelection]!.at < start) font = decoders.get(selections[nextSelection++]!.name);
      const lexer = new Lexer(data, view.doc.budget, start + 2);
      const operands: Token[] = [];
      for (let token = lexer.next(); token.type !== 'eof'; token = lexer.next()) {
        if (token.type !== 'keyword') {
          operands.push(token);
          if (operands.length > 4096) operands.splice(0, operands.length - 64);
          continue;
        }
        if (token.value === 'ET') break;
        if (token.value === 'Tf') {
          const name = operands[operands.length - 2];
          font = name?.type === 'name' ? decoders.get(name.value) : undefined;
        } else if (token.value === 'Tj' || token.value === "'" || token.value === '"') {
          const shown = operands[operands.length - 1];
          if (shown?.type === 'string') text += decodeShown(shown.bytes, font);
          text += '\n';
        } else if (token.value === 'TJ') {
          for (const operand of operands) if (operand.type === 'string') text += decodeShown(operand.bytes, font);
          text += '\n';
        }
        operands.length = 0;
        if (text.length > MAX_TEXT_CHARS) return text;
      }
    }
  }
  return text;
}
