/** The readable form of `elicense inspect`: what a file is and what it says, with nothing verified. */
import pc from 'picocolors';
import type { CertificateInfo, CertificateListInfo, LicenseSummary, TrustListContent } from '@elicense/core';
import { certificateData, certificateLines, crlData, crlLines } from './certificate.js';
import { formatLicenseSummary } from './human-report.js';
import { trustListContentData, trustListContentLines } from './trust-list.js';

/** One signature of a JWS as found: its protected header without x5c, and the subjects of the x5c certificates. */
export interface InspectedSignature {
  readonly protectedHeader: unknown;
  readonly unprotectedHeader?: unknown;
  readonly certificates: readonly ({ readonly subject: string; readonly issuer: string } | { readonly unreadable: string })[];
}

export interface InspectedStatusEntry {
  readonly purpose: unknown;
  readonly index: unknown;
  readonly list: unknown;
}

export type Inspection =
  | {
      readonly kind: 'license';
      readonly form: string;
      readonly signatures: readonly InspectedSignature[];
      readonly license: LicenseSummary;
      readonly previousIdentifier?: string;
      readonly status: readonly InspectedStatusEntry[];
    }
  | { readonly kind: 'trust-list'; readonly form: string; readonly signatures: readonly InspectedSignature[]; readonly content?: TrustListContent; readonly problem?: string }
  | {
      readonly kind: 'status-list';
      readonly form: string;
      readonly signatures: readonly InspectedSignature[];
      readonly id: unknown;
      readonly issuer: unknown;
      readonly purpose: unknown;
      readonly validFrom: unknown;
      readonly validUntil: unknown;
      readonly size?: number;
      readonly setIndexes?: readonly number[];
      readonly problem?: string;
    }
  | { readonly kind: 'jws'; readonly form: string; readonly signatures: readonly InspectedSignature[]; readonly problem: string }
  | { readonly kind: 'certificates'; readonly certificates: readonly CertificateInfo[] }
  | { readonly kind: 'crl'; readonly crls: readonly CertificateListInfo[] }
  | { readonly kind: 'private-key'; readonly labels: readonly string[] };

const KIND_LABEL: Record<Inspection['kind'], string> = {
  license: '电子证照 license (signed JSON)',
  'trust-list': '信任列表 trust list',
  'status-list': '状态列表 status list (Bitstring Status List)',
  jws: 'JWS',
  certificates: '证书 certificate(s)',
  crl: '证书吊销列表 CRL',
  'private-key': '私钥 private key',
};

const HOW_TO_VERIFY: Record<Inspection['kind'], string> = {
  license: 'not verified; use elicense verify',
  'trust-list': 'not verified; use elicense trust-list show to verify it',
  'status-list': 'not verified; elicense verify checks it when given with --status',
  jws: 'not verified',
  certificates: 'not verified (signatures, chain and revocation are not checked)',
  crl: 'not verified (its signature is not checked)',
  'private-key': 'not shown; use elicense key show',
};

/** At most this many set status bits are listed by index. */
export const LISTED_INDEXES = 20;

function signatureLines(signatures: readonly InspectedSignature[]): string[] {
  const lines = ['', pc.bold(`签名 signatures (${signatures.length})`)];
  signatures.forEach((signature, i) => {
    lines.push(`  #${i} 受保护头 protected header: ${JSON.stringify(signature.protectedHeader)}`);
    if (signature.unprotectedHeader !== undefined) lines.push(`     未保护头 unprotected header (not signed): ${JSON.stringify(signature.unprotectedHeader)}`);
    for (const cert of signature.certificates) {
      lines.push('subject' in cert ? `     x5c: ${cert.subject}  (issuer ${cert.issuer})` : `     x5c: unreadable certificate: ${cert.unreadable}`);
    }
  });
  return lines;
}

function bodyLines(inspection: Inspection): string[] {
  switch (inspection.kind) {
    case 'license': {
      const lines = ['', ...formatLicenseSummary(inspection.license)];
      if (inspection.previousIdentifier !== undefined || inspection.status.length > 0) lines.push(pc.bold('版本与状态 version and status'));
      if (inspection.previousIdentifier !== undefined) lines.push(`  上一版本 supersedes: ${inspection.previousIdentifier}`);
      for (const entry of inspection.status) lines.push(`  状态列表 ${String(entry.purpose)} #${String(entry.index)}: ${String(entry.list)}`);
      return [...lines, ...signatureLines(inspection.signatures)];
    }
    case 'trust-list':
      return [
        ...(inspection.content ? trustListContentLines(inspection.content) : [pc.red(`  malformed trust list: ${inspection.problem}`)]),
        ...signatureLines(inspection.signatures),
      ];
    case 'status-list': {
      const lines = [
        `  标识 id: ${String(inspection.id)}`,
        `  用途 purpose: ${String(inspection.purpose)}`,
        `  签发机构 issuer: ${JSON.stringify(inspection.issuer)}`,
        `  有效期 valid: ${String(inspection.validFrom)} – ${String(inspection.validUntil)}`,
      ];
      if (inspection.problem !== undefined) lines.push(pc.red(`  ${inspection.problem}`));
      if (inspection.size !== undefined && inspection.setIndexes !== undefined) {
        const shown = inspection.setIndexes.slice(0, LISTED_INDEXES).join(', ');
        const more = inspection.setIndexes.length > LISTED_INDEXES ? `, … (${inspection.setIndexes.length - LISTED_INDEXES} more)` : '';
        lines.push(`  已置位 set: ${inspection.setIndexes.length} of ${inspection.size}${inspection.setIndexes.length > 0 ? `: ${shown}${more}` : ''}`);
      }
      return [...lines, ...signatureLines(inspection.signatures)];
    }
    case 'jws':
      return [`  ${inspection.problem}`, ...signatureLines(inspection.signatures)];
    case 'certificates':
      return inspection.certificates.flatMap((info, i) => [...(i === 0 ? [] : ['']), `证书 certificate ${i + 1}/${inspection.certificates.length}`, ...certificateLines(info)]);
    case 'crl':
      return inspection.crls.flatMap((info, i) => [...(i === 0 ? [] : ['']), ...crlLines(info)]);
    case 'private-key':
      return [`  PEM: ${inspection.labels.join(', ')}`];
  }
}

export function formatInspection(inspection: Inspection, file: string): string {
  const form = 'form' in inspection ? ` (${inspection.form} serialization)` : '';
  return [`${pc.bold(KIND_LABEL[inspection.kind])}${form}  ${file}`, pc.yellow(`未验证: ${HOW_TO_VERIFY[inspection.kind]}`), ...bodyLines(inspection)].join('\n');
}

export function inspectionData(inspection: Inspection, file: string): Record<string, unknown> {
  const common = { file, kind: inspection.kind, verified: false, note: HOW_TO_VERIFY[inspection.kind] };
  switch (inspection.kind) {
    case 'certificates':
      return { ...common, certificates: inspection.certificates.map(certificateData) };
    case 'crl':
      return { ...common, crls: inspection.crls.map(crlData) };
    case 'trust-list': {
      const { content, ...rest } = inspection;
      return { ...common, ...rest, ...(content ? { content: trustListContentData(content) } : {}) };
    }
    default:
      return { ...common, ...inspection };
  }
}
