/** Object identifiers of CMS (RFC 5652), ESS (RFC 2634, RFC 5035), RFC 3161 and GB/T 35275. */
export const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  /** GB/T 35275 (SM2 cryptographic message syntax) names its own content types. */
  gbData: '1.2.156.10197.6.1.4.2.1',
  gbSignedData: '1.2.156.10197.6.1.4.2.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  /** id-kp-timeStamping (RFC 5280 §4.2.1.12). */
  timeStamping: '1.3.6.1.5.5.7.3.8',
} as const;
