import { isJsonObject } from '../json/strict-parse.js';
import type { LicenseSummary } from './report.js';

/**
 * The report's view of a license credential: its metadata and 照面 fields, read from whatever the
 * payload holds. Values of the wrong type are left out, never coerced.
 */
export function summarizeLicense(credential: Record<string, unknown>): LicenseSummary {
  const subject = isJsonObject(credential.credentialSubject) ? credential.credentialSubject : {};
  const entries: [keyof LicenseSummary, unknown][] = [
    ['identifier', subject.certificateIdentifier],
    ['typeCode', subject.certificateTypeCode],
    ['typeName', subject.certificateName],
    ['number', subject.certificateNumber],
    ['holderName', subject.certificateHolderName],
    ['holderCode', subject.certificateHolderCode],
    ['issuerName', subject.certificateIssuingAuthorityName],
    ['issuerCode', subject.certificateIssuingAuthorityCode],
    ['validFrom', credential.validFrom],
    ['validUntil', credential.validUntil],
  ];
  const summary: Record<string, unknown> = {};
  for (const [key, value] of entries) if (typeof value === 'string') summary[key] = value;
  if (isJsonObject(subject.fields)) summary.fields = subject.fields;
  return summary as LicenseSummary;
}
