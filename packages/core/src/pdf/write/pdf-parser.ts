/**
 * pdf-lib's document parser with one hot spot replaced: it builds hex strings a character at a time,
 * and a signed PDF carries a /Contents hex string of tens of kilobytes per signature, so reading a
 * signed file spent most of its time collecting the garbage of that string building.
 */
import { PDFHexString, PDFParser } from 'pdf-lib';

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const latin1 = new TextDecoder('latin1');

export class SignedPdfParser extends PDFParser {
  protected override parseHexString(): PDFHexString {
    this.bytes.assertNext(LESS_THAN);
    const start = this.bytes.offset();
    while (!this.bytes.done() && this.bytes.peek() !== GREATER_THAN) this.bytes.next();
    const value = latin1.decode(this.bytes.slice(start, this.bytes.offset()));
    this.bytes.assertNext(GREATER_THAN);
    return PDFHexString.of(value);
  }
}
