/**
 * Things the reader noticed and tolerated. A verifier decides what they mean: signatures depend on
 * exact structure, so every `error` finding fails the structure check, while a `warning` is reported.
 */
export interface PdfFinding {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly offset?: number;
}

export class FindingLog {
  readonly findings: PdfFinding[] = [];
  private readonly seen = new Set<string>();

  add(severity: PdfFinding['severity'], message: string, offset?: number): void {
    const key = `${severity}|${message}|${offset ?? ''}`;
    if (this.seen.has(key) || this.findings.length >= 1000) return;
    this.seen.add(key);
    this.findings.push(offset === undefined ? { severity, message } : { severity, message, offset });
  }
}
