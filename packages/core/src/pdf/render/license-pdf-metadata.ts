/**
 * The license's identity in the PDF's own metadata, for indexing and for readers that never open the
 * embedded file: the document information dictionary and an XMP packet with Dublin Core and eLicense
 * properties (identifier, number, type code).
 */
import { PDFName, type PDFDocument } from 'pdf-lib';
import { utf8 } from '../../bytes.js';
import type { LicenseCredential } from '../../license/credential.js';
import { escapeXml } from './xml-text.js';

export const ELICENSE_XMP_NAMESPACE = 'https://elicense.dev/ns/license/v1#';
const PRODUCER = 'eLicense';

export function setLicenseMetadata(doc: PDFDocument, credential: LicenseCredential, title: string, created: Date): void {
  const subject = credential.credentialSubject;
  doc.setTitle(`${title} ${subject.certificateNumber}`, { showInWindowTitleBar: true });
  doc.setSubject(`电子证照标识 ${subject.certificateIdentifier}`);
  doc.setAuthor(subject.certificateIssuingAuthorityName);
  doc.setKeywords([subject.certificateIdentifier, subject.certificateNumber, subject.certificateTypeCode, credential.id]);
  doc.setCreator(PRODUCER);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  doc.setLanguage('zh-CN');

  const xmp = xmpPacket(credential, title, created);
  // Uncompressed, as XMP packets are meant to be found by tools that scan files for them.
  const stream = doc.context.stream(utf8(xmp), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
}

function xmpPacket(credential: LicenseCredential, title: string, created: Date): string {
  const subject = credential.credentialSubject;
  const date = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `<?xpacket begin="\u{feff}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:elicense="${ELICENSE_XMP_NAMESPACE}">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:identifier>${escapeXml(credential.id)}</dc:identifier>
   <dc:creator><rdf:Seq><rdf:li>${escapeXml(subject.certificateIssuingAuthorityName)}</rdf:li></rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>${date}</xmp:CreateDate>
   <xmp:ModifyDate>${date}</xmp:ModifyDate>
   <xmp:CreatorTool>${PRODUCER}</xmp:CreatorTool>
   <pdf:Producer>${PRODUCER}</pdf:Producer>
   <elicense:identifier>${escapeXml(subject.certificateIdentifier)}</elicense:identifier>
   <elicense:number>${escapeXml(subject.certificateNumber)}</elicense:number>
   <elicense:typeCode>${escapeXml(subject.certificateTypeCode)}</elicense:typeCode>
   <elicense:issuerCode>${escapeXml(subject.certificateIssuingAuthorityCode)}</elicense:issuerCode>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
