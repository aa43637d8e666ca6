/** How licenses the repository lists look on a terminal: one line each, in columns. */
import pc from 'picocolors';
import stringWidth from 'string-width';
import type { LicenseState, RepositoryLicense } from '@elicense/sdk';

const STATE_LABEL: Record<LicenseState, string> = {
  valid: pc.green('有效 valid'),
  suspended: pc.yellow('中止 suspended'),
  revoked: pc.red('撤销 revoked'),
  superseded: pc.dim('已换发 superseded'),
  expired: pc.dim('过期 expired'),
};

/** Pads to a width in terminal cells (CJK characters take two; colour codes none). */
function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** A table of licenses, or a sentence when there are none. */
export function formatLicenseTable(licenses: readonly RepositoryLicense[], holderCode: string): string {
  if (licenses.length === 0) return `no licenses of holder ${holderCode} that this client may read for this purpose`;
  const header = ['证照标识 identifier', '类型 type', '版本 version', '状态 state', '有效期 valid', '持证主体 holder'];
  const rows = licenses.map((l) => [
    l.identifier,
    l.typeCode,
    String(l.version),
    STATE_LABEL[l.state],
    `${l.validFrom.slice(0, 10)} – ${l.validUntil === null ? '长期' : l.validUntil.slice(0, 10)}`,
    l.holderName,
  ]);
  const widths = header.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i]!))));
  const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i]!))).join('  ');
  return [pc.bold(line(header)), ...rows.map(line)].join('\n');
}
