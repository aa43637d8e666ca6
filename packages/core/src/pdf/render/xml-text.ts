/** Text safe inside XML content and attribute values (XMP packets, SVG). */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
