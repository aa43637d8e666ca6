/** Characters a JSON string must escape other than the quote, and any beyond ASCII. */
const NOT_PLAIN_ASCII = /[^\x20-\x7e]|\\/;

/**
 * A license's JSON answer, assembled from the stored texts: the credential is JSON this server wrote,
 * spliced in as it is rather than parsed and re-serialised. The signed JSON becomes a string value; a
 * JWS is printable ASCII whose only character to escape is the quote, so it is escaped with one search
 * and copied into the answer byte for byte, where JSON.stringify and then UTF-8 encoding each scanned
 * all of it (about half of the time spent building the answer). Anything else goes through JSON.stringify.
 */
export function licenseJson(view: object, signedJson: string, credential: string): Buffer {
  const signed = NOT_PLAIN_ASCII.test(signedJson)
    ? Buffer.from(JSON.stringify(signedJson))
    : Buffer.from(`"${signedJson.replaceAll('"', '\\"')}"`, 'latin1');
  return Buffer.concat([
    Buffer.from(`${JSON.stringify(view).slice(0, -1)},"signedJson":`),
    signed,
    Buffer.from(`,"credential":${credential}}`),
  ]);
}
